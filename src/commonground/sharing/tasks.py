"""Scheduled work of the access log, declared here and run by the job workers (decisions 0018 and
0023): new reads are sealed into the chain every minute, and the head is signed into a checkpoint
every ten minutes (none while the head has not moved). Both are safe to run twice: one sealer at a
time takes the log (an advisory lock on PostgreSQL), and a checkpoint of an unmoved head is skipped."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from commonground.sharing.access_log import seal_access_log, take_checkpoint


@db_periodic_task(crontab(minute="*"), retries=2, retry_delay=10)  # type: ignore[untyped-decorator]
def seal_new_reads() -> None:
    seal_access_log()


@db_periodic_task(crontab(minute="*/10"), retries=2, retry_delay=30)  # type: ignore[untyped-decorator]
def checkpoint_log_head() -> None:
    seal_access_log()  # what is read up to now goes under this checkpoint
    take_checkpoint()
