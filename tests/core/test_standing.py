"""A compliance figure shows what it stands on; most answers missing never looks compliant."""

from __future__ import annotations

import pytest

from commonground.core.standing import ENOUGH, standing


def test_the_demo_labour_code_with_most_answers_missing_is_not_a_rate() -> None:
    s = standing({"met": 24, "not_met": 3, "unknown": 55, "not_applicable": 2})
    assert s.verdict == "not_enough"
    assert (s.decided, s.applicable, s.total) == (27, 82, 84)
    assert s.rate == pytest.approx(24 / 27)  # still known, never the headline
    assert s.decided_share == pytest.approx(27 / 82)


def test_a_rate_is_the_headline_once_enough_is_decided() -> None:
    assert standing({"met": 70, "not_met": 10, "unknown": 20}).verdict == "rate"  # exactly 80 %
    assert standing({"met": 69, "not_met": 10, "unknown": 21}).verdict == "not_enough"
    assert ENOUGH == 0.8


def test_all_unknown_or_nothing_applicable() -> None:
    unknown = standing({"unknown": 12})
    assert unknown.verdict == "not_enough" and unknown.rate is None and unknown.decided_share == 0
    nothing = standing({"not_applicable": 79})
    assert nothing.verdict == "not_applicable" and nothing.decided_share is None and nothing.rate is None
    empty = standing({})
    assert empty.verdict == "not_applicable" and empty.bar() == ()


def test_the_bar_adds_up_to_the_whole_and_leaves_out_empty_parts() -> None:
    bar = standing({"met": 24, "not_met": 3, "unknown": 55, "not_applicable": 2}).bar()
    assert [part for part, _ in bar] == ["met", "not_met", "unknown", "not_applicable"]
    assert sum(width for _, width in bar) == pytest.approx(100, abs=0.05)
    assert standing({"met": 5, "unknown": 5}).bar() == (("met", 50.0), ("unknown", 50.0))


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        standing({"met": -1})
