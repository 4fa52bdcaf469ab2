"""Scheduled sector work, declared here and run by the job workers (decisions 0018 and 0024).

Every minute the sector's fingerprint is compared with the newest snapshots' and the stale kinds
are computed again: a change reaches the pages within about a minute, and a burst of changes (a
verifier completing several assessments) is computed once. Running it twice at once (several
schedulers) costs time, never a wrong figure: a snapshot is a pure function of the database. No job
row is kept for this background work; nobody waits for it, and the page says when its figures were
computed."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task
from huey.exceptions import TaskLockedException

from commonground.snapshots import store


@db_periodic_task(crontab(minute="*"), retries=2, retry_delay=20)  # type: ignore[untyped-decorator]
def refresh_stale_snapshots() -> None:
    if store.on_read():  # the pages refresh them themselves
        return
    try:
        with lock_task("refresh-sector-snapshots", ttl=15 * 60):  # freed if a worker dies holding it
            store.refresh_all(only_stale=True)
    except TaskLockedException:  # the last minute's refresh is still running: it will do
        return
