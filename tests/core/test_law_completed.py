"""The law completed (issue 16): annual leave by kind of work, textile effluent, QCVN 40:2025 and insurance
contribution rates, each at its edges, on the single and the columnar path alike."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.columnar import evaluate_many
from commonground.core.engine import Engine
from commonground.core.library import Library
from commonground.core.logic import Status
from tests.conftest import make_assessment

GARMENT = {"facility.sector": "garment", "facility.minimum_wage_region": "1"}


def status(shipped: Library, requirement: str, values: dict[str, Any], end: str = "2025-12-31") -> Status:
    """The status of one requirement ("framework/id"), the same on both paths."""
    framework = requirement.split("/")[0]
    assessment = make_assessment(shipped, values, end=end)
    single = Engine(shipped, [framework]).evaluate(assessment)
    (columnar,) = evaluate_many(shipped, [assessment], [framework])
    found = [
        (a.status, b.status)
        for a, b in zip(single.frameworks[0].results, columnar.frameworks[0].results, strict=True)
        if a.requirement.key == requirement
    ]
    assert len(found) == 1, requirement
    assert found[0][0] == found[0][1]
    return found[0][0]


LEAVE = "vn-labour-code-2019/leave.annual_hazardous"
HAZARDOUS = {**GARMENT, "osh.hazardous_work_workers_count": 40, "benefits.annual_leave_days_min": 12}


@pytest.mark.parametrize(("days", "expected"), [(12, Status.NOT_MET), (13, Status.NOT_MET), (14, Status.MET)])
def test_hazardous_work_needs_fourteen_days_of_leave(shipped: Library, days: int, expected: Status) -> None:
    values = {**HAZARDOUS, "benefits.annual_leave_days_hazardous_min": days}
    assert status(shipped, LEAVE, values) is expected
    # the normal 12 days stay met for the workers in normal conditions
    assert status(shipped, "vn-labour-code-2019/leave.annual", values) is Status.MET


def test_leave_by_kind_of_work_applies_only_where_such_workers_are(shipped: Library) -> None:
    none = {**GARMENT, "osh.hazardous_work_workers_count": 0, "benefits.annual_leave_days_hazardous_min": 12}
    assert status(shipped, LEAVE, none) is Status.NOT_APPLICABLE
    assert status(shipped, LEAVE, {**HAZARDOUS}) is Status.UNKNOWN  # the hazardous-job leave is not answered
    especially = "vn-labour-code-2019/leave.annual_especially_hazardous"
    values = {**HAZARDOUS, "osh.especially_hazardous_work_workers_count": 3}
    assert status(
        shipped, especially, {**values, "benefits.annual_leave_days_especially_hazardous_min": 15}
    ) is (Status.NOT_MET)
    assert status(
        shipped, especially, {**values, "benefits.annual_leave_days_especially_hazardous_min": 16}
    ) is (Status.MET)
    assert status(shipped, especially, {**HAZARDOUS, "osh.especially_hazardous_work_workers_count": 0}) is (
        Status.NOT_APPLICABLE
    )
    disabled = "vn-labour-code-2019/leave.annual_disabled"
    values = {**GARMENT, "facility.workers_with_disabilities": 2}
    assert (
        status(shipped, disabled, {**values, "benefits.annual_leave_days_disabled_min": 13}) is Status.NOT_MET
    )
    assert status(shipped, disabled, {**values, "benefits.annual_leave_days_disabled_min": 14}) is Status.MET
