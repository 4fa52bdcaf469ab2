"""The locks, proven with two connections at once (PostgreSQL; SQLite runs one writer at a time
anyway): while one request holds the assessment's row to change its state, a change from another
waits for it and then sees the new state, so nothing slips in between a check and a lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from commonground.assessments import services, verification
from commonground.assessments.models import Answer, Assessment

pytestmark = pytest.mark.django_db(transaction=True)
DRILLS = "fire_safety.evacuation_drills_year"


def _while_held(assessment_id: int, new_status: str, change: Callable[[], Any]) -> str:
    """Run `change` while another connection holds the assessment's row, then moves it to
    `new_status`; what happened to the change: "waited, then <outcome>"."""
    held, release, outcome = threading.Event(), threading.Event(), {}

    def holder() -> None:
        try:
            with transaction.atomic():
                services.lock_assessment(assessment_id)
                held.set()
                release.wait(10)
                Assessment.objects.filter(pk=assessment_id).update(status=new_status)
        finally:
            connection.close()

    def changer() -> None:
        try:
            change()
            outcome["result"] = "changed"
        except services.Locked:
            outcome["result"] = "locked"
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=changer)
    second.start()
    second.join(0.5)
    waited = second.is_alive()
    release.set()
    first.join(10)
    second.join(10)
    return f"{'waited' if waited else 'did not wait'}, then {outcome.get('result')}"


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write)")


def test_a_correction_cannot_slip_in_while_the_assessment_is_completed(
    postgres_only: None, cast: dict[str, Any], assessment: Assessment
) -> None:
    services.save_answer(assessment.pk, DRILLS, 2, user=cast["alice"])
    services.submit_assessment(assessment.pk, user=cast["alice"])
    victor = cast["victor"]
    found = _while_held(
        assessment.pk,
        "verified",
        lambda: verification.correct_answer(assessment.pk, DRILLS, 3, user=victor, method="observation"),
    )
    assert found == "waited, then locked"
    assert Answer.objects.get().value == 2


def test_a_factory_answer_cannot_slip_in_while_the_assessment_is_submitted(
    postgres_only: None, cast: dict[str, Any], assessment: Assessment
) -> None:
    alice = cast["alice"]
    found = _while_held(
        assessment.pk, "submitted", lambda: services.save_answer(assessment.pk, DRILLS, 4, user=alice)
    )
    assert found == "waited, then locked"
    assert not Answer.objects.exists()
