"""Grants and the access log in the API."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.accounts import access
from commonground.sharing import services

router = Router(tags=["sharing"])


class GrantOut(Schema):
    id: int
    grantee_id: int
    scope: str
    content: str
    purpose: str
    status: str
    expires_at: dt.datetime


class LogOut(Schema):
    at: dt.datetime
    reader_id: int
    organisation_id: int
    grant_id: int | None
    what: str
    channel: str


@router.get("/facilities/{facility_id}/grants", response=list[GrantOut])
@paginate
def list_grants(request: HttpRequest, facility_id: int):  # type: ignore[no-untyped-def]
    return access.get_facility(facility_id, request.user).grants.all()


@router.get("/facilities/{facility_id}/access-log", response=list[LogOut])
@paginate
def list_access_log(request: HttpRequest, facility_id: int):  # type: ignore[no-untyped-def]
    return services.facility_log(facility_id, user=request.user).order_by("-id")
