"""The web cast (alice edits the facility, bob views it, victor verifies, charlie is an outsider) and
builders for assessments with answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commonground.assessments.models import Answer, Assessment
from commonground.assessments.services import library, to_json
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
