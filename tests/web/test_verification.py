"""Verification by the invited verifier body, locking, versions and copying last period forward."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from commonground.assessments import services, verification
from commonground.assessments.evidence import EvidenceRefused, attach_evidence
from commonground.assessments.models import Answer, AnswerChange, Assessment, Evidence, VerificationRecord


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
    Assessment.objects.filter(pk=assessment.pk).update(
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    services.save_answer(assessment.pk, "facility.workers_total", 800, user=cast["alice"])
    services.save_answer(assessment.pk, "working_time.weekly_rest_24h", True, user=cast["alice"])
    later = services.create_assessment(
        cast["facility"].pk, user=cast["alice"], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    services.save_answer(later.pk, "facility.workers_total", 850, user=cast["alice"])
    assert services.copy_forward(later.pk, user=cast["alice"]) == 1
    values = {a.datapoint: a.value for a in later.answers.all()}
    assert values == {"facility.workers_total": 850, "working_time.weekly_rest_24h": True}
    assert (
        AnswerChange.objects.filter(assessment=later, reason__startswith="copied from 2025-01-01").count()
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


# ---- verification that finishes: confirm, correct, return, complete --------------------------

OVERTIME, DRILLS, WORKERS = (
    "working_time.overtime_hours_month_max",
    "fire_safety.evacuation_drills_year",
    "facility.workers_total",
)


def _submitted(cast: dict[str, Any], assessment: Assessment) -> None:
    for dp, value in ((OVERTIME, 44), (DRILLS, 2), (WORKERS, 800)):
        services.save_answer(assessment.pk, dp, value, user=cast["alice"])
    services.submit_assessment(assessment.pk, user=cast["alice"])


def _states(assessment: Assessment) -> dict[str, str]:
    return dict(assessment.answers.values_list("datapoint", "verification"))


def test_confirm_one_a_topic_or_every_pending_answer_recording_who_when_and_how(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    _submitted(cast, assessment)
    victor = cast["victor"]
    assert verification.confirm_answers(assessment.pk, [DRILLS], user=victor, method="observation") == 1
    assert (
        verification.confirm_answers(
            assessment.pk, "all", user=victor, method="document_review", topic="working_time"
        )
        == 1
    )
    assert _states(assessment) == {DRILLS: "confirmed", OVERTIME: "confirmed", WORKERS: "pending"}
    verification.correct_answer(assessment.pk, WORKERS, 820, user=victor, method="document_review")
    assert verification.confirm_answers(assessment.pk, "all", user=victor, method="worker_interview") == 0
    assert _states(assessment)[WORKERS] == "corrected"  # "all" leaves a correction alone
    drills = Answer.objects.get(datapoint=DRILLS)
    assert (drills.method, drills.verified_by, drills.verified_at is not None) == (
        "observation",
        victor,
        True,
    )
    steps = list(VerificationRecord.objects.values_list("datapoint", "step", "method", "recorded_by"))
    assert steps == [
        (DRILLS, "confirmed", "observation", victor.pk),
        (OVERTIME, "confirmed", "document_review", victor.pk),
        (WORKERS, "corrected", "document_review", victor.pk),
    ]


def test_a_correction_keeps_the_factorys_value_beside_the_verifiers(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    _submitted(cast, assessment)
    victor = cast["victor"]
    verification.correct_answer(
        assessment.pk, OVERTIME, 52, user=victor, method="worker_interview", note="cards"
    )
    verification.correct_answer(assessment.pk, OVERTIME, 50, user=victor, method="document_review")
    answer = Answer.objects.get(datapoint=OVERTIME)
    assert (answer.reported_value, answer.value, answer.verification) == (44.0, 50.0, "corrected")
    records = VerificationRecord.objects.filter(datapoint=OVERTIME)
    assert [(r.reported_value, r.value) for r in records] == [(44.0, 52.0), (44.0, 50.0)]  # history kept


def test_completion_names_every_pending_answer_then_locks_everything(
    cast: dict[str, Any], assessment: Assessment, settings: Any, tmp_path: Any
) -> None:
    settings.EVIDENCE_ROOT = tmp_path
    _submitted(cast, assessment)
    victor = cast["victor"]
    verification.confirm_answers(assessment.pk, [DRILLS], user=victor, method="observation")
    with pytest.raises(verification.StillPending) as caught:
        verification.complete_verification(assessment.pk, user=victor)
    assert caught.value.datapoints == sorted([OVERTIME, WORKERS])
    verification.confirm_answers(assessment.pk, "all", user=victor, method="document_review")
    verification.complete_verification(assessment.pk, user=victor)
    assessment.refresh_from_db()
    assert (
        assessment.status == "verified" and VerificationRecord.objects.filter(step="completed").count() == 1
    )
    for change in (
        lambda: services.save_answer(assessment.pk, DRILLS, 3, user=cast["alice"]),
        lambda: services.copy_forward(assessment.pk, user=cast["alice"]),
        lambda: attach_evidence(
            assessment.pk, io.BytesIO(b"%PDF-1 x"), name="a.pdf", size=8, user=cast["alice"]
        ),
        lambda: verification.confirm_answers(assessment.pk, "all", user=victor, method="observation"),
        lambda: verification.return_assessment(assessment.pk, user=victor, comment="again"),
        lambda: services.delete_assessment(assessment.pk, user=cast["alice"]),
    ):
        with pytest.raises(services.Locked):
            change()
    assert not Evidence.objects.exists()


def test_while_submitted_the_factorys_routes_are_closed_until_returned(
    cast: dict[str, Any], assessment: Assessment, settings: Any, tmp_path: Any
) -> None:
    settings.EVIDENCE_ROOT = tmp_path
    _submitted(cast, assessment)
    alice, victor = cast["alice"], cast["victor"]
    for change in (
        lambda: services.save_answer(assessment.pk, DRILLS, 3, user=alice),
        lambda: services.copy_forward(assessment.pk, user=alice),
        lambda: attach_evidence(assessment.pk, io.BytesIO(b"%PDF-1 x"), name="a.pdf", size=8, user=alice),
        lambda: services.submit_assessment(assessment.pk, user=alice),
        lambda: services.delete_assessment(assessment.pk, user=alice),
    ):
        with pytest.raises(services.Locked):
            change()
    verification.confirm_answers(assessment.pk, [DRILLS, WORKERS], user=victor, method="document_review")
    returned = verification.return_assessment(
        assessment.pk, user=victor, comment="Overtime: send the time cards"
    )
    assert (returned.status, returned.returned_comment) == ("returned", "Overtime: send the time cards")
    services.save_answer(assessment.pk, OVERTIME, 52, user=alice)  # open again
    attach_evidence(
        assessment.pk, io.BytesIO(b"%PDF-1 x"), name="cards.pdf", size=8, user=alice, datapoint=OVERTIME
    )
    services.save_answer(assessment.pk, DRILLS, 3, user=alice)  # a changed answer is pending again
    verified_before = Answer.objects.get(datapoint=WORKERS).verified_at
    assert verified_before is not None  # an unchanged one stays confirmed
    with pytest.raises(services.Locked):  # the verifier waits for the resubmission
        verification.confirm_answers(assessment.pk, "all", user=victor, method="observation")
    services.submit_assessment(assessment.pk, user=alice)
    assert _states(assessment) == {OVERTIME: "pending", DRILLS: "pending", WORKERS: "confirmed"}
    verification.confirm_answers(assessment.pk, "all", user=victor, method="document_review")
    assert verification.complete_verification(assessment.pk, user=victor).status == "verified"


def test_refused_verification_requests_say_which_field(cast: dict[str, Any], assessment: Assessment) -> None:
    _submitted(cast, assessment)
    victor = cast["victor"]
    cases = [
        (
            lambda: verification.confirm_answers(assessment.pk, "all", user=victor, method="guessing"),
            "method",
        ),
        (
            lambda: verification.confirm_answers(
                assessment.pk, ["nope.x"], user=victor, method="observation"
            ),
            "datapoints",
        ),
        (
            lambda: verification.confirm_answers(assessment.pk, [], user=victor, method="observation"),
            "datapoints",
        ),
        (
            lambda: verification.confirm_answers(
                assessment.pk, [DRILLS], user=victor, method="observation", note="x" * 2001
            ),
            "note",
        ),
        (
            lambda: verification.confirm_answers(
                assessment.pk, [DRILLS], user=victor, method="observation", note="a\x00"
            ),
            "note",
        ),
        (
            lambda: verification.confirm_answers(
                assessment.pk, ["a\ud800"], user=victor, method="observation"
            ),
            "datapoints",
        ),
        (lambda: verification.return_assessment(assessment.pk, user=victor, comment="  "), "comment"),
        (lambda: verification.return_assessment(assessment.pk, user=victor, comment="\ud800"), "comment"),
        (lambda: verification.correct_answer(assessment.pk, DRILLS, 3, user=victor, method="x"), "method"),
    ]
    for call, field in cases:
        with pytest.raises(verification.VerificationRefused) as caught:
            call()
        assert caught.value.field == field and caught.value.explain("vi") != caught.value.explain("en")
    with pytest.raises(services.AnswerRefused):
        verification.correct_answer(assessment.pk, "nope.x", 3, user=victor, method="observation")
    with pytest.raises(services.AnswerRefused):
        verification.correct_answer(assessment.pk, DRILLS, "twice", user=victor, method="observation")
    assert set(_states(assessment).values()) == {"pending"}


def test_only_the_invited_verifier_body_confirms(cast: dict[str, Any], assessment: Assessment) -> None:
    _submitted(cast, assessment)
    for name in ("alice", "bob", "charlie"):
        user = cast[name]
        with pytest.raises(Http404):
            verification.confirm_answers(assessment.pk, "all", user=user, method="observation")
        with pytest.raises(Http404):
            verification.complete_verification(assessment.pk, user=user)
        with pytest.raises(Http404):
            verification.return_assessment(assessment.pk, user=user, comment="x")
        with pytest.raises(Http404):
            verification.correct_answer(assessment.pk, DRILLS, 1, user=user, method="observation")
    assert set(_states(assessment).values()) == {"pending"}


def test_the_worklist_counts_what_is_pending_by_state(cast: dict[str, Any], assessment: Assessment) -> None:
    assert list(verification.worklist(cast["victor"])) == []  # a draft is not on it
    _submitted(cast, assessment)
    verification.confirm_answers(assessment.pk, [DRILLS], user=cast["victor"], method="observation")
    (item,) = verification.worklist(cast["victor"])
    assert (item.pk, item.status, item.pending) == (assessment.pk, "submitted", 2)
    assert list(verification.worklist(cast["victor"], "verified")) == []
    assert list(verification.worklist(cast["alice"])) == []
    assert verification.worklist_counts(cast["victor"]) == {"submitted": 1, "returned": 0, "verified": 0}


# ---- periods and drafts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("2026-01-01", "2026-12-31", "period_exists"),
        ("2026-07-01", "2026-12-31", "period_overlaps"),
        ("2025-06-01", "2025-01-01", "period_reversed"),
        ("2024-01-01", "2025-06-30", "period_too_long"),
        ("1999-01-01", "1999-12-31", "period_too_early"),
        ("2099-01-01", "2099-12-31", "period_in_future"),
    ],
)
def test_a_period_the_facility_cannot_have_is_refused_with_its_reason(
    cast: dict[str, Any], assessment: Assessment, start: str, end: str, code: str
) -> None:
    with pytest.raises(services.PeriodRefused) as caught:
        services.create_assessment(
            cast["facility"].pk,
            user=cast["alice"],
            start=dt.date.fromisoformat(start),
            end=dt.date.fromisoformat(end),
        )
    assert caught.value.code == code and Assessment.objects.count() == 1


def test_a_draft_can_be_deleted_by_its_editors_only(cast: dict[str, Any], assessment: Assessment) -> None:
    services.save_answer(assessment.pk, DRILLS, 2, user=cast["alice"])
    for name in ("bob", "victor", "charlie"):
        with pytest.raises(Http404):
            services.delete_assessment(assessment.pk, user=cast[name])
    services.delete_assessment(assessment.pk, user=cast["alice"])
    assert not Assessment.objects.exists() and not Answer.objects.exists()


def test_evidence_names_a_data_point_of_the_catalogue(
    cast: dict[str, Any], assessment: Assessment, settings: Any, tmp_path: Any
) -> None:
    settings.EVIDENCE_ROOT = tmp_path
    with pytest.raises(EvidenceRefused, match="datapoint_unknown"):
        attach_evidence(
            assessment.pk,
            io.BytesIO(b"%PDF-1 x"),
            name="a.pdf",
            size=8,
            user=cast["alice"],
            datapoint="no.such",
        )
    found = attach_evidence(
        assessment.pk, io.BytesIO(b"%PDF-1 x"), name="a.pdf", size=8, user=cast["alice"], datapoint=DRILLS
    )
    assert found.datapoint == DRILLS


def test_a_submitted_demo_assessment_can_be_verified_to_completion(db: None, settings: Any) -> None:
    """The issue's reproduction: answers the questionnaire no longer shows used to block completion."""
    from commonground.facilities.services import facility_burden
    from commonground.web.demo.facilities import PASSWORD, seed_demo
    from tests.web.conftest import client_for

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(facilities=8)
    submitted = Assessment.objects.filter(status="submitted").first()
    assert submitted is not None
    asked = {q.datapoint.id for q in facility_burden(submitted.facility).questionnaire.questions}
    outside = set(submitted.answers.values_list("datapoint", flat=True)) - asked
    assert outside  # the demo has answers no topic page shows
    client = client_for("verifier", "vi", PASSWORD)
    url = f"/assessments/{submitted.pk}/verification/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 300_000
    assert all(f'href="?topic={dp.split(".")[0]}#{dp}"' in html for dp in outside)  # pending, linked
    for topic in {dp.split(".")[0] for dp in outside}:
        shown = client.get(f"{url}?topic={topic}")
        assert shown.status_code == 200 and len(shown.content) < 100_000
    assert client.post(url + "confirm", {"method": "document_review"}).status_code == 302
    assert client.post(url + "complete").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "verified" and not submitted.answers.filter(verification="pending").exists()
