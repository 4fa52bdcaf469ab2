"""Assessments, answers, results and findings in the API: the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from commonground.accounts import access
from commonground.assessments import services
from commonground.core.errors import Lang
from commonground.core.report import evaluation_dict

router = Router(tags=["assessments"])


class AssessmentOut(Schema):
    id: int
    facility_id: int
    period_start: dt.date
    period_end: dt.date
    status: str
    version: int


class AnswerOut(Schema):
    datapoint: str
    value: Any
    verification: str


class AnswerIn(Schema):
    value: Any
    unit: str | None = None
    reason: str = ""


@router.get("/facilities/{facility_id}/assessments", response=list[AssessmentOut])
@paginate
def list_assessments(request: HttpRequest, facility_id: int):  # type: ignore[no-untyped-def]
    return access.get_facility(facility_id, request.user).assessments.all()


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def get_assessment(request: HttpRequest, assessment_id: int):  # type: ignore[no-untyped-def]
    return access.get_assessment(assessment_id, request.user)


@router.get("/assessments/{assessment_id}/answers", response=list[AnswerOut])
@paginate
def list_answers(request: HttpRequest, assessment_id: int, topic: str | None = None):  # type: ignore[no-untyped-def]
    answers = access.get_assessment(assessment_id, request.user).answers.order_by("datapoint")
    return answers.filter(datapoint__startswith=f"{topic}.") if topic else answers


@router.put("/assessments/{assessment_id}/answers/{datapoint}", response={200: AnswerOut, 204: None})
def put_answer(request: HttpRequest, assessment_id: int, datapoint: str, payload: AnswerIn):  # type: ignore[no-untyped-def]
    answer = services.save_answer(
        assessment_id, datapoint, payload.value, unit=payload.unit, user=request.user, reason=payload.reason
    )
    return Status(200, answer) if answer is not None else Status(204, None)


@router.get("/assessments/{assessment_id}/results")
def get_results(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """Per framework: summary and every requirement's status; findings; targets (the CLI's JSON)."""
    lang: Lang = "vi" if request.headers.get("Accept-Language", "").startswith("vi") else "en"
    evaluation = services.evaluate_assessment(assessment_id, user=request.user)
    return evaluation_dict(evaluation, lang, services.library())


@router.get("/assessments/{assessment_id}/findings")
def get_findings(request: HttpRequest, assessment_id: int) -> list[dict[str, Any]]:
    return get_results(request, assessment_id)["findings"]  # type: ignore[no-any-return]
