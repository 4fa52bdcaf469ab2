"""Actions created from a framework's findings take its follow-up deadline by severity (issue 16
point 2): proposed on the form, and used by the service and the API when no due date is given."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonground.accounts.library import library
from commonground.accounts.tokens import create_token
from commonground.actions import services
from commonground.actions.errors import ActionRefused
from commonground.assessments import services as assessments
from commonground.assessments.models import Assessment
from commonground.facilities.models import RequiredFramework
from tests.actions.conftest import OVERTIME
from tests.web.conftest import client_for


@pytest.fixture
def rated(cast: dict[str, Any], findings: Assessment) -> Assessment:
    """The buyer also requires the example buyer code, which sets follow-up deadlines."""
    RequiredFramework.objects.create(buyer=cast["buyer"], framework_id="example-buyer-code")
    return findings


def _expected(assessment: Assessment, user: Any) -> dt.date:
    """Today plus the shortest deadline the example code gives the severities of the overtime
    finding's requirements (read from the framework file, not written here)."""
    days = library().frameworks["example-buyer-code"].spec.follow_up_days or {}
    (finding,) = [
        f
        for f in assessments.evaluate_assessment(assessment.pk, user=user).findings
        if f.datapoint == OVERTIME
    ]
    mine = [days[r.spec.severity] for r in finding.requirements if r.framework == "example-buyer-code"]
    assert mine, "the example code must be among the frameworks of the overtime finding"
    return timezone.localdate() + dt.timedelta(days=min(mine))


def test_without_a_due_date_the_action_takes_the_frameworks_deadline(
    cast: dict[str, Any], rated: Assessment
) -> None:
    action = services.create_action(rated.pk, [OVERTIME], user=cast["alice"], title="Cap overtime")
    assert action.due_date == _expected(rated, cast["alice"])


def test_a_due_date_given_is_kept(cast: dict[str, Any], rated: Assessment) -> None:
    mine = timezone.localdate() + dt.timedelta(days=7)
    action = services.create_action(rated.pk, [OVERTIME], user=cast["alice"], title="x", due_date=mine)
    assert action.due_date == mine


def test_where_no_framework_sets_a_deadline_a_due_date_is_still_asked(
    cast: dict[str, Any], findings: Assessment
) -> None:
    with pytest.raises(ActionRefused) as refused:
        services.create_action(findings.pk, [OVERTIME], user=cast["alice"], title="x")
    assert set(refused.value.errors) == {"due_date"}


def test_the_form_proposes_the_deadline(cast: dict[str, Any], rated: Assessment) -> None:
    page = client_for("alice").get(f"/assessments/{rated.pk}/actions/new?datapoint={OVERTIME}")
    due = _expected(rated, cast["alice"])
    assert f'value="{due.isoformat()}"' in page.content.decode()


def test_the_api_takes_the_deadline_when_none_is_sent(cast: dict[str, Any], rated: Assessment) -> None:
    token = create_token(cast["alice"], name="t", can_write=True)
    response = Client().post(
        f"/api/assessments/{rated.pk}/actions",
        json.dumps({"datapoints": [OVERTIME], "title": "Cap overtime"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["due_date"] == _expected(rated, cast["alice"]).isoformat()
