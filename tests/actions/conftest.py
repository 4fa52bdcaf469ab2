"""The web cast (alice edits the factory, bob views, victor verifies, charlie is an outsider, the
buyer Bao) and an assessment with two findings: overtime and fire drills."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from commonground.accounts.models import Organisation
from commonground.actions import services
from commonground.actions.models import Action
from commonground.assessments import services as assessments
from commonground.assessments.models import Answer, Assessment
from commonground.sharing.models import Grant
from tests.web import conftest as web

# the web cast's fixtures, shared with this folder
cast, assessment, _fast_hashing = web.cast, web.assessment, web._fast_hashing

OVERTIME = "working_time.overtime_hours_month_max"
DRILLS = "fire_safety.evacuation_drills_year"


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def answer(assessment: Assessment, datapoint: str, value: Any) -> None:
    Answer.objects.create(assessment=assessment, datapoint=datapoint, value=value)


@pytest.fixture
def findings(assessment: Assessment) -> Assessment:
    """The assessment with overtime above the legal cap and no fire drill."""
    answer(assessment, OVERTIME, 60)
    answer(assessment, DRILLS, 0)
    return assessment


def make_action(cast: dict[str, Any], assessment: Assessment, *datapoints: str, **fields: Any) -> Action:
    """An action made through the service; one due in the past is made due later and then left to
    fall due (a past due date is refused when an action is created)."""
    today = timezone.localdate()
    due = fields.pop("due_date", today + dt.timedelta(days=30))
    past = isinstance(due, dt.date) and due < today
    values = {"title": "Cap overtime", "due_date": today + dt.timedelta(days=1) if past else due, **fields}
    action = services.create_action(assessment.pk, datapoints or (OVERTIME,), user=cast["alice"], **values)
    if past:
        Action.objects.filter(pk=action.pk).update(due_date=due)
        action.refresh_from_db()
    return action


def verified_next_period(cast: dict[str, Any], values: dict[str, Any]) -> Assessment:
    """Next year's assessment, answered, submitted and verified by victor."""
    nxt = Assessment.objects.create(
        facility=cast["facility"],
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        created_by=cast["alice"],
        verifier=cast["verifiers"],
    )
    for datapoint, value in values.items():
        Answer.objects.create(
            assessment=nxt, datapoint=datapoint, value=value, verification=Answer.Verification.CONFIRMED
        )
    assessments.submit_assessment(nxt.pk, user=cast["alice"])
    return assessments.complete_verification(nxt.pk, user=cast["victor"])


def grant(cast: dict[str, Any], content: str, grantee: Organisation | None = None) -> Grant:
    """A grant in force from the cast's facility (to its buyer unless another grantee is given)."""
    return Grant.objects.create(
        facility=cast["facility"],
        grantee=grantee or cast["buyer"],
        scope=Grant.Scope.BOTH,
        content=content,
        purpose="follow-up of corrective actions",
        expires_at=timezone.now() + dt.timedelta(days=90),
        status=Grant.Status.ACTIVE,
        decided_at=timezone.now(),
    )
