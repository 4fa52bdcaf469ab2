"""The one queue task that runs every job (docs/decisions/0018); scheduled work lives in each area's
`tasks.py` (found by the worker, `manage.py run_huey`) and enqueues jobs of its own kind. The jobs'
own scheduled work: deleting the exports' files once they have been kept long enough."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from commonground.jobs import services


@db_task(retries=services.RETRIES, retry_delay=services.RETRY_DELAY, context=True)  # type: ignore[untyped-decorator]
def run_job(job_id: int, task: Any = None) -> None:
    services.run(job_id, last_attempt=task is None or not task.retries)


@db_periodic_task(crontab(minute="17", hour="3"), retries=2, retry_delay=60)  # type: ignore[untyped-decorator]
def discard_old_export_files() -> None:
    """Every night: exports kept longer than JOB_FILES_KEPT_DAYS deleted (jobs.services)."""
    services.discard_old_files()
