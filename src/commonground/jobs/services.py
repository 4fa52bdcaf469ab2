"""Jobs: `enqueue` work of a known kind, `report` its progress from inside, `get_job` to follow it.

A kind is a function `handler(job, **params) -> Result | None`, named in KINDS by its dotted path
(so this module imports no business area and no area imports a worker). To add a kind — sector
snapshots, log checkpoints, imports, reports — write the handler in its area, add one line to KINDS
and one to LABELS, and call `enqueue` from the service that starts it (with a `key` when the same
work must run once however often it is asked for). Scheduled work is declared in the area's
`tasks.py` with `huey.contrib.djhuey.db_periodic_task` and calls `enqueue` with a key for its slot
(`actions/tasks.py`); the lead wires the access log's `seal` and `checkpoint` the same way:

    # sharing/tasks.py
    @db_periodic_task(crontab(minute="*"))
    def seal_access_log() -> None:
        enqueue("log_seal", key=f"log_seal:{timezone.now():%Y-%m-%dT%H:%M}")

A job runs at most once at a time: a worker claims it (queued -> running) in one UPDATE, so a
second delivery of the same task finds nothing to do. A failure is retried (RETRIES times, RETRY_DELAY
seconds apart) and the job is failed, with a message its reader understands, after the last one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from commonground.core import numbers
from commonground.core.errors import Lang
from commonground.jobs.models import Job

logger = logging.getLogger("commonground.jobs")

RETRIES = 3
RETRY_DELAY = 30  # seconds

KINDS: dict[str, str] = {
    "action_digest": "commonground.actions.digest.digest_job",
    "assessment_import": "commonground.assessments.imports.import_job",
    "facility_report": "commonground.improvement.report.report_job",
    "state_form": "commonground.assessments.form_files.form_job",
    "portfolio_export": "commonground.sharing.portfolio.export_job",
    "supplier_onboarding": "commonground.sharing.onboarding.onboarding_job",
    "supplier_matching": "commonground.sharing.onboarding.matching_job",
}
LABELS: dict[str, Any] = {
    "action_digest": _("Emails of actions due"),
    "assessment_import": _("Import of answers"),
    "facility_report": _("Facility report"),
    "state_form": _("State form, filled from the assessment"),
    "portfolio_export": _("Portfolio export (Excel)"),
    "supplier_onboarding": _("Suppliers added from a list"),
    "supplier_matching": _("Supplier list matched"),
}

# A kind whose file may be read only while its reader may still read what it was made of: a function
# `check(job, user)` that raises Http404 otherwise (without logging a read: the job logged it).
DOWNLOAD_CHECKS: dict[str, str] = {
    "facility_report": "commonground.improvement.report.check_download",
    "state_form": "commonground.assessments.form_files.check_download",
}

RETRYING = gettext_noop("Attempt {attempt} failed; it is tried again in a moment.")
FAILED = gettext_noop("The job failed after {attempts} attempts. The error is logged for the administrators.")


class UnknownKind(ValueError):
    pass


@dataclass(frozen=True)
class Result:
    """What a finished job says to its reader: a catalogue text with its values, and a link."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""


DOUBLE_CLICK = dt.timedelta(minutes=1)  # the same request again within it gives back the same job


def enqueue(
    kind: str,
    *,
    user: Any = None,
    organisation: Any = None,
    key: str = "",
    repeat_within: dt.timedelta | None = None,
    **params: Any,
) -> Job:
    """Record a job and hand it to the workers once the caller's transaction commits. With a `key`,
    the job already recorded under it is given back instead (unless it failed: then it runs again).
    With `repeat_within` too, only a job recorded under the key that long ago or less is given back
    (a double click); an older one gives its key up and the work runs afresh. A window that slides
    with the request, unlike a key per clock minute: two clicks a moment apart across a minute's
    end still give one job."""
    if kind not in KINDS:
        raise UnknownKind(kind)
    fields = {"kind": kind, "params": params, "organisation": organisation}
    fields["started_by"] = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        if not key:
            job = Job.objects.create(**fields)
        else:
            if repeat_within is not None:
                _release_key(key, timezone.now() - repeat_within)
            job, created = Job.objects.get_or_create(key=key, defaults=fields)
            if not created and job.state != Job.State.FAILED:
                return job
            if not created:
                _requeue(job)
        transaction.on_commit(lambda: _hand_over(job.pk))
    return job


def _release_key(key: str, since: dt.datetime) -> None:
    """The job under `key`, if recorded before `since`, no longer holds it: one UPDATE, which locks
    the row, so that two requests at once release it once and then share the one new job."""
    Job.objects.filter(key=key, created_at__lt=since).update(key=None)


def _requeue(job: Job) -> None:
    job.state, job.error, job.attempts, job.done, job.message = Job.State.QUEUED, "", 0, 0, ""
    job.error_params, job.message_params = {}, {}
    job.finished_at = None
    job.save()


def _hand_over(job_id: int) -> None:
    from commonground.jobs.tasks import run_job

    run_job(job_id)


def report(job: Job, done: int, total: int | None = None, message: str = "", /, **params: Any) -> None:
    """Progress, from inside a handler: `done` of `total` and what it is doing (a catalogue text,
    translated when shown). Also the heartbeat that tells other workers this job is alive."""
    job.done, job.total = done, total if total is not None else job.total
    job.message, job.message_params = message or job.message, params or job.message_params
    job.save(update_fields=["done", "total", "message", "message_params", "updated_at"])


