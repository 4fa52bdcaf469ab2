"""Benchmarks: size bands, peer groups, positions among peers and distributions, never under k."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.benchmarks import (
    Profile,
    band_name,
    distribution,
    peer_groups,
    peer_mask,
    percentiles,
    position,
    positions,
    size_band,
    size_band_codes,
)
from commonground.core.columnar import Columns
from commonground.core.library import Library
from tests.conftest import make_assessment

values_lists = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=40)


def test_size_bands() -> None:
    assert [size_band(w) for w in (0, 249, 250, 999, 1000, 2999, 3000, 40000)] == [
        "under_250",
        "under_250",
        "250_999",
        "250_999",
        "1000_2999",
        "1000_2999",
        "3000_plus",
        "3000_plus",
    ]
    assert size_band(None) == size_band(float("nan")) == "unknown"
    codes = size_band_codes([10, 300, np.nan, 5000])
    assert [band_name(int(c)) for c in codes] == ["under_250", "250_999", "unknown", "3000_plus"]


PROFILE = Profile(
    sector=np.array([0, 0, 0, 1, 0, -1]),
    region=np.array([1, 1, 2, 1, 1, 1]),
    size=np.array([2, 2, 2, 2, 3, 2]),
)


def test_peers_share_sector_region_and_size_and_exclude_the_facility() -> None:
    assert peer_mask(PROFILE, 0).tolist() == [False, True, False, False, False, False]
    assert peer_mask(PROFILE, 0, {"region"}).tolist() == [False, True, True, False, False, False]
    assert peer_mask(PROFILE, 0, {"sector", "region", "size"}).sum() == 5
    assert not peer_mask(PROFILE, 5).any()  # an unknown sector has no peers until widened
    with pytest.raises(ValueError, match="province"):
        peer_mask(PROFILE, 0, {"province"})


def test_peer_groups_match_peer_masks() -> None:
    for widen in (frozenset(), frozenset({"region"}), frozenset({"sector", "size"})):
        groups = peer_groups(PROFILE, widen)
        for i in range(len(groups)):
            same = (groups == groups[i]) & (groups >= 0)
            same[i] = False
            assert same.tolist() == peer_mask(PROFILE, i, widen).tolist()


def test_profile_from_columns(shipped: Library) -> None:
    facts = {
        "facility.sector": "footwear",
        "facility.minimum_wage_region": "2",
        "facility.workers_total": 1200,
    }
    cols = Columns.from_assessments(shipped, [make_assessment(shipped, facts), make_assessment(shipped, {})])
    profile = Profile.from_columns(cols)
    assert profile.sector.tolist() == [1, -1] and profile.region.tolist() == [1, -1]
    assert [band_name(int(c)) for c in profile.size] == ["1000_2999", "unknown"]
    assert profile.key()[0] != profile.key()[1]


def test_position_when_lower_is_better() -> None:
    pos = position(10.0, np.array([5.0, 10.0, 20.0, 30.0, 40.0, np.nan]), "lower", k=5)
    assert pos is not None
    assert pos.n == 5 and pos.percentile == 70.0  # 3 worse, 1 tie (half) out of 5
    assert (pos.q1, pos.median, pos.q3) == (10.0, 20.0, 30.0)


def test_position_is_hidden_under_k_or_without_a_value() -> None:
    assert position(1.0, np.array([1.0, 2.0, 3.0, 4.0]), "higher", k=5) is None
    assert position(float("nan"), np.arange(10.0), "higher", k=5) is None


def test_positions_of_every_metric() -> None:
    values = {"a": np.array([1.0, 2.0, 3.0]), "b": np.array([np.nan, 1.0, 1.0])}
    mask = np.array([False, True, True])
    found = positions(values, {"a": "higher", "b": "lower"}, mask, 0, k=2)
    assert found["a"] is not None and found["a"].percentile == 0.0
    assert found["b"] is None


@given(values_lists, st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.sampled_from(["lower", "higher"]))
def test_a_better_value_never_has_a_lower_percentile(
    peers: list[float], a: float, b: float, better: str
) -> None:
    worse_value, better_value = (max(a, b), min(a, b)) if better == "lower" else (min(a, b), max(a, b))
    pw = position(worse_value, np.array(peers), better, k=1)  # type: ignore[arg-type]
    pb = position(better_value, np.array(peers), better, k=1)  # type: ignore[arg-type]
    if not peers:
        assert pw is None and pb is None
    else:
        assert pw is not None and pb is not None
        assert 0.0 <= pw.percentile <= pb.percentile <= 100.0


@given(values_lists, st.integers(1, 10))
def test_no_position_is_ever_shown_for_fewer_than_k_peers(peers: list[float], k: int) -> None:
    pos = position(0.0, np.array(peers), "lower", k)
    assert (pos is None) == (len(peers) < k)
    if pos is not None:
        assert pos.n >= k


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.floats(0, 100, allow_nan=False) | st.just(float("nan"))), max_size=30
    )
)
def test_columnar_percentiles_agree_with_position(rows: list[tuple[int, float]]) -> None:
    groups = np.array([g for g, _ in rows], dtype=np.int64)
    values = np.array([v for _, v in rows], dtype=np.float64)
    found, _ = percentiles(values, groups, "lower", k=2)
    for i in range(len(rows)):
        peers = (groups == groups[i]) & (np.arange(len(rows)) != i)
        expected = position(float(values[i]), values[peers], "lower", k=2)
        assert (np.isnan(found[i]) and expected is None) or found[i] == expected.percentile  # type: ignore[union-attr]


def test_distribution_bins_count_every_peer() -> None:
    bins = distribution(np.array([0.0, 1.0, 2.0, 9.0, 10.0, np.nan]), bins=5)
    assert len(bins) == 5 and sum(b.count for b in bins) == 5
    assert bins[0].lo == 0.0 and bins[-1].hi == 10.0 and bins[0].count == 2
    assert distribution(np.array([3.0, 3.0])) == [distribution(np.array([3.0, 3.0]))[0]]
    assert distribution(np.array([3.0, 3.0]))[0].count == 2
    assert distribution(np.array([1.0, 2.0]), k=5) == [] and distribution(np.array([])) == []
