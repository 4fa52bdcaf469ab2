"""A job in the API: the same access rule and the same words as its page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Schema

from commonground.common.language import api_lang
from commonground.jobs import services

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


@router.get("/jobs/{job_id}", response=JobOut)
def get_job(request: HttpRequest, job_id: int) -> JobOut:
    """A job's progress, for the person who started it and the admins of its organisation."""
    job = services.get_job(job_id, request.user)
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
