"""The demo action plans: every stage of the workflow is there to look at, with plausible histories."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from commonground.actions.models import Action, ActionComment, Adoption
from commonground.web.demo.actions import seed_demo_actions
from commonground.web.demo.facilities import seed_demo
from tests.conftest import seeded_once


def _seed() -> int:
    seed_demo(facilities=16)
    return seed_demo_actions()


@pytest.fixture(scope="module")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    """The demo and its action plans seeded once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, _seed) as made:
        yield made


@pytest.fixture
def seeded(_seeded: int, db: None) -> int:
    return _seeded


def test_every_stage_of_the_workflow_is_seeded(seeded: int) -> None:
    actions = list(Action.objects.prefetch_related("findings", "events"))
    assert len(actions) == seeded >= 40
    statuses = Counter(a.status for a in actions)
    assert set(statuses) == set(Action.Status.values)
    assert any(a.overdue for a in actions) and any(a.effective for a in actions)
    assert any(a.effective is False for a in actions)
    assert all(a.cancel_reason for a in actions if a.status == "cancelled")
    assert all(a.verified_by_org is not None for a in actions if a.status == "verified")
    assert ActionComment.objects.filter(action__facility__owner__name__contains="demo").exists()


def test_histories_are_in_order_and_end_in_the_status(seeded: int) -> None:
    for action in Action.objects.prefetch_related("events", "findings"):
        events = list(action.events.all())
        assert events[0].kind == "created" and events[0].at == action.created_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        moves = [e for e in events if e.to_status]
        assert moves[-1].to_status == action.status, action.pk
        assert action.created_at <= timezone.now() and action.findings.count() == 1


def test_finished_actions_with_a_solution_recorded_their_adoption(seeded: int) -> None:
    adoptions = list(Adoption.objects.select_related("action"))
    assert len(adoptions) >= 5
    for adoption in adoptions:
        action = adoption.action
        assert action is not None and action.solution_id == adoption.solution_id
        finished = {timezone.localdate(e.at) for e in action.events.filter(to_status="done")}
        assert adoption.adopted_on in finished  # the first time it was done, when it was reopened since


def test_the_demo_factory_and_verifier_open_every_demo_action(seeded: int) -> None:
    from django.test import Client

    from commonground.web.demo.facilities import PASSWORD

    for username in ("factory.viewer", "verifier"):
        client = Client(HTTP_ACCEPT_LANGUAGE="vi")
        assert (
            client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
        )
        mine = Action.objects.filter(facility__owner__memberships__user__username="factory.admin")
        for facility_id in set(mine.values_list("facility_id", flat=True)):
            assert client.get(f"/facilities/{facility_id}/actions/").status_code == 200
        for action in mine:
            assert client.get(f"/actions/{action.pk}/").status_code == 200, (username, action.pk)
