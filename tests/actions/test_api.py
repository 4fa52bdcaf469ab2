"""The action plan in the API: the same services, tokens for writes, refusals with their field."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from commonground.accounts.tokens import create_token
from commonground.actions.models import Action
from commonground.assessments.models import Assessment
from tests.actions.conftest import DRILLS, OVERTIME, make_action


def _api(user: Any, *, write: bool = True, lang: str = "en") -> tuple[Client, dict[str, str]]:
    token = create_token(user, name="test", can_write=write)
    return Client(enforce_csrf_checks=True), {
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_ACCEPT_LANGUAGE": lang,
    }


def _post(client: Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)  # type: ignore[arg-type]


def test_create_list_get_change_and_comment(cast: dict[str, Any], findings: Assessment) -> None:
    client, headers = _api(cast["alice"])
    created = _post(
        client,
        f"/api/assessments/{findings.pk}/actions",
        {"datapoints": [OVERTIME, DRILLS], "title": "Cap overtime", "due_date": "2099-10-01"},
        headers,
    )
    assert created.status_code == 201, created.content
    action_id = created.json()["id"]
    assert {f["datapoint"] for f in created.json()["findings"]} == {OVERTIME, DRILLS}
    listed = client.get(f"/api/facilities/{cast['facility'].pk}/actions", **headers)  # type: ignore[arg-type]
    assert [a["id"] for a in listed.json()["items"]] == [action_id]
    moved = _post(client, f"/api/actions/{action_id}/status", {"status": "done"}, headers)
    assert moved.status_code == 200 and moved.json()["status"] == "done"
    said = _post(client, f"/api/actions/{action_id}/comments", {"text": "done on 1 Oct"}, headers)
    assert said.status_code == 201
    comments = client.get(f"/api/actions/{action_id}/comments", **headers)  # type: ignore[arg-type]
    assert [c["text"] for c in comments.json()["items"]] == ["done on 1 Oct"]
    victor, victor_headers = _api(cast["victor"])
    assert (
        _post(victor, f"/api/actions/{action_id}/status", {"status": "verified"}, victor_headers).json()[
            "status"
        ]
        == "verified"
    )


def test_a_refusal_names_the_field_in_the_language_asked(cast: dict[str, Any], findings: Assessment) -> None:
    client, headers = _api(cast["alice"], lang="vi")
    action = make_action(cast, findings)
    refused = _post(client, f"/api/actions/{action.pk}/status", {"status": "cancelled"}, headers)
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"status": "Hãy nêu lý do: thay đổi này cần có lý do."}
    assert refused.json()["field"] == "status"  # the API's one error shape: code, message, field


def test_a_read_only_token_cannot_write(cast: dict[str, Any], findings: Assessment) -> None:
    client, headers = _api(cast["alice"], write=False)
    action = make_action(cast, findings)
    assert client.get(f"/api/actions/{action.pk}", **headers).status_code == 200  # type: ignore[arg-type]
    refused = _post(client, f"/api/actions/{action.pk}/status", {"status": "done"}, headers)
    assert refused.status_code == 403 and refused.json()["code"] == "read_only"
    assert Action.objects.get().status == "open"


def test_the_filter_overdue(cast: dict[str, Any], findings: Assessment) -> None:
    import datetime as dt

    make_action(cast, findings, title="late", due_date=dt.date.today() - dt.timedelta(days=2))
    make_action(cast, findings, title="later")
    client, headers = _api(cast["bob"], write=False)
    listed = client.get(f"/api/facilities/{cast['facility'].pk}/actions?status=overdue", **headers)  # type: ignore[arg-type]
    assert [(a["title"], a["overdue"]) for a in listed.json()["items"]] == [("late", True)]


def test_patch_changes_only_the_fields_given(cast: dict[str, Any], findings: Assessment) -> None:
    client, headers = _api(cast["alice"])
    action = make_action(cast, findings, root_cause="no plan")
    response = client.patch(
        f"/api/actions/{action.pk}",
        json.dumps({"due_date": "2027-02-01"}),
        content_type="application/json",
        **headers,  # type: ignore[arg-type]
    )
    assert response.status_code == 200 and response.json()["due_date"] == "2027-02-01"
    assert response.json()["root_cause"] == "no plan"
    refused = client.patch(
        f"/api/actions/{action.pk}",
        json.dumps({"title": " "}),
        content_type="application/json",
        **headers,  # type: ignore[arg-type]
    )
    assert refused.status_code == 422 and set(refused.json()["fields"]) == {"title"}
