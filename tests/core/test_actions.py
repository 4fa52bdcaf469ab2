"""Corrective actions: allowed status changes, overdue and due soon, and the follow-up rule."""

from __future__ import annotations

import datetime as dt

import pytest

from commonground.core import actions as a
from commonground.core.actions import TransitionRefused, check_transition

TODAY = dt.date(2026, 6, 15)


def test_the_facility_moves_its_work_forward_and_back() -> None:
    assert a.allowed_targets(a.OPEN, "facility") == (a.IN_PROGRESS, a.DONE, a.CANCELLED)
    assert a.allowed_targets(a.DONE, "facility") == (a.IN_PROGRESS, a.CANCELLED)
    check_transition(a.IN_PROGRESS, a.DONE, "facility")


def test_the_facility_cannot_verify_its_own_action() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(a.DONE, a.VERIFIED, "facility")
    assert refused.value.code == "not_allowed"


def test_only_a_finished_action_can_be_confirmed() -> None:
    check_transition(a.DONE, a.VERIFIED, "closer")
    for status in (a.OPEN, a.IN_PROGRESS, a.CANCELLED, a.VERIFIED):
        with pytest.raises(TransitionRefused):
            check_transition(status, a.VERIFIED, "closer")


def test_the_closer_may_send_a_finished_action_back_with_a_reason() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(a.DONE, a.IN_PROGRESS, "closer", "  ")
    assert refused.value.code == "reason_needed"
    check_transition(a.DONE, a.IN_PROGRESS, "closer", "the photo shows the old exit")


def test_cancelling_needs_a_reason() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(a.OPEN, a.CANCELLED, "facility")
    assert refused.value.code == "reason_needed"
    check_transition(a.OPEN, a.CANCELLED, "facility", "duplicate of another action")


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(a.OPEN, "closed", "facility")
    assert refused.value.code == "unknown_status"


def test_a_verified_action_is_final_except_for_a_later_assessment() -> None:
    assert a.allowed_targets(a.VERIFIED, "facility") == ()
    assert a.allowed_targets(a.VERIFIED, "closer") == ()
    assert a.allowed_targets(a.VERIFIED, "system") == (a.OPEN,)


def test_overdue_means_past_due_and_still_to_do() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    assert a.is_overdue(a.OPEN, yesterday, TODAY)
    assert a.is_overdue(a.IN_PROGRESS, yesterday, TODAY)
    assert not a.is_overdue(a.OPEN, TODAY, TODAY)
    for status in (a.DONE, a.VERIFIED, a.CANCELLED):
        assert not a.is_overdue(status, yesterday, TODAY)
    assert not a.is_overdue(a.OPEN, None, TODAY)


def test_due_soon_covers_today_to_fourteen_days() -> None:
    assert a.is_due_soon(a.OPEN, TODAY, TODAY)
    assert a.is_due_soon(a.OPEN, TODAY + dt.timedelta(days=14), TODAY)
    assert not a.is_due_soon(a.OPEN, TODAY + dt.timedelta(days=15), TODAY)
    assert not a.is_due_soon(a.OPEN, TODAY - dt.timedelta(days=1), TODAY)
    assert not a.is_due_soon(a.DONE, TODAY, TODAY)


def test_a_persisting_finding_reopens_a_finished_action() -> None:
    assert a.follow_up(a.DONE, [False, True]) == a.FollowUp(a.OPEN, False, "reopened")
    assert a.follow_up(a.VERIFIED, [True]) == a.FollowUp(a.OPEN, False, "reopened")
    assert a.follow_up(a.IN_PROGRESS, [True]) == a.FollowUp(a.IN_PROGRESS, False, "reopened")


def test_a_finding_that_disappeared_makes_a_finished_action_effective() -> None:
    assert a.follow_up(a.DONE, [False, False]) == a.FollowUp(a.DONE, True, "effective")
    assert a.follow_up(a.VERIFIED, [False]) == a.FollowUp(a.VERIFIED, True, "effective")
    assert a.follow_up(a.OPEN, [False]) == a.FollowUp(a.OPEN, None, "resolved")


def test_cancelled_actions_and_actions_without_findings_are_left_alone() -> None:
    assert a.follow_up(a.CANCELLED, [True]).kind == "unchanged"
    assert a.follow_up(a.DONE, []).kind == "unchanged"
