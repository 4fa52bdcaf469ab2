"""The assessment's states, what is pending and which periods a facility may have: plain rules."""

from __future__ import annotations

import datetime as dt

import pytest

from commonground.core import verification as rules

TODAY = dt.date(2026, 12, 6)
YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_the_states_follow_draft_submitted_returned_verified() -> None:
    assert rules.next_status("draft", "submit") == "submitted"
    assert rules.next_status("submitted", "return") == "returned"
    assert rules.next_status("returned", "submit") == "submitted"
    assert rules.next_status("submitted", "complete") == "verified"


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("draft", "complete"),
        ("draft", "return"),
        ("returned", "complete"),
        ("verified", "submit"),
        ("verified", "return"),
        ("submitted", "submit"),
        ("unknown", "submit"),
    ],
)
def test_every_other_step_is_refused(status: str, step: str) -> None:
    with pytest.raises(rules.TransitionRefused):
        rules.next_status(status, step)


def test_only_a_draft_or_returned_assessment_takes_the_factorys_changes() -> None:
    assert [s for s in ("draft", "submitted", "returned", "verified") if rules.factory_may_change(s)] == [
        "draft",
        "returned",
    ]
    assert [s for s in ("draft", "submitted", "returned", "verified") if rules.verifier_may_change(s)] == [
        "submitted"
    ]
    assert rules.deletable("draft") and not rules.deletable("returned")


def test_pending_lists_what_is_neither_confirmed_nor_corrected_sorted() -> None:
    states = {"b.x": "pending", "a.y": "confirmed", "a.z": "pending", "c.w": "corrected"}
    assert rules.pending(states) == ["a.z", "b.x"]
    assert rules.pending({}) == []


def test_the_methods_are_the_catalogues() -> None:
    assert "document_review" in rules.METHODS and "guessing" not in rules.METHODS and len(rules.METHODS) == 6


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (dt.date(2026, 6, 1), dt.date(2026, 5, 31), "period_reversed"),
        (dt.date(2024, 1, 1), dt.date(2025, 1, 1), "period_too_long"),
        (dt.date(1999, 12, 31), dt.date(2000, 6, 30), "period_too_early"),
        (dt.date(2027, 1, 1), dt.date(2027, 12, 31), "period_in_future"),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "period_exists"),
        (dt.date(2025, 7, 1), dt.date(2026, 6, 30), "period_overlaps"),
        (dt.date(2024, 12, 1), dt.date(2025, 1, 1), "period_overlaps"),
    ],
)
def test_impossible_existing_and_overlapping_periods_are_named(
    start: dt.date, end: dt.date, code: str
) -> None:
    assert rules.period_problems(start, end, today=TODAY, existing=[YEAR_2025])[0] == code


def test_possible_periods_pass() -> None:
    ok = [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),  # a whole year, ending this year
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),  # a leap year: 366 days
        (dt.date(2000, 1, 1), dt.date(2000, 1, 1)),  # one day
    ]
    for start, end in ok:
        assert rules.period_problems(start, end, today=TODAY, existing=[YEAR_2025]) == []


def test_text_that_cannot_be_stored_is_named() -> None:
    assert rules.text_problem("x" * rules.MAX_NOTE) is None
    assert rules.text_problem("x" * (rules.MAX_NOTE + 1)) == "too_long"
    assert rules.text_problem("a\x00b") == "bad_characters"
    assert rules.text_problem("a\ud800b") == "bad_characters"
    assert rules.text_problem("Bảng chấm công tháng 3") is None
