"""The one queue task that runs every job (docs/decisions/0018); scheduled work lives in each area's
`tasks.py` (found by the worker, `manage.py run_huey`) and enqueues jobs of its own kind."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from commonground.jobs import services


@db_task(retries=services.RETRIES, retry_delay=services.RETRY_DELAY, context=True)  # type: ignore[untyped-decorator]
def run_job(job_id: int, task: Any = None) -> None:
    services.run(job_id, last_attempt=task is None or not task.retries)
