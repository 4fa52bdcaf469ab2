"""Isolation of the improvement pages and endpoints: every role against every one of them.

The facility's own people read (alice edits, bob views); a verifier, an outsider and a buyer without
a grant get 404, never 403. The solution catalogue is library data and aggregates under k: any
logged-in user reads it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from commonground.accounts.models import Membership
from commonground.accounts.tokens import create_token
from commonground.actions.models import Adoption
from commonground.improvement.models import Training
from tests.improvement.conftest import client_for, member, own_assessment

EVERYONE = {"alice", "bob", "victor", "charlie", "bao"}
OWN = {"alice", "bob"}
PAGES = {
    "/facilities/{f}/improvement/": OWN,
    "/facilities/{f}/priorities/": OWN,
    "/facilities/{f}/benchmarks/": OWN,
    "/facilities/{f}/benchmarks/?widen=sector&widen=size": OWN,
    "/facilities/{f}/trainings/": OWN,
    "/solutions/": EVERYONE,
    "/solutions/?topic=energy": EVERYONE,
    "/solutions/digital_time_keeping/": EVERYONE,
    "/solutions/no_such_solution/": set(),
}
API = {
    "/api/facilities/{f}/priorities": OWN,
    "/api/facilities/{f}/levels": OWN,
    "/api/facilities/{f}/benchmarks": OWN,
    "/api/facilities/{f}/benchmarks?widen=region": OWN,
    "/api/facilities/{f}/trainings": OWN,
    "/api/solutions/digital_time_keeping/insights": EVERYONE,
    "/api/solutions/no_such_solution/insights": set(),
}
USERS = sorted(EVERYONE)
TRAINING = {
    "topic": "osh",
    "title": "Machine guarding",
    "delivered_on": "2026-01-10",
    "women": "5",
    "men": "2",
}
ADOPTION = {"solution_id": "led_lighting", "adopted_on": "2026-01-10"}


@pytest.fixture
def world(cast: dict[str, Any]) -> dict[str, Any]:
    member("bao", cast["buyer"], Membership.Role.ADMIN)  # a buyer with no grant from this facility
    own_assessment(cast, 55)
    return {"f": cast["facility"].pk}


@pytest.mark.parametrize("username", USERS)
def test_pages(world: dict[str, Any], username: str) -> None:
    client = client_for(username)
    for template, allowed in PAGES.items():
        url = template.format(**world)
        assert client.get(url).status_code == (200 if username in allowed else 404), (username, url)


@pytest.mark.parametrize("username", USERS)
def test_writes_on_pages(world: dict[str, Any], username: str) -> None:
    client = client_for(username)
    trainings = client.post(f"/facilities/{world['f']}/trainings/", TRAINING)
    adoption = client.post(f"/facilities/{world['f']}/adoptions/new", ADOPTION)
    expected = 302 if username == "alice" else 404
    assert (trainings.status_code, adoption.status_code) == (expected, expected)
    assert Training.objects.exists() == Adoption.objects.exists() == (username == "alice")


@pytest.mark.parametrize("username", USERS)
def test_api(world: dict[str, Any], username: str) -> None:
    from django.contrib.auth.models import User

    token = create_token(User.objects.get(username=username), name="matrix", can_write=True)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for template, allowed in API.items():
        url = template.format(**world)
        assert client.get(url).status_code == (200 if username in allowed else 404), (username, url)
    body = json.dumps({**TRAINING, "women": 5, "men": 2})
    created = client.post(f"/api/facilities/{world['f']}/trainings", body, content_type="application/json")
    assert created.status_code == (201 if username == "alice" else 404), username


def test_anonymous_visitors_are_sent_to_log_in(world: dict[str, Any]) -> None:
    for template in PAGES:
        response = Client().get(template.format(**world))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_read_only_token_cannot_record_a_training(world: dict[str, Any], cast: dict[str, Any]) -> None:
    token = create_token(cast["alice"], name="read only")
    body = json.dumps({**TRAINING, "delivered_on": dt.date(2026, 1, 10).isoformat(), "women": 1})
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        f"/api/facilities/{world['f']}/trainings", body, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "read_only"
    assert not Training.objects.exists()
