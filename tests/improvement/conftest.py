"""The web cast (alice edits the facility, bob views it, victor verifies, charlie is an outsider) and
builders for assessments with answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commonground.accounts.library import library
from commonground.assessments.models import Answer, Assessment
from commonground.assessments.services import to_json
from commonground.core.catalogue import normalise
from commonground.facilities.models import Facility
from tests.web.conftest import _fast_hashing, assessment, cast, client_for, member  # noqa: F401

__all__ = ["client_for", "make_assessment_with", "member"]


def make_assessment_with(
    facility: Facility, year: int, values: dict[str, Any], *, status: str = "verified", version: int = 1
) -> Assessment:
    """An assessment of one calendar year with these answers (canonical values)."""
    a = Assessment.objects.create(
        facility=facility,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        status=status,
        version=version,
    )
    lib = library()
    Answer.objects.bulk_create(
        Answer(assessment=a, datapoint=k, value=to_json(normalise(lib.datapoints[k], v)))
        for k, v in values.items()
    )
    return a


def sample_values(name: str = "02-footwear-dong-nai-2025.yaml") -> dict[str, Any]:
    """The canonical answers of a bundled sample assessment."""
    from commonground.core.assessments import read_assessment
    from commonground.core.library import SHIPPED

    return dict(read_assessment(SHIPPED.parent / "samples" / name, library()).values)


PROFILE = {"facility.sector": "garment", "facility.minimum_wage_region": "1", "facility.workers_total": 800}


def make_peer(
    name: str, overtime: float, *, years: tuple[int, ...] = (2024,), region: str = "1", **values: Any
) -> Facility:
    """A garment facility of another group like the cast's (800 workers, region 1) whose verified
    assessments answer the sample with this largest monthly overtime."""
    from commonground.accounts.models import Organisation

    owner = Organisation.objects.create(name=f"{name} group", kind=Organisation.Kind.FACTORY_GROUP)
    peer = Facility.objects.create(
        owner=owner, name=name, province="Tỉnh Đồng Nai", sector="garment", workers=800
    )
    answers = {
        **sample_values(),
        **PROFILE,
        "facility.minimum_wage_region": region,
        "working_time.overtime_hours_month_max": overtime,
        **values,
    }
    for year in years:
        make_assessment_with(peer, year, answers)
    return peer


def own_assessment(people: dict[str, Any], overtime: float, year: int = 2024, **values: Any) -> Assessment:
    """A verified assessment of the cast's facility with this largest monthly overtime."""
    answers = {**sample_values(), **PROFILE, "working_time.overtime_hours_month_max": overtime, **values}
    return make_assessment_with(people["facility"], year, answers)
