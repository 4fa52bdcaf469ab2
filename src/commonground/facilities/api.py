"""Facilities in the API: the same access helper as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.facilities import access as facility_access

router = Router(tags=["facilities"])


class FacilityOut(Schema):
    id: int
    name: str
    name_vi: str
    province: str
    locality: str
    minimum_wage_region: str
    os_id: str
    sector: str
    processes: list[str]
    workers: int


@router.get("/facilities", response=list[FacilityOut])
@paginate
def list_facilities(request: HttpRequest, sector: str | None = None, province: str | None = None):  # type: ignore[no-untyped-def]
    found = facility_access.facilities_for(request.user).order_by("name")
    if sector:
        found = found.filter(sector=sector)
    if province:
        found = found.filter(province=province)
    return found


@router.get("/facilities/{facility_id}", response=FacilityOut)
def get_facility(request: HttpRequest, facility_id: int):  # type: ignore[no-untyped-def]
    return facility_access.get_facility(facility_id, request.user)
