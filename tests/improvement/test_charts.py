"""Charts read on a phone: x labels that do not overlap, whole facilities on count axes (checked on
the rendered SVG)."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest

from commonground.improvement import charts

FONT = 14  # the label size the charts use
CHAR = 7  # the narrowest a character of that size gets, on average


def _axis(svg: str, axis: str) -> list[ET.Element]:
    """The label texts of one axis (x or y), as drawn."""
    tree = ET.fromstring(svg)
    for g in tree.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class", "").split()[:2] == ["axis", axis]:
            return [t for t in g.iter("{http://www.w3.org/2000/svg}text")]
    raise AssertionError(f"no {axis} axis")


def _rotation(text: ET.Element) -> float:
    found = re.match(r"rotate\(([-\d.]+)", text.get("transform", ""))
    return float(found.group(1)) if found else 0.0


def _assert_no_overlap(labels: list[ET.Element]) -> None:
    """Level labels need their width between them; turned ones, a line's height across them."""
    xs = [float(t.get("x", "0")) for t in labels]
    for left, right, text in zip(xs, xs[1:], labels, strict=False):
        gap, angle = right - left, math.radians(_rotation(text))
        if angle:
            assert gap * math.sin(angle) >= FONT, (gap, _rotation(text), text.text)
        else:
            assert gap >= CHAR * len(text.text or ""), (gap, text.text)


BINS = [
    (f"{i * 1234.5:,.1f}–{(i + 1) * 1234.5:,.1f}", c) for i, c in enumerate([1, 0, 1, 2, 1, 0, 1, 1, 0, 1])
]


def test_distribution_labels_do_not_overlap_and_counts_are_whole() -> None:
    svg = charts.distribution_chart("Peers", BINS, 3, peers="Peers", yours="You", no_data="–")
    _assert_no_overlap(_axis(svg, "x"))
    ticks = [t.text or "" for t in _axis(svg, "y")]
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks  # no 0.5 of a facility
    assert ticks[0] == "0" and int(ticks[-1]) >= 2


@pytest.mark.parametrize("top", [1, 3, 7, 40, 1234])
def test_count_axes_step_by_whole_numbers(top: int) -> None:
    bins = [("a", 0), ("b", top), ("c", top // 2)]
    svg = charts.distribution_chart("Peers", bins, None, peers="Peers", yours="You", no_data="–")
    ticks = [int(t.text or "") for t in _axis(svg, "y")]
    assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 7
    assert len({b - a for a, b in itertools.pairwise(ticks)}) == 1


@pytest.mark.parametrize("n", [3, 8, 15, 30])
def test_many_periods_are_thinned_not_piled(n: int) -> None:
    periods = [f"{2000 + i} v{1 + i % 3}" for i in range(n)]
    svg = charts.trend_chart("Compliance", periods, [("Law", [50.0] * n)], no_data="–", low=0, high=100)
    visible = _visible(svg)
    assert 2 <= len(visible) <= n and visible[0].text == "2000 v1"
    _assert_no_overlap(visible)


def _visible(svg: str) -> list[ET.Element]:
    """The x labels a reader sees (pygal leaves out the minor ones when asked)."""
    return [t for t in _axis(svg, "x") if t.text and "minor" not in t.get("class", "")]
