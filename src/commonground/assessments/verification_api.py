"""Verification in the API: the verifier body's worklist; confirm, correct, complete and return.
The same services as the verification page (assessments.verification)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.assessments import verification
from commonground.assessments.api import AnswerOut, AssessmentOut
from commonground.assessments.models import Assessment

router = Router(tags=["verification"])


class FacilityRef(Schema):
    id: int
    name: str


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


class WorkItemOut(Schema):
    id: int
    facility: FacilityRef
    period: PeriodOut
    status: str
    pending: int

    @staticmethod
    def resolve_period(obj: Assessment) -> dict[str, dt.date]:
        return {"start": obj.period_start, "end": obj.period_end}


class ConfirmIn(Schema):
    datapoints: Literal["all"] | list[str]
    method: str
    note: str = ""


class CorrectIn(Schema):
    datapoint: str
    value: Any
    unit: str | None = None
    method: str
    note: str = ""


class ConfirmedOut(Schema):
    confirmed: int


class ReturnIn(Schema):
    comment: str


@router.get("/verification/assessments", response=list[WorkItemOut])
@paginate
def list_worklist(request: HttpRequest, status: str | None = None):  # type: ignore[no-untyped-def]
    """The calling verifier body's worklist (`status`: submitted, returned or verified; all three
    when not given); `pending`: how many answers are neither confirmed nor corrected."""
    return verification.worklist(request.user, status)


@router.post("/assessments/{assessment_id}/verification/confirm", response=ConfirmedOut)
def confirm(request: HttpRequest, assessment_id: int, payload: ConfirmIn) -> dict[str, int]:
    """Confirm the named answers (or `"all"`) as they stand, with a verification method."""
    n = verification.confirm_answers(
        assessment_id, payload.datapoints, user=request.user, method=payload.method, note=payload.note
    )
    return {"confirmed": n}


@router.post("/assessments/{assessment_id}/verification/correct", response=AnswerOut)
def correct(request: HttpRequest, assessment_id: int, payload: CorrectIn):  # type: ignore[no-untyped-def]
    """The verifier's value for one answer; the factory's value is kept beside it."""
    return verification.correct_answer(
        assessment_id,
        payload.datapoint,
        payload.value,
        user=request.user,
        method=payload.method,
        unit=payload.unit,
        note=payload.note,
    )


@router.post("/assessments/{assessment_id}/verification/complete", response=AssessmentOut)
def complete(request: HttpRequest, assessment_id: int):  # type: ignore[no-untyped-def]
    """200 with the verified assessment, or 409 with the pending data point ids."""
    return verification.complete_verification(assessment_id, user=request.user)


@router.post("/assessments/{assessment_id}/verification/return", response=AssessmentOut)
def return_to_factory(request: HttpRequest, assessment_id: int, payload: ReturnIn):  # type: ignore[no-untyped-def]
    """Send the assessment back to the factory with a comment: status `returned`."""
    return verification.return_assessment(assessment_id, user=request.user, comment=payload.comment)
