"""Training coverage: which findings of the latest period had a training on their topic or fact in
the last 12 months, and which did not; the facility page links to the improvement pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commonground.improvement import services
from commonground.improvement.models import Training
from tests.improvement.conftest import client_for, own_assessment


def _training(cast: dict[str, Any], topic: str, days_ago: int, resource: str = "") -> Training:
    return Training.objects.create(
        facility=cast["facility"],
        topic=topic,
        resource_id=resource,
        title=f"{topic} course",
        delivered_on=dt.date.today() - dt.timedelta(days=days_ago),
        women=10,
        men=4,
    )


def test_findings_are_split_into_trained_and_not_trained(cast: dict[str, Any]) -> None:
    own_assessment(cast, 60, **{"fire_safety.evacuation_drills_year": 0})
    _training(cast, "working_time", 30)
    _training(cast, "fire_safety", 500)  # too long ago
    coverage = services.get_training_coverage(cast["facility"].pk, user=cast["bob"])
    covered = {c.datapoint for c in coverage.covered}
    uncovered = {c.datapoint for c in coverage.uncovered}
    assert "working_time.overtime_hours_month_max" in covered
    assert "fire_safety.evacuation_drills_year" in uncovered
    assert covered.isdisjoint(uncovered)


def test_a_resource_about_the_fact_covers_it_whatever_the_topic(cast: dict[str, Any]) -> None:
    from commonground.accounts.library import library

    own_assessment(cast, 60)
    resource = next(
        t for t in library().trainings.values() if "working_time.overtime_hours_month_max" in t.datapoints
    )
    _training(cast, "osh", 10, resource=resource.id)
    coverage = services.get_training_coverage(cast["facility"].pk, user=cast["bob"])
    assert "working_time.overtime_hours_month_max" in {c.datapoint for c in coverage.covered}


def test_the_trainings_page_shows_coverage_and_resources(cast: dict[str, Any]) -> None:
    own_assessment(cast, 60)
    body = client_for("bob", "vi").get(f"/facilities/{cast['facility'].pk}/trainings/").content.decode()
    assert "Chưa có đào tạo trong 12 tháng qua" in body
    assert "Tài liệu" in body


def test_the_facility_page_links_to_the_improvement_pages(cast: dict[str, Any]) -> None:
    body = client_for("alice", "en").get(f"/facilities/{cast['facility'].pk}/").content.decode()
    for page in ("priorities", "improvement", "benchmarks", "trainings"):
        assert f"/facilities/{cast['facility'].pk}/{page}/" in body
