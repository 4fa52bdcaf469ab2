"""A job in the API: the same access rule and the same words as its page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils import translation
from ninja import Router, Schema, Status

from commonground.common.language import api_lang
from commonground.jobs import services
from commonground.jobs.models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    done: int
    total: int | None
    message: str
    result: str
    result_url: str
    error: str
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def job_out(request: HttpRequest, job: Job) -> JobOut:
    """A job as the API gives it, its words in the request's language."""
    with translation.override(api_lang(request)):
        texts = services.texts(job)
    return JobOut(
        id=job.pk,
        kind=job.kind,
        kind_label=texts.kind,
        state=job.state,
        state_label=texts.state,
        done=job.done,
        total=job.total,
        message=texts.message,
        result=texts.result,
        result_url=job.result_url,
        error=texts.error,
        attempts=job.attempts,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


@router.get("/jobs/{job_id}", response=JobOut)
def get_job(request: HttpRequest, job_id: int) -> JobOut:
    """A job's progress, for the person who started it and the admins of its organisation."""
    return job_out(request, services.get_job(job_id, request.user))


@router.get("/jobs/{job_id}/file", response={202: JobOut})
def job_file(request: HttpRequest, job_id: int) -> Any:
    """The file a finished job wrote (an export), under the job's rule and its kind's (a report's
    file only while its reader may still read the assessment); 202 with the job's progress while it
    is queued or running; 404 once it failed, or for a job that writes no file."""
    from commonground.common.storage import evidence_storage

    job, stored = services.job_file(job_id, request.user)
    if not stored:
        if job.finished:
            raise Http404
        return Status(202, job_out(request, job))
    storage = evidence_storage()
    if not storage.exists(stored):
        raise Http404
    return FileResponse(storage.open(stored, "rb"), as_attachment=True, filename=stored.rsplit("/", 1)[-1])
