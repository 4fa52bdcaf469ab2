"""Closing the loop: the next verified assessment reopens an action whose finding persists and marks
an action whose finding disappeared as effective."""

from __future__ import annotations

from typing import Any

from commonground.actions import services
from commonground.actions.models import Action
from commonground.assessments.models import Assessment
from tests.actions.conftest import DRILLS, OVERTIME, make_action, verified_next_period


def _done(cast: dict[str, Any], action: Action) -> None:
    services.change_status(action.pk, "done", user=cast["alice"])


def test_a_persisting_finding_reopens_the_action_with_a_note(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings, OVERTIME, DRILLS)
    _done(cast, action)
    nxt = verified_next_period(cast, {OVERTIME: 52, DRILLS: 2})
    action.refresh_from_db()
    assert (action.status, action.effective, action.checked_in) == ("open", False, nxt)
    persists = dict(action.findings.values_list("datapoint", "persists"))
    assert persists == {OVERTIME: True, DRILLS: False}
    event = action.events.last()
    assert event is not None and event.kind == "reopened" and event.actor is None
    assert event.changes["period"] == "2027-01-01 – 2027-12-31" and event.changes["persisting"] == [OVERTIME]


def test_a_finding_that_disappeared_marks_the_action_effective(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings)
    _done(cast, action)
    services.change_status(action.pk, "verified", user=cast["victor"])
    verified_next_period(cast, {OVERTIME: 30})
    action.refresh_from_db()
    assert (action.status, action.effective) == ("verified", True)
    assert action.events.last().kind == "effective"  # type: ignore[union-attr]


def test_an_open_action_whose_finding_persists_stays_open_with_a_note(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings)
    verified_next_period(cast, {OVERTIME: 48})
    action.refresh_from_db()
    assert (action.status, action.effective) == ("open", False)
    assert action.events.last().kind == "reopened"  # type: ignore[union-attr]


def test_an_unanswered_data_point_says_nothing(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    _done(cast, action)
    verified_next_period(cast, {DRILLS: 2})
    action.refresh_from_db()
    assert (action.status, action.effective, action.checked_in) == ("done", None, None)


def test_cancelled_actions_are_left_alone(cast: dict[str, Any], findings: Assessment) -> None:
    action = make_action(cast, findings)
    services.change_status(action.pk, "cancelled", user=cast["alice"], reason="duplicate")
    verified_next_period(cast, {OVERTIME: 70})
    action.refresh_from_db()
    assert (action.status, action.effective) == ("cancelled", None)


def test_the_action_page_shows_the_note(cast: dict[str, Any], findings: Assessment) -> None:
    from tests.web.conftest import client_for

    action = make_action(cast, findings)
    _done(cast, action)
    verified_next_period(cast, {OVERTIME: 52})
    page = client_for("alice", "en").get(f"/actions/{action.pk}/").content.decode()
    assert (
        "Reopened: the finding persists in period 1 Jan 2027 – 31 Dec 2027." in page
    )  # dates as English writes them


def test_an_open_action_whose_finding_disappeared_is_noted_and_stays_open(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings)
    verified_next_period(cast, {OVERTIME: 20})
    action.refresh_from_db()
    assert (action.status, action.effective) == ("open", None)
    assert action.events.last().kind == "resolved"  # type: ignore[union-attr]
    assert action.findings.get().persists is False


def test_finishing_a_reopened_action_again_awaits_the_next_judgement(
    cast: dict[str, Any], findings: Assessment
) -> None:
    action = make_action(cast, findings)
    _done(cast, action)
    verified_next_period(cast, {OVERTIME: 52})
    _done(cast, action)
    action.refresh_from_db()
    assert (action.status, action.effective) == ("done", None)
    assert action.findings.get().persists is None
    assert [e.kind for e in action.events.all()][-2:] == ["reopened", "status"]
