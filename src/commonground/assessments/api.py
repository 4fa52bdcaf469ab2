"""Assessments, answers, results and findings in the API: the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from commonground.accounts.library import library
from commonground.assessments import access as assessment_access
from commonground.assessments import services
from commonground.assessments.evidence import as_attachment, attach_evidence, get_download
from commonground.common.language import api_lang
from commonground.core.report import evaluation_dict
from commonground.facilities import access as facility_access

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


class EvidenceOut(Schema):
    id: int
    assessment_id: int
    datapoint: str
    original_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class AssessmentIn(Schema):
    period_start: dt.date
    period_end: dt.date


class AnswerIn(Schema):
    value: Any
    unit: str | None = None
    reason: str = ""


@router.get("/facilities/{facility_id}/assessments", response=list[AssessmentOut])
@paginate
def list_assessments(request: HttpRequest, facility_id: int, status: str | None = None):  # type: ignore[no-untyped-def]
    assessments = facility_access.get_facility(facility_id, request.user).assessments.all()
    return assessments.filter(status=status) if status else assessments


@router.post("/facilities/{facility_id}/assessments", response={201: AssessmentOut})
def create_assessment(request: HttpRequest, facility_id: int, payload: AssessmentIn):  # type: ignore[no-untyped-def]
    """A new draft for a period the facility has no assessment for (422 with the field otherwise)."""
    created = services.create_assessment(
        facility_id, user=request.user, start=payload.period_start, end=payload.period_end
    )
    return Status(201, created)


@router.delete("/assessments/{assessment_id}", response={204: None})
def delete_assessment(request: HttpRequest, assessment_id: int):  # type: ignore[no-untyped-def]
    """Delete a draft (409 once it was submitted)."""
    services.delete_assessment(assessment_id, user=request.user)
    return Status(204, None)


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def get_assessment(request: HttpRequest, assessment_id: int):  # type: ignore[no-untyped-def]
    return assessment_access.get_assessment(assessment_id, request.user, channel="api")


@router.get("/assessments/{assessment_id}/answers", response=list[AnswerOut])
@paginate
def list_answers(request: HttpRequest, assessment_id: int, topic: str | None = None):  # type: ignore[no-untyped-def]
    answers = assessment_access.get_assessment(
        assessment_id, request.user, channel="api", what="answers"
    ).answers.order_by("datapoint")
    return answers.filter(datapoint__startswith=f"{topic}.") if topic else answers


@router.put("/assessments/{assessment_id}/answers/{datapoint}", response={200: AnswerOut, 204: None})
def put_answer(request: HttpRequest, assessment_id: int, datapoint: str, payload: AnswerIn):  # type: ignore[no-untyped-def]
    answer = services.save_answer(
        assessment_id, datapoint, payload.value, unit=payload.unit, user=request.user, reason=payload.reason
    )
    return Status(200, answer) if answer is not None else Status(204, None)


@router.get("/assessments/{assessment_id}/results")
def get_results(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """Per framework: summary and every requirement's status; findings; targets (the CLI's JSON).
    Each summary gives `compliance_rate` (met of decided) with what it stands on: `counts`,
    `decided_rate` (decided of applicable) and `enough_answers` (whether the rate may be the headline:
    at least 80 % of the applicable requirements decided)."""
    lang = api_lang(request)
    evaluation = services.evaluate_assessment(assessment_id, user=request.user, channel="api")
    return evaluation_dict(evaluation, lang, library())


@router.get("/assessments/{assessment_id}/findings")
def get_findings(request: HttpRequest, assessment_id: int) -> list[dict[str, Any]]:
    return get_results(request, assessment_id)["findings"]  # type: ignore[no-any-return]


@router.get("/assessments/{assessment_id}/evidence", response=list[EvidenceOut])
@paginate
def list_evidence(request: HttpRequest, assessment_id: int, datapoint: str | None = None):  # type: ignore[no-untyped-def]
    evidence = assessment_access.get_assessment(
        assessment_id, request.user, channel="api", what="evidence list"
    ).evidence
    return evidence.filter(datapoint=datapoint) if datapoint else evidence.all()


@router.post("/assessments/{assessment_id}/evidence", response={201: EvidenceOut})
def upload_evidence(  # type: ignore[no-untyped-def]
    request: HttpRequest, assessment_id: int, file: File[UploadedFile], datapoint: Form[str] = ""
):
    """Attach a file (PDF, JPG, PNG, XLSX, DOCX or CSV) to the assessment, or to one of its facts."""
    evidence = attach_evidence(
        assessment_id,
        file,
        name=file.name or "file",
        size=file.size or 0,
        user=request.user,
        datapoint=datapoint[:100],
    )
    return Status(201, evidence)


@router.get("/evidence/{evidence_id}/download")
def download_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    return as_attachment(get_download(evidence_id, user=request.user, channel="api"))
