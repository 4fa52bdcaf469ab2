"""Verification by the invited verifier body, locking, versions and copying last period forward."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from commonground.assessments import services
from commonground.assessments.models import Answer, AnswerChange, Assessment


def _answered(cast: dict[str, Any], assessment: Assessment) -> None:
    services.save_answer(assessment.pk, "working_time.overtime_hours_month_max", 44, user=cast["alice"])
    services.save_answer(assessment.pk, "fire_safety.evacuation_drills_year", 2, user=cast["alice"])
    services.submit_assessment(assessment.pk, user=cast["alice"])


def test_the_verifier_confirms_or_corrects_and_then_locks(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    _answered(cast, assessment)
    victor = cast["victor"]
    services.verify_answer(
        assessment.pk, "fire_safety.evacuation_drills_year", user=victor, method="document_review"
    )
    services.verify_answer(
        assessment.pk,
        "working_time.overtime_hours_month_max",
        user=victor,
        method="worker_interview",
        note="time cards show 52 h in March",
        corrected=52,
    )
    answer = Answer.objects.get(datapoint="working_time.overtime_hours_month_max")
    assert (answer.value, answer.verification, answer.method) == (52.0, "corrected", "worker_interview")
    change = AnswerChange.objects.filter(datapoint="working_time.overtime_hours_month_max").last()
    assert change is not None and (change.old_value, change.new_value, change.changed_by) == (
        44.0,
        52.0,
        victor,
    )
    assert change.reason == "verifier: time cards show 52 h in March"
    services.complete_verification(assessment.pk, user=victor)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VERIFIED and assessment.verified_at is not None
    with pytest.raises(services.Locked):
        services.save_answer(assessment.pk, "fire_safety.evacuation_drills_year", 3, user=cast["alice"])


def test_verification_needs_every_answer_checked(cast: dict[str, Any], assessment: Assessment) -> None:
    _answered(cast, assessment)
    services.verify_answer(
        assessment.pk, "fire_safety.evacuation_drills_year", user=cast["victor"], method="observation"
    )
    with pytest.raises(ValidationError, match=r"working_time\.overtime_hours_month_max"):
        services.complete_verification(assessment.pk, user=cast["victor"])


def test_only_the_invited_verifier_verifies_and_only_submitted_work(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    services.save_answer(assessment.pk, "fire_safety.evacuation_drills_year", 2, user=cast["alice"])
    with pytest.raises(services.Locked):  # still a draft
        services.verify_answer(
            assessment.pk, "fire_safety.evacuation_drills_year", user=cast["victor"], method="observation"
        )
    services.submit_assessment(assessment.pk, user=cast["alice"])
    for name in ("alice", "charlie"):
        with pytest.raises(Http404):
            services.verify_answer(
                assessment.pk, "fire_safety.evacuation_drills_year", user=cast[name], method="observation"
            )
    with pytest.raises(ValidationError):
        services.verify_answer(
            assessment.pk, "fire_safety.evacuation_drills_year", user=cast["victor"], method="guessing"
        )
    with pytest.raises(services.AnswerRefused):
        services.verify_answer(
            assessment.pk,
            "fire_safety.evacuation_drills_year",
            user=cast["victor"],
            method="observation",
            corrected="twice",
        )


def test_a_later_change_makes_a_new_version_and_the_old_stays_readable(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    _answered(cast, assessment)
    for dp in ("working_time.overtime_hours_month_max", "fire_safety.evacuation_drills_year"):
        services.verify_answer(assessment.pk, dp, user=cast["victor"], method="document_review")
    services.complete_verification(assessment.pk, user=cast["victor"])
    second = services.new_version(assessment.pk, user=cast["alice"])
    assert (second.version, second.previous_id, second.status) == (2, assessment.pk, Assessment.Status.DRAFT)
    services.save_answer(second.pk, "fire_safety.evacuation_drills_year", 4, user=cast["alice"])
    old = {a.datapoint: a.value for a in Answer.objects.filter(assessment=assessment)}
    new = {a.datapoint: a.value for a in Answer.objects.filter(assessment=second)}
    assert old["fire_safety.evacuation_drills_year"] == 2 and new["fire_safety.evacuation_drills_year"] == 4
    assert (
        services.evaluate_assessment(assessment.pk, user=cast["bob"]).assessment.values[
            "fire_safety.evacuation_drills_year"
        ]
        == 2
    )
    with pytest.raises(ValidationError):
        services.new_version(second.pk, user=cast["alice"])


def test_copy_forward_fills_only_what_is_missing(cast: dict[str, Any], assessment: Assessment) -> None:
    services.save_answer(assessment.pk, "facility.workers_total", 800, user=cast["alice"])
    services.save_answer(assessment.pk, "working_time.weekly_rest_24h", True, user=cast["alice"])
    later = services.create_assessment(
        cast["facility"].pk, user=cast["alice"], start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
    )
    services.save_answer(later.pk, "facility.workers_total", 850, user=cast["alice"])
    assert services.copy_forward(later.pk, user=cast["alice"]) == 1
    values = {a.datapoint: a.value for a in later.answers.all()}
    assert values == {"facility.workers_total": 850, "working_time.weekly_rest_24h": True}
    assert (
        AnswerChange.objects.filter(assessment=later, reason__startswith="copied from 2026-01-01").count()
        == 1
    )
    assert services.copy_forward(later.pk, user=cast["alice"]) == 0


def test_the_verifier_bodys_reads_are_in_the_facilitys_access_log(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    from commonground.sharing.models import AccessLogEntry
    from tests.web.conftest import client_for

    client_for("alice").get(f"/assessments/{assessment.pk}/results/")
    assert not AccessLogEntry.objects.exists()  # the facility's own people are not logged
    victor = client_for("victor")
    victor.get(f"/assessments/{assessment.pk}/")
    victor.get(f"/assessments/{assessment.pk}/results/")
    entries = list(AccessLogEntry.objects.order_by("id"))
    assert [e.what.split(" ")[0] for e in entries] == ["assessment", "results"]
    assert {(e.read.organisation_id, e.channel, e.grant_id) for e in entries} == {
        (cast["verifiers"].pk, "page", None)
    }
    log = client_for("alice").get(f"/facilities/{cast['facility'].pk}/sharing/").content.decode()
    assert "Viet Verify" in log
