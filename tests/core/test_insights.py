"""Peer insights: adopters' change against similar non-adopters over the same years, hidden under k."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.insights import (
    Adoption,
    Effect,
    Panel,
    affected_metrics,
    effect_key,
    effects_of,
    peer_sentence,
    solution_effects,
    weighted_median,
)
from commonground.core.library import Library
from commonground.core.metrics import METRICS, all_metrics

YEARS = (2023, 2024, 2025)


def _panel(adopter_drop: float = 0.20, other_drop: float = 0.05, n: int = 20, adopters: int = 6) -> Panel:
    before = np.linspace(100.0, 200.0, n)
    drop = np.where(np.arange(n) < adopters, adopter_drop, other_drop)
    grid = np.column_stack([before, before * (1 - drop / 2), before * (1 - drop)])
    return Panel(
        YEARS,
        {"energy": grid, "level": np.round(grid / 100)},
        np.zeros(n, dtype=np.int64),
        frozenset({"energy"}),
    )


def _adoptions(count: int = 6, year: int = 2024, solution: str = "condensate_recovery") -> list[Adoption]:
    return [Adoption(i, solution, year) for i in range(count)]


def test_adopters_are_compared_with_similar_non_adopters() -> None:
    effects = solution_effects(_panel(), _adoptions(), k=5, affects={"condensate_recovery": ["energy"]})
    e = effects[effect_key("condensate_recovery", "energy")]
    assert not e.suppressed and e.relative
    assert (e.adopters, e.comparison) == (6, 14)
    assert e.median_change_adopters == pytest.approx(-20.0)
    assert e.median_change_others == pytest.approx(-5.0)
    assert e.difference == pytest.approx(-15.0)
    assert e.low is not None and e.high is not None and e.low <= -15.0 <= e.high


def test_the_range_is_the_same_every_time() -> None:
    first = solution_effects(_panel(), _adoptions(), k=5)
    assert first == solution_effects(_panel(), _adoptions(), k=5)


def test_absolute_changes_for_metrics_that_are_not_relative() -> None:
    e = solution_effects(_panel(), _adoptions(), k=5, affects={"condensate_recovery": ["level"]})
    only = next(iter(e.values()))
    assert not only.relative and only.median_change_adopters is not None


def test_suppressed_under_k_with_no_numbers() -> None:
    e = solution_effects(_panel(), _adoptions(4), k=5)[effect_key("condensate_recovery", "energy")]
    assert e.suppressed and e.adopters == 4
    assert (e.median_change_adopters, e.median_change_others, e.difference, e.low, e.high) == (None,) * 5
    hidden = solution_effects(_panel(adopters=17), _adoptions(17), k=5)
    assert all(x.suppressed and x.comparison == 3 for x in hidden.values())


def test_an_adoption_needs_the_year_before_and_after() -> None:
    e = solution_effects(_panel(), _adoptions(year=2025), k=1)[effect_key("condensate_recovery", "energy")]
    assert e.suppressed and e.adopters == 0


def test_later_adopters_still_compare_but_earlier_ones_do_not() -> None:
    adoptions = [
        *_adoptions(),
        Adoption(10, "condensate_recovery", 2030),
        Adoption(11, "condensate_recovery", 2025),
    ]
    e = solution_effects(_panel(), adoptions, k=5)[effect_key("condensate_recovery", "energy")]
    assert e.comparison == 13  # 11 adopted within the window, 10 only long after


def test_only_similar_facilities_are_compared() -> None:
    panel = _panel()
    key = np.where(np.arange(20) < 12, 1, 2)
    panel = Panel(panel.years, panel.values, key, panel.relative)
    assert solution_effects(panel, _adoptions(), k=5)["condensate_recovery/energy"].comparison == 6
    assert solution_effects(panel, _adoptions(), k=1, key=2)["condensate_recovery/energy"].adopters == 0


def test_panel_from_rows_places_each_assessment() -> None:
    panel = Panel.from_rows({"m": np.array([1.0, 2.0, 3.0])}, [0, 0, 1], [2024, 2025, 2025], [7, 8])
    assert panel.years == (2024, 2025)
    assert np.isnan(panel.values["m"][1, 0]) and panel.values["m"][0].tolist() == [1.0, 2.0]
    assert panel.key.tolist() == [7, 8]


def test_weighted_median() -> None:
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])) == 2.0
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([10.0, 1.0, 1.0])) == 1.0


def test_affected_metrics_follow_the_data_points(shipped: Library) -> None:
    metrics = all_metrics(shipped)
    found = affected_metrics(shipped.solutions["condensate_recovery"], metrics)
    assert "energy_intensity.pieces" in found and "water_intensity.tonne" in found
    assert "noncompliance.energy" in found and "overtime_month_max" not in found
    assert "overtime_month_max" in affected_metrics(shipped.solutions["digital_time_keeping"], metrics)


def test_effects_of_one_solution_shown_first() -> None:
    shown = Effect("a", "z", 6, 9, -1.0, 0.0, -1.0, -2.0, 0.0, False)
    hidden = Effect("a", "b", 2, 9, None, None, None, None, None, True)
    other = Effect("b", "b", 6, 9, -1.0, 0.0, -1.0, -2.0, 0.0, False)
    assert effects_of({"1": hidden, "2": shown, "3": other}, "a") == [shown, hidden]


def test_the_sentence_in_both_languages(shipped: Library) -> None:
    e = solution_effects(_panel(), _adoptions(), k=5)[effect_key("condensate_recovery", "energy")]
    solution, metric = shipped.solutions["condensate_recovery"], METRICS["energy_intensity.pieces"]
    en, vi = peer_sentence(e, solution, metric, "en"), peer_sentence(e, solution, metric, "vi")
    assert en is not None and vi is not None
    assert "Return steam condensate to the boiler" in en and "lowered energy" in en and "about 15 %" in en
    assert "based on 20 factories (6 that adopted it)" in en
    assert "Thu hồi nước ngưng về nồi hơi" in vi and "giảm năng lượng" in vi and "khoảng 15 %" in vi
    assert "dựa trên 20 nhà máy" in vi
    hidden = Effect("x", "m", 2, 2, None, None, None, None, None, True)
    assert peer_sentence(hidden, solution, metric, "en") is None


def test_the_sentence_speaks_plainly_not_of_intervals(shipped: Library) -> None:
    e = Effect("x", "m", 6, 6, -15.0, -4.0, -11.0, -14.0, -8.0, False, relative=True)
    solution, metric = shipped.solutions["condensate_recovery"], METRICS["energy_intensity.pieces"]
    vi, en = peer_sentence(e, solution, metric, "vi"), peer_sentence(e, solution, metric, "en")
    assert vi is not None and en is not None
    assert "giảm năng lượng trên 1.000 sản phẩm khoảng 11 % (thường từ 8 % đến 14 %)" in vi
    assert "so với các nhà máy tương tự không áp dụng; dựa trên 12 nhà máy" in vi
    assert "by about 11 % (usually between 8 % and 14 %) compared with similar factories" in en
    for text in (vi, en):
        assert "bất định" not in text and "uncertainty" not in text and "n =" not in text


def test_a_range_of_one_value_says_there_are_too_few_to_tell(shipped: Library) -> None:
    e = Effect("x", "m", 6, 9, -50.0, 0.0, -50.0, -50.0, -50.0, False, relative=True)
    metric = METRICS["energy_intensity.pieces"]
    vi = peer_sentence(e, shipped.solutions["led_lighting"], metric, "vi")
    en = peer_sentence(e, shipped.solutions["led_lighting"], metric, "en")
    assert vi is not None and "quá ít nhà máy để biết" in vi and "-50" not in vi
    assert en is not None and "too few factories to tell" in en and "-50" not in en


def test_a_range_across_zero_says_the_direction_is_not_certain(shipped: Library) -> None:
    e = Effect("x", "m", 6, 9, -1.0, 0.5, -1.5, -3.0, 2.0, False)
    text = peer_sentence(e, shipped.solutions["led_lighting"], METRICS["overtime_month_max"], "en")
    assert text is not None and "not certain: from 3 h less to 2 h more" in text


def test_no_difference_reads_as_such(shipped: Library) -> None:
    e = Effect("x", "m", 6, 9, 1.5, 1.5, 0.0, -3.0, 3.0, False)
    text = peer_sentence(e, shipped.solutions["led_lighting"], METRICS["overtime_month_max"], "en")
    assert text is not None and "saw the same change in largest monthly overtime" in text


@settings(max_examples=40, deadline=None)
@given(
    st.integers(6, 30),
    st.integers(1, 8),
    st.lists(st.tuples(st.integers(0, 29), st.sampled_from([2023, 2024, 2025])), max_size=30),
    st.integers(0, 2**31),
)
def test_no_effect_is_ever_shown_for_a_group_under_k(
    n: int, k: int, picks: list[tuple[int, int]], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    values = rng.normal(100, 10, (n, 3))
    values[rng.random((n, 3)) < 0.2] = np.nan
    panel = Panel(YEARS, {"m": values}, rng.integers(0, 3, n), frozenset({"m"}))
    adoptions = [Adoption(f % n, "s", y) for f, y in picks]
    for e in solution_effects(panel, adoptions, k).values():
        if e.suppressed:
            assert e.difference is None and e.median_change_adopters is None
        else:
            assert e.adopters >= k and e.comparison >= k
            assert e.low is not None and e.high is not None and e.low <= e.high
