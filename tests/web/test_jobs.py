"""Jobs (decision 0018): queued once per key, retried, followed on a page and in the API by the person
who started them, and run by a real worker process over the real queue."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from commonground.accounts.models import Membership
from commonground.actions.digest import enqueue_daily_digest
from commonground.jobs import services
from commonground.jobs.models import Job
from tests.web.conftest import client_for, member
from tests.web.ports import free_port, listening

ROOT = Path(__file__).resolve().parents[2]
RAN: list[int] = []


def count_job(job: Job, *, to: int = 3, fail_first: bool = False) -> services.Result:
    """A kind for the tests: counts to `to`, reporting each step; fails on its first attempt if asked."""
    RAN.append(job.pk)
    if fail_first and job.attempts == 1:
        raise RuntimeError("a deliberate failure")
    for i in range(1, to + 1):
        services.report(job, i, to, "Facilities looked at: {done} of {total}.", done=i, total=to)
    return services.Result("Digest emails sent: {sent}.", {"sent": to}, url="/")


@pytest.fixture
def kind(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(services.KINDS, "count", "tests.web.test_jobs.count_job")
    RAN.clear()
    return "count"


def test_a_job_runs_and_ends_with_its_result(
    cast: dict[str, Any], kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue(kind, user=cast["alice"], to=4)
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.attempts) == ("done", 4, 4, 1)
    assert job.started_by == cast["alice"] and job.finished_at is not None
    with translation.override("en"):
        assert services.texts(job).result == "Digest emails sent: 4."
    with translation.override("vi"):
        assert services.texts(job).result == "Số thư nhắc hạn đã gửi: 4."


def test_the_same_key_runs_once(
    cast: dict[str, Any], kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enqueue(kind, key="count:today")
        second = services.enqueue(kind, key="count:today")
    assert first.pk == second.pk and [first.pk] == RAN
    services.run(first.pk, last_attempt=True)  # a second delivery of the task finds nothing to do
    assert [first.pk] == RAN and Job.objects.count() == 1


def test_a_double_click_is_one_job_whenever_it_falls_and_a_later_click_another(
    cast: dict[str, Any], kind: str
) -> None:
    """The window slides with the request: a repeat 59 s after the first click (across a clock
    minute's end or not) gives the same job back; a repeat after a minute runs the work afresh,
    and the earlier job stays as it was, its key given up."""
    first = services.enqueue(kind, key="count:report", repeat_within=services.DOUBLE_CLICK)
    Job.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(seconds=59))
    again = services.enqueue(kind, key="count:report", repeat_within=services.DOUBLE_CLICK)
    assert again.pk == first.pk and Job.objects.count() == 1
    Job.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(seconds=61))
    later = services.enqueue(kind, key="count:report", repeat_within=services.DOUBLE_CLICK)
    assert later.pk != first.pk and Job.objects.count() == 2
    first.refresh_from_db()
    assert first.key is None and later.key == "count:report" and first.state == Job.State.QUEUED
    assert services.enqueue(kind, key="count:report", repeat_within=services.DOUBLE_CLICK).pk == later.pk


def test_a_failure_is_retried_then_done(cast: dict[str, Any], kind: str) -> None:
    job = services.enqueue(kind, fail_first=True)  # not committed: no worker has it yet
    with pytest.raises(RuntimeError):
        services.run(job.pk, last_attempt=False)
    job.refresh_from_db()
    with translation.override("en"):
        assert job.state == "queued" and "tried again" in services.texts(job).error
    services.run(job.pk, last_attempt=True)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == ("done", 2, "")


def test_the_last_failure_fails_the_job_with_a_message_in_both_languages(
    cast: dict[str, Any], kind: str
) -> None:
    job = services.enqueue(kind, fail_first=True, key="once")
    with pytest.raises(RuntimeError):
        services.run(job.pk, last_attempt=True)
    job.refresh_from_db()
    assert job.state == "failed"
    page = client_for("alice", "vi").get(f"/jobs/{job.pk}/")
    assert page.status_code == 404  # scheduled work: nobody started it
    again = services.enqueue(kind, key="once", user=cast["alice"])  # a failed job under a key runs again
    assert again.pk == job.pk and again.state == "queued"


def test_the_page_shows_progress_to_its_starter_and_refreshes_until_done(
    cast: dict[str, Any], kind: str
) -> None:
    job = services.enqueue(kind, user=cast["alice"], organisation=cast["facility"].owner)
    services.report(job, 2, 5, "Facilities looked at: {done} of {total}.", done=2, total=5)
    page = client_for("alice", "vi").get(f"/jobs/{job.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and 'http-equiv="refresh"' in text
    assert "Đang chạy" not in text and "Đang chờ" in text and 'value="40"' in text
    assert "Đã xem xét cơ sở: 2 trên 5." in text
    services.run(job.pk, last_attempt=True)
    done = client_for("alice", "en").get(f"/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in done and "Digest emails sent: 3." in done


def test_only_the_starter_and_the_organisations_admins_see_a_job(cast: dict[str, Any], kind: str) -> None:
    group = cast["facility"].owner
    member("ana", group, Membership.Role.ADMIN)
    job = services.enqueue(kind, user=cast["bob"], organisation=group)
    assert client_for("bob").get(f"/jobs/{job.pk}/").status_code == 200
    assert client_for("ana").get(f"/jobs/{job.pk}/").status_code == 200  # ana administers the group
    assert client_for("ana").get(f"/api/jobs/{job.pk}").status_code == 200
    assert client_for("alice").get(f"/jobs/{job.pk}/").status_code == 404  # an editor of it, not an admin
    assert client_for("charlie").get(f"/jobs/{job.pk}/").status_code == 404  # an admin elsewhere
    assert client_for("charlie").get(f"/api/jobs/{job.pk}").status_code == 404


def test_the_api_gives_progress_in_the_language_asked(cast: dict[str, Any], kind: str) -> None:
    job = services.enqueue(kind, user=cast["alice"])
    services.report(job, 1, 4, "Facilities looked at: {done} of {total}.", done=1, total=4)
    body = client_for("alice").get(f"/api/jobs/{job.pk}", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert (body["state"], body["done"], body["total"]) == ("queued", 1, 4)
    assert body["message"] == "Đã xem xét cơ sở: 1 trên 4." and body["state_label"] == "Đang chờ trong hàng"


def test_the_daily_digest_is_queued_once_a_day_from_its_hour(db: None) -> None:
    morning = timezone.make_aware(dt.datetime(2026, 12, 7, 6, 59))
    assert enqueue_daily_digest(morning) is None
    first = enqueue_daily_digest(morning + dt.timedelta(minutes=1))
    again = enqueue_daily_digest(morning + dt.timedelta(hours=5))
    assert first is not None and again.pk == first.pk and first.key == "action_digest:2026-12-07"
    services.run(first.pk, last_attempt=True)
    first.refresh_from_db()
    assert first.state == "done" and first.result_params == {"sent": 0}


def _wait_for_done(data: Path, seconds: float = 240) -> str:
    """The job's state, attempts and result read from the worker's SQLite file every tenth of a
    second until it is done or the time is up (long enough for a machine running two test suites at
    once); a read that finds the file busy with the worker's write is made again."""
    state, deadline = "", time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with closing(sqlite3.connect(data / "commonground.sqlite3", timeout=5)) as db:
                row = db.execute("SELECT state, attempts, result_params FROM jobs_job").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is not None:
            state = f"{row[0]} {row[1]} {json.loads(row[2]) if row[2] else None}"
            if row[0] == "done":
                break
        time.sleep(0.1)
    return state


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_real_worker_runs_a_queued_job(tmp_path: Path, queue: str) -> None:
    """`manage.py run_huey` in its own process takes the digest job that a command queued."""
    if queue == "redis" and not listening(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    left_out = ("DATABASE_URL", "REDIS_URL", "HUEY_IMMEDIATE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(
        COMMONGROUND_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="commonground.config.settings"
    )
    if queue == "redis":  # a queue of its own on the test Redis database
        env.update(
            REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3"),
            HUEY_NAME=f"t{uuid.uuid4().hex}",
        )
    assert _manage(env, "migrate", "--noinput").returncode == 0
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1", "--delay", "0.1", "--max-delay", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        queued = _manage(env, "send_action_digest", "--queue", "--date", "2026-12-07")
        assert queued.returncode == 0 and queued.stdout.startswith("job 1: queued"), queued.stderr
        assert _wait_for_done(tmp_path / "data") == "done 1 {'sent': 0}"
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_serve_runs_the_site_and_a_worker_and_stops_both(tmp_path: Path) -> None:
    """`make run`'s last step: one command, the web server and the worker; a stop signal ends both."""
    import urllib.request

    port = free_port()
    left_out = ("DATABASE_URL", "REDIS_URL", "HUEY_IMMEDIATE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(
        COMMONGROUND_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="commonground.config.settings"
    )
    assert _manage(env, "migrate", "--noinput").returncode == 0
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            if listening(port):
                break
            time.sleep(0.25)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as response:
            assert response.status == 200
        assert _manage(env, "send_action_digest", "--queue").returncode == 0
        assert _wait_for_done(tmp_path / "data").startswith("done ")
    finally:
        serve.terminate()
        assert serve.wait(timeout=60) == 0
    assert not listening(port)
