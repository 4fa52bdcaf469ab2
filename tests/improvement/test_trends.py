"""Levels and trends: one column per period, the latest verified version of each, levels per section."""

from __future__ import annotations

from typing import Any

from commonground.facilities.models import RequiredFramework
from commonground.improvement import services
from tests.improvement.conftest import client_for, make_assessment_with, sample_values

LEVELS = "env-improvement-levels"


def _with_levels(cast: dict[str, Any]) -> None:
    RequiredFramework.objects.create(buyer=cast["buyer"], framework_id=LEVELS)


def test_each_period_shows_its_latest_verified_version(cast: dict[str, Any]) -> None:
    facility = cast["facility"]
    values = sample_values()
    make_assessment_with(facility, 2024, values)
    make_assessment_with(
        facility, 2024, {**values, "working_time.overtime_hours_month_max": 80}, status="draft", version=2
    )
    make_assessment_with(facility, 2025, values, status="submitted")
    trends = services.get_trends(facility.pk, user=cast["bob"])
    assert [(p.label, p.verified, p.assessment.version) for p in trends.periods] == [
        ("2024", True, 1),
        ("2025", False, 1),
    ]


def test_levels_per_section_follow_the_answers(cast: dict[str, Any]) -> None:
    _with_levels(cast)
    facility, values = cast["facility"], sample_values()
    make_assessment_with(facility, 2024, {**values, "env_management.environmental_permit": False})
    make_assessment_with(facility, 2025, values)
    trends = services.get_trends(facility.pk, user=cast["alice"], lang="vi")
    levels = next(f for f in trends.frameworks if f.framework_id == LEVELS)
    assert levels.name == "Thang cải tiến liên tục về môi trường"
    ems = next(s for s in levels.sections if s.section == "ems")
    assert ems.achieved[0] == 0  # no permit: Level 1 of the management system is not reached
    assert ems.achieved[1] == 1
    assert len(levels.score) == 2
    law = next(f for f in trends.frameworks if f.framework_id == "vn-labour-code-2019")
    assert all(x is None or 0 <= x <= 100 for x in law.compliance)


def test_the_page_draws_charts_as_inline_svg_without_script(cast: dict[str, Any]) -> None:
    _with_levels(cast)
    make_assessment_with(cast["facility"], 2024, sample_values())
    make_assessment_with(cast["facility"], 2025, sample_values())
    response = client_for("bob", "en").get(f"/facilities/{cast['facility'].pk}/improvement/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 2 and "<script" not in body
    assert "Levels reached: Environmental continuous-improvement levels" in body
    assert len(response.content) < 300_000


def test_a_facility_without_assessments_gets_a_sentence_not_a_chart(cast: dict[str, Any]) -> None:
    body = client_for("alice", "vi").get(f"/facilities/{cast['facility'].pk}/improvement/").content.decode()
    assert "<svg" not in body
