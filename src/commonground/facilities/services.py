"""Facility use cases: what a facility must answer, and the burden that saves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from commonground.accounts import access
from commonground.assessments.services import frameworks_for, library
from commonground.core import regions
from commonground.core.i18n import gettext
from commonground.core.questionnaire import Questionnaire, build_questionnaire
from commonground.facilities.models import Facility, SupplyLink


@dataclass(frozen=True)
class FacilityBurden:
    buyers: int
    questionnaire: Questionnaire

    def sentence(self, lang: str) -> str:
        b = self.questionnaire.burden
        text = gettext(
            "Your {buyers} buyers' frameworks, with Vietnamese law, contain {requirements} requirements; "
            "you answer {asked} data points.",
            "vi" if lang == "vi" else "en",
        )
        return text.format(buyers=self.buyers, requirements=b.requirements, asked=b.datapoints_asked)


def get_facility_burden(facility_id: int, *, user: Any) -> FacilityBurden:
    """The facility's questionnaire: the union of its buyers' frameworks and the law, each fact once."""
    return facility_burden(access.get_facility(facility_id, user))


def facility_burden(facility: Facility) -> FacilityBurden:
    """The burden of a facility the caller has already been allowed to see."""
    buyers = SupplyLink.objects.filter(facility=facility).values("buyer").distinct().count()
    return FacilityBurden(buyers, build_questionnaire(library(), frameworks_for(facility)))


def derive_region(province: str, locality: str, on: dt.date) -> str:
    """The minimum-wage region for a location, or "" when it cannot be told.

    Without a commune or ward the province's "remaining units" region would be a guess (and the
    lowest one), so no region is derived: the facility answers it instead.
    """
    if not locality.strip():
        return ""
    try:
        match = regions.region_for(province, locality, on)
    except regions.AmbiguousLocalityError:
        return ""
    return match.region if match else ""


def create_facility(
    owner_id: int, *, user: Any, name: str, province: str, sector: str, locality: str = "", **identity: Any
) -> Facility:
    """A new facility of a factory group the user administers or edits, its region derived."""
    owner = access.organisations_of(user, write=True).get(pk=owner_id)
    region = derive_region(province, locality, identity.pop("on", None) or dt.date.today())
    return Facility.objects.create(
        owner=owner,
        name=name,
        province=province,
        locality=locality,
        sector=sector,
        minimum_wage_region=region,
        **identity,
    )