def run(job_id: int, *, last_attempt: bool) -> None:
    """Run a job in a worker: claim it, call its handler, record the result or the failure (raised
    again, so that the queue retries it while attempts remain)."""
    job = _claim(job_id)
    if job is None:
        return  # done, failed, or running in another worker
    try:
        result = import_string(KINDS[job.kind])(job, **job.params)
    except Exception as exc:
        _failed(job, exc, last_attempt=last_attempt)
        raise
    _finish(job, result)


def _claim(job_id: int) -> Job | None:
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    claimable = Q(state=Job.State.QUEUED) | Q(state=Job.State.RUNNING, updated_at__lt=stale)
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        state=Job.State.RUNNING, started_at=now, updated_at=now, attempts=F("attempts") + 1
    )
    return Job.objects.get(pk=job_id) if claimed else None


def _finish(job: Job, result: Result | None) -> None:
    job.state, job.finished_at, job.error, job.error_params = Job.State.DONE, timezone.now(), "", {}
    if job.total is not None:
        job.done = job.total
    if result is not None:
        job.result, job.result_params, job.result_url = result.message, result.params, result.url
    job.save()


def _failed(job: Job, exc: Exception, *, last_attempt: bool) -> None:
    logger.error("Job %s (%s) failed on attempt %s: %r", job.pk, job.kind, job.attempts, exc)
    if last_attempt:
        job.state, job.finished_at = Job.State.FAILED, timezone.now()
        job.error, job.error_params = FAILED, {"attempts": job.attempts}
    else:
        job.state = Job.State.QUEUED
        job.error, job.error_params = RETRYING, {"attempt": job.attempts}
    job.save(update_fields=["state", "finished_at", "error", "error_params", "updated_at"])


def get_job(job_id: int, user: Any) -> Job:
    """A job, for the person who started it and the admins of its organisation; 404 for anyone else."""
    from commonground.accounts.models import Membership

    job = Job.objects.filter(pk=job_id).first() if 0 < job_id < 2**63 else None
    if job is None or not user.is_authenticated:
        raise Http404
    if job.started_by_id == user.pk:
        return job
    if job.organisation_id is None:
        raise Http404
    admins = Membership.objects.filter(organisation_id=job.organisation_id, role=Membership.Role.ADMIN)
    if not admins.filter(user=user).exists():
        raise Http404
    return job


def keep_file(job: Job, filename: str, content: bytes) -> str:
    """A job's file (an export) kept through the storage API under `exports/jobs/<id>/`; its storage
    name, for the Result's params (`file`). A retried job keeps a second copy under a new name."""
    from django.core.files.base import ContentFile

    from commonground.common.storage import evidence_storage

    return evidence_storage().save(f"exports/jobs/{job.pk}/{filename}", ContentFile(content))


FILES_KEPT_DAYS = 7  # an export's file is kept this long after its job ends (settings.JOB_FILES_KEPT_DAYS)
EXPIRED = gettext_noop(
    "The file {name} was kept for {days} days and has been deleted: prepare it again where you started it."
)


def discard_old_files(now: dt.datetime | None = None) -> int:
    """Every export a job wrote more than FILES_KEPT_DAYS ago deleted from the storage (retried
    copies too), and its job saying so in place of the download; the number of jobs. Run daily by
    `jobs.tasks.discard_old_export_files`; safe to run twice (a job without a file is left alone)."""
    from commonground.common.storage import evidence_storage

    days = int(getattr(settings, "JOB_FILES_KEPT_DAYS", FILES_KEPT_DAYS))
    before = (now or timezone.now()) - dt.timedelta(days=days)
    storage, count = evidence_storage(), 0
    old = Job.objects.filter(state=Job.State.DONE, finished_at__lt=before, result_params__has_key="file")
    for job in old.iterator():
        stored = str(job.result_params.get("file", ""))
        if not stored:
            continue
        folder = f"exports/jobs/{job.pk}"
        try:
            names = [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
        except FileNotFoundError:
            names = []
        for name in {*names, stored}:
            if name.startswith(f"{folder}/"):
                storage.delete(name)
        name = stored.rsplit("/", 1)[-1]
        Job.objects.filter(pk=job.pk).update(
            result=EXPIRED, result_params={"name": name, "days": days, "file": ""}, result_url=""
        )
        count += 1
    return count


def job_file(job_id: int, user: Any) -> tuple[Job, str]:
    """A finished job's file for `user` (the storage name; "" when the job has not written one yet),
    under get_job's rule and, for a kind in DOWNLOAD_CHECKS, that kind's own (404 otherwise)."""
    job = get_job(job_id, user)
    stored = str(job.result_params.get("file", ""))
    if job.state != Job.State.DONE or not stored.startswith(f"exports/jobs/{job.pk}/"):
        return job, ""
    if job.kind in DOWNLOAD_CHECKS:
        import_string(DOWNLOAD_CHECKS[job.kind])(job, user)
    return job, stored


@dataclass(frozen=True)
class Texts:
    """A job's words in the current language."""

    kind: str
    state: str
    message: str
    result: str
    error: str


def texts(job: Job) -> Texts:
    return Texts(
        kind=str(LABELS.get(job.kind, job.kind)),
        state=str(job.get_state_display()),
        message=_say(job.message, job.message_params),
        result=_say(job.result, job.result_params),
        error=_say(job.error, job.error_params),
    )


def _say(text: str, params: dict[str, Any]) -> str:
    if not text:
        return ""
    try:
        return gettext(text).format(**{k: _number(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return gettext(text)


def _number(value: Any) -> Any:
    lang: Lang = "vi" if (get_language() or "vi").startswith("vi") else "en"
    return numbers.number(value, lang) if isinstance(value, int) else value
