"""Answering data points: checked, converted, recorded; refused answers store nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from commonground.assessments import services
from commonground.assessments.evaluations import frameworks_for
from commonground.assessments.models import Answer, AnswerChange, Assessment


def test_an_answer_in_another_unit_is_converted_and_every_change_is_recorded(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    alice = cast["alice"]
    services.save_answer(
        assessment.pk, "working_time.overtime_hours_month_max", "2640", unit="min", user=alice
    )
    services.save_answer(
        assessment.pk, "working_time.overtime_hours_month_max", 38, user=alice, reason="payroll re-checked"
    )
    answer = Answer.objects.get(assessment=assessment, datapoint="working_time.overtime_hours_month_max")
    assert answer.value == 38.0
    changes = list(
        AnswerChange.objects.filter(assessment=assessment).values_list("old_value", "new_value", "reason")
    )
    assert changes == [(None, 44.0, ""), (44.0, 38.0, "payroll re-checked")]
    assert all(c.changed_by == alice for c in AnswerChange.objects.all())


def test_a_refused_answer_stores_nothing_and_says_why_in_both_languages(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    with pytest.raises(services.AnswerRefused) as exc:
        services.save_answer(
            assessment.pk, "working_time.overtime_hours_month_max", 41, unit="kg", user=cast["alice"]
        )
    assert "cannot be converted" in exc.value.problem.message("en")
    assert "không thể đổi đơn vị" in exc.value.problem.message("vi")
    with pytest.raises(services.AnswerRefused):
        services.save_answer(assessment.pk, "facility.sector", "shipyard", user=cast["alice"])
    with pytest.raises(services.AnswerRefused):
        services.save_answer(assessment.pk, "working_time.no_such_fact", 1, user=cast["alice"])
    assert not Answer.objects.exists() and not AnswerChange.objects.exists()


def test_a_blank_answer_removes_it_and_the_removal_is_recorded(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    services.save_answer(assessment.pk, "facility.processes", ["sewing", "cutting"], user=cast["alice"])
    assert Answer.objects.get().value == ["cutting", "sewing"]
    services.save_answer(assessment.pk, "facility.processes", "", user=cast["alice"])
    assert not Answer.objects.exists()
    assert AnswerChange.objects.last().new_value is None  # type: ignore[union-attr]


def test_viewers_verifiers_and_outsiders_cannot_answer(cast: dict[str, Any], assessment: Assessment) -> None:
    for name in ("bob", "victor", "charlie"):
        with pytest.raises(Http404):
            services.save_answer(assessment.pk, "facility.workers_total", 10, user=cast[name])


def test_charlie_gets_404_and_victor_may_read(cast: dict[str, Any], assessment: Assessment) -> None:
    with pytest.raises(Http404):
        services.evaluate_assessment(assessment.pk, user=cast["charlie"])
    assert services.evaluate_assessment(assessment.pk, user=cast["victor"]).frameworks


def test_a_verified_assessment_is_locked(cast: dict[str, Any], assessment: Assessment) -> None:
    assessment.status = Assessment.Status.VERIFIED
    assessment.save()
    with pytest.raises(services.Locked):
        services.save_answer(assessment.pk, "facility.workers_total", 10, user=cast["alice"])


def test_results_come_from_the_engine_over_law_and_the_buyers_frameworks(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    alice = cast["alice"]
    for dp, value in {
        "facility.sector": "garment",
        "facility.minimum_wage_region": "1",
        "wages.lowest_base_wage_month_vnd": 5_000_000,
        "working_time.overtime_hours_month_max": 44,
    }.items():
        services.save_answer(assessment.pk, dp, value, user=alice)
    assert frameworks_for(cast["facility"]) == [
        "vn-labour-code-2019",
        "vn-osh-2015",
        "vn-environment-2020",
        "sa8000",
    ]
    evaluation = services.evaluate_assessment(assessment.pk, user=alice)
    wage = next(f for f in evaluation.findings if f.datapoint == "wages.lowest_base_wage_month_vnd")
    assert set(wage.frameworks) == {"vn-labour-code-2019", "sa8000"}
    services.save_answer(assessment.pk, "wages.lowest_base_wage_month_vnd", 5_400_000, user=alice)
    again = services.evaluate_assessment(assessment.pk, user=alice)  # no stale copy
    assert not any(f.datapoint == "wages.lowest_base_wage_month_vnd" for f in again.findings)


def test_submitting_twice_is_refused(cast: dict[str, Any], assessment: Assessment) -> None:
    services.submit_assessment(assessment.pk, user=cast["alice"])
    assert Assessment.objects.get().status == Assessment.Status.SUBMITTED
    with pytest.raises(services.Locked):
        services.submit_assessment(assessment.pk, user=cast["alice"])
