"""The action plan in the API: the same services and access rules as the pages. Writes need a
read-write token or a session; refusals are 422 with the field and a message in the language asked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from commonground.actions import services
from commonground.actions.errors import ActionRefused
from commonground.common.language import api_lang

router = Router(tags=["actions"])


class FindingOut(Schema):
    datapoint: str
    severity: str
    value: Any
    frameworks: list[str]
    requirements: list[str]
    buyers: list[str]
    legal: bool
    persists: bool | None


class ActionOut(Schema):
    id: int
    facility_id: int
    assessment_id: int | None
    title: str
    description: str
    root_cause_category: str
    root_cause: str
    owner_id: int | None
    due_date: dt.date
    cost_estimate_vnd: int | None
    solution_id: str
    status: str
    cancel_reason: str
    effective: bool | None
    overdue: bool
    verified_at: dt.datetime | None
    findings: list[FindingOut]


class ActionIn(Schema):
    datapoints: list[str] = Field(..., min_length=1, max_length=200)
    title: str = Field(..., max_length=200)
    due_date: dt.date | None = None  # omitted: the frameworks' follow-up deadline for the findings
    description: str = ""
    root_cause_category: str = "other"
    root_cause: str = ""
    owner_id: int | None = None
    cost_estimate_vnd: int | None = None
    solution_id: str = Field("", max_length=100)


class ActionPatch(Schema):
    title: str | None = Field(None, max_length=200)
    due_date: dt.date | None = None
    description: str | None = None
    root_cause_category: str | None = None
    root_cause: str | None = None
    owner_id: int | None = None
    cost_estimate_vnd: int | None = None
    solution_id: str | None = Field(None, max_length=100)


class StatusIn(Schema):
    status: str
    reason: str = ""


class CommentIn(Schema):
    text: str = Field(..., max_length=10_000)


class CommentOut(Schema):
    id: int
    author_id: int | None
    organisation_id: int | None
    text: str
    created_at: dt.datetime


class RefusalOut(Schema):
    """The API's one error shape (code, message, field) plus every refused field's message."""

    code: str
    message: str
    field: str
    fields: dict[str, str]


def _refusal(request: HttpRequest, exc: ActionRefused) -> Status[dict[str, Any]]:
    lang = api_lang(request)
    with translation.override(lang):
        fields = exc.as_text()
    first = next(iter(fields), "")
    body = {"code": "refused", "message": " ".join(fields.values()), "field": first, "fields": fields}
    return Status(422, body)


@router.get("/facilities/{facility_id}/actions", response=list[ActionOut])
@paginate
def list_actions(request: HttpRequest, facility_id: int, status: str = ""):  # type: ignore[no-untyped-def]
    """The facility's action plan (status: open, in_progress, done, verified, cancelled or overdue)."""
    return services.list_actions(facility_id, user=request.user, status=status, channel="api")


@router.get("/actions/{action_id}", response=ActionOut)
def get_action(request: HttpRequest, action_id: int):  # type: ignore[no-untyped-def]
    return services.get_action(action_id, user=request.user, channel="api")[0]


@router.post("/assessments/{assessment_id}/actions", response={201: ActionOut, 422: RefusalOut})
def create_action(request: HttpRequest, assessment_id: int, payload: ActionIn):  # type: ignore[no-untyped-def]
    fields = payload.dict()
    datapoints = fields.pop("datapoints")
    try:
        action = services.create_action(assessment_id, datapoints, user=request.user, **fields)
    except ActionRefused as exc:
        return _refusal(request, exc)
    return Status(201, action)


@router.patch("/actions/{action_id}", response={200: ActionOut, 422: RefusalOut})
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch):  # type: ignore[no-untyped-def]
    """Change the fields given (the history records old and new values)."""
    try:
        return services.update_action(action_id, user=request.user, **payload.dict(exclude_unset=True))
    except ActionRefused as exc:
        return _refusal(request, exc)


@router.post("/actions/{action_id}/status", response={200: ActionOut, 422: RefusalOut})
def change_status(request: HttpRequest, action_id: int, payload: StatusIn):  # type: ignore[no-untyped-def]
    try:
        return services.change_status(action_id, payload.status, user=request.user, reason=payload.reason)
    except ActionRefused as exc:
        return _refusal(request, exc)


@router.get("/actions/{action_id}/comments", response=list[CommentOut])
@paginate
def list_comments(request: HttpRequest, action_id: int):  # type: ignore[no-untyped-def]
    return services.get_action(action_id, user=request.user, channel="api")[0].comments.all()


@router.post("/actions/{action_id}/comments", response={201: CommentOut, 422: RefusalOut})
def add_comment(request: HttpRequest, action_id: int, payload: CommentIn):  # type: ignore[no-untyped-def]
    try:
        return Status(201, services.add_comment(action_id, payload.text, user=request.user))
    except ActionRefused as exc:
        return _refusal(request, exc)
