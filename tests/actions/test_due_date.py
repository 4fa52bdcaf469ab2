"""A due date in the past is refused when an action is created or its date changed, with a word beside
the field; an action that has fallen due keeps its date while other fields are edited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonground.accounts.tokens import create_token
from commonground.actions import services
from commonground.actions.errors import ActionRefused
from commonground.actions.models import Action
from commonground.assessments.models import Assessment
from tests.actions.conftest import OVERTIME, make_action
from tests.web.conftest import client_for

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _form(due: str) -> dict[str, Any]:
    return {
        "datapoint": [OVERTIME],
        "title": "Cap overtime",
        "root_cause_category": "planning",
        "due_date": due,
    }


def _api(user: Any) -> tuple[Client, dict[str, str]]:
    token = create_token(user, name="test", can_write=True)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "vi"}


def test_the_service_refuses_a_past_due_date_and_accepts_today(
    cast: dict[str, Any], findings: Assessment
) -> None:
    with pytest.raises(ActionRefused) as refused:
        services.create_action(findings.pk, [OVERTIME], user=cast["alice"], title="x", due_date=YESTERDAY)
    assert set(refused.value.errors) == {"due_date"}
    today = services.create_action(
        findings.pk, [OVERTIME], user=cast["alice"], title="x", due_date=timezone.localdate()
    )
    assert today.due_date == timezone.localdate()


@pytest.mark.parametrize(
    "lang, words", [("en", "The due date is in the past"), ("vi", "Hạn hoàn thành đã qua")]
)
def test_the_page_says_so_beside_the_field(
    cast: dict[str, Any], findings: Assessment, lang: str, words: str
) -> None:
    response = client_for("alice", lang).post(
        f"/assessments/{findings.pk}/actions/new", _form(YESTERDAY.isoformat())
    )
    page = response.content.decode()
    assert response.status_code == 400 and words in page
    field = page[page.index('id="id_due_date"') :]
    assert field[: field.index("</p>")].count(words) == 1  # in the due date's paragraph
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    "due", ["1999-01-01", "0001-01-01", "2024-02-30", "99999-01-01", "yesterday", "\u200b"]
)
def test_hostile_due_dates_are_refused_not_crashed(
    cast: dict[str, Any], findings: Assessment, due: str
) -> None:
    response = client_for("alice", "en").post(f"/assessments/{findings.pk}/actions/new", _form(due))
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_the_api_refuses_a_past_due_date_with_its_field(cast: dict[str, Any], findings: Assessment) -> None:
    client, headers = _api(cast["alice"])
    body = {"datapoints": [OVERTIME], "title": "Cap overtime", "due_date": YESTERDAY.isoformat()}
    response = client.post(
        f"/api/assessments/{findings.pk}/actions",
        json.dumps(body),
        content_type="application/json",
        **headers,  # type: ignore[arg-type]
    )
    assert response.status_code == 422
    assert "Hạn hoàn thành đã qua" in response.json()["fields"]["due_date"]
    assert not Action.objects.exists()


def test_a_fallen_due_action_keeps_its_date_while_edited(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings, due_date=YESTERDAY - dt.timedelta(days=30))
    past = action.due_date
    client, headers = _api(cast["alice"])

    def patch(body: dict[str, Any]) -> Any:
        return client.patch(
            f"/api/actions/{action.pk}",
            json.dumps(body),
            content_type="application/json",
            **headers,  # type: ignore[arg-type]
        )

    kept = patch({"title": "Cap overtime at 40 hours", "due_date": past.isoformat()})
    assert kept.status_code == 200 and kept.json()["due_date"] == past.isoformat()
    moved = patch({"due_date": YESTERDAY.isoformat()})
    assert moved.status_code == 422 and "due_date" in moved.json()["fields"]
    later = patch({"due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat()})
    assert later.status_code == 200
    page = client_for("alice", "en").post(
        f"/actions/{action.pk}/edit",
        {"title": "Again", "root_cause_category": "planning", "due_date": later.json()["due_date"]},
    )
    assert page.status_code == 302


def test_the_edit_page_keeps_a_past_date_when_other_fields_change(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings, due_date=YESTERDAY)
    response = client_for("alice", "en").post(
        f"/actions/{action.pk}/edit",
        {"title": "New title", "root_cause_category": "planning", "due_date": YESTERDAY.isoformat()},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.due_date) == ("New title", YESTERDAY)
