"""Isolation of the action plan, proven: every role against every action page and endpoint.

alice edits the factory, bob views it, victor is its verifier body, charlie is an unrelated
organisation, bao a buyer without a grant on the plan, and gia a buyer holding one. Anyone not
allowed gets 404, never 403, so that an action's existence is not revealed."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from commonground.accounts.models import Membership, Organisation
from commonground.accounts.tokens import create_token
from commonground.actions.evidence import attach_evidence
from commonground.sharing.models import Grant
from tests.actions.conftest import OVERTIME, grant, make_action
from tests.web.conftest import PASSWORD, member

READERS = {"alice", "bob", "victor", "gia"}
PAGES = {
    "/facilities/{f}/actions/": READERS,
    "/facilities/{f}/actions/due/": {"alice", "bob"},
    "/assessments/{a}/actions/new": {"alice"},
    "/actions/{x}/": READERS,
    "/action-evidence/{e}/download": READERS,
}
API = {
    "/api/facilities/{f}/actions": READERS,
    "/api/actions/{x}": READERS,
    "/api/actions/{x}/comments": READERS,
}
# writes: url -> (body, status code per user); anyone not named gets 404. The verifier and the
# grantee may change the status of an action, but only to confirm or send back a finished one:
# starting work on it is refused (400 on a page, 422 in the API), not hidden.
CLOSERS_REFUSED = {"victor": 400, "gia": 400}
WRITES = {
    "/actions/{x}/comment": ({"text": "hello"}, {"alice": 302, "victor": 302, "gia": 302}),
    "/actions/{x}/edit": (
        {"title": "t", "root_cause_category": "other", "due_date": "2027-01-01"},
        {"alice": 302},
    ),
    "/actions/{x}/status": ({"status": "in_progress"}, {"alice": 302, **CLOSERS_REFUSED}),
}
API_WRITES = {
    "/api/actions/{x}/comments": ({"text": "hello"}, {"alice": 201, "victor": 201, "gia": 201}),
    "/api/actions/{x}/status": ({"status": "in_progress"}, {"alice": 200, "victor": 422, "gia": 422}),
    "/api/assessments/{a}/actions": (
        {"datapoints": [OVERTIME], "title": "t", "due_date": "2027-01-01"},
        {"alice": 201},
    ),
}
USERS = ("alice", "bob", "victor", "charlie", "bao", "gia")


@pytest.fixture
def world(cast: dict[str, Any], findings: Any) -> dict[str, Any]:
    member("bao", cast["buyer"], Membership.Role.ADMIN)  # a buyer with no grant on the plan
    grant(cast, Grant.Content.ANSWERS)  # bao's grant covers results, not the plan
    other = Organisation.objects.create(name="Gia Brand", kind=Organisation.Kind.BUYER)
    member("gia", other, Membership.Role.EDITOR)
    grant(cast, Grant.Content.ACTION_PLAN, other)
    action = make_action(cast, findings)
    evidence = attach_evidence(action.pk, io.BytesIO(b"%PDF-1 x"), name="a.pdf", size=8, user=cast["alice"])
    ids = {"f": cast["facility"].pk, "a": findings.pk, "x": action.pk, "e": evidence.pk}
    return {"ids": ids}


def _login(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _read(response: Any) -> None:
    if response.streaming:
        b"".join(response.streaming_content)  # read a download to its end (frees the connection)


@pytest.mark.parametrize("username", USERS)
def test_pages(world: dict[str, Any], username: str) -> None:
    client = _login(username)
    for template, allowed in PAGES.items():
        url = template.format(**world["ids"])
        response = client.get(url)
        _read(response)
        assert response.status_code == (200 if username in allowed else 404), (username, url)


@pytest.mark.parametrize("username", USERS)
def test_page_writes(world: dict[str, Any], username: str) -> None:
    client = _login(username)
    for template, (body, expected) in WRITES.items():
        url = template.format(**world["ids"])
        response = client.post(url, body)
        assert response.status_code == expected.get(username, 404), (username, url)


@pytest.mark.parametrize("username", USERS)
def test_api(world: dict[str, Any], username: str) -> None:
    from django.contrib.auth.models import User

    token = create_token(User.objects.get(username=username), name="matrix", can_write=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for template, allowed in API.items():
        url = template.format(**world["ids"])
        response = Client().get(url, **headers)  # type: ignore[arg-type]
        assert response.status_code == (200 if username in allowed else 404), (username, url)
    for template, (body, expected) in API_WRITES.items():
        url = template.format(**world["ids"])
        response = Client().post(url, json.dumps(body), content_type="application/json", **headers)  # type: ignore[arg-type]
        assert response.status_code == expected.get(username, 404), (username, url)
