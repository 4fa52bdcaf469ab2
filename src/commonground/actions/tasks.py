"""Scheduled work of the action plan, declared here and run by the job workers (decision 0018)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from commonground.actions.digest import enqueue_daily_digest


# Every 10 minutes: the day's digest is queued once, from DIGEST_HOUR on (its key is the day), so a
# worker that was down at that hour still sends it when it is back, and several schedulers on several
# machines send it once.
@db_periodic_task(crontab(minute="*/10"))  # type: ignore[untyped-decorator]
def schedule_action_digest() -> None:
    enqueue_daily_digest()
