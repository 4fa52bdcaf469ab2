"""Benchmarks: where a facility stands among its peers, and the peers' distribution for a chart.

Peers share the facility's sector, minimum-wage region (1–4, the region of Decree 293/2025/ND-CP,
which groups provinces by cost of living) and size band; the facility may widen the group by
dropping any of the three. A facility is never its own peer. A position is shown only when at least
k peers have a value (k is the caller's, 5 by default on the site), so that no single peer's answer
can be read off a chart.

The arrays are one row per facility for one period (the caller picks the rows, typically each
facility's latest verified assessment of the same year).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .columnar import Columns
from .metrics import Better

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
DIMENSIONS = ("sector", "region", "size")
SIZE_BANDS = ((250, "under_250"), (1000, "250_999"), (3000, "1000_2999"), (None, "3000_plus"))
UNKNOWN_BAND = "unknown"


def size_band(workers: int | float | None) -> str:
    """The size band of a workforce: under 250, 250–999, 1,000–2,999, 3,000 and more."""
    if workers is None or workers != workers or workers < 0:
        return UNKNOWN_BAND
    return next(name for limit, name in SIZE_BANDS if limit is None or workers < limit)


def size_band_codes(workers: npt.ArrayLike) -> Ints:
    """Size bands as codes (index into SIZE_BANDS; -1 unknown), for whole columns."""
    w = np.asarray(workers, dtype=np.float64)
    codes = np.searchsorted(np.array([250.0, 1000.0, 3000.0]), w, side="right").astype(np.int64)
    return np.where(np.isnan(w) | (w < 0), -1, codes)


def band_name(code: int) -> str:
    return UNKNOWN_BAND if code < 0 else SIZE_BANDS[code][1]


@dataclass(frozen=True)
class Profile:
    """Per facility (one row each): codes of sector, region and size band (-1 unknown)."""

    sector: Ints
    region: Ints
    size: Ints

    @classmethod
    def from_columns(cls, cols: Columns) -> Profile:
        def codes(dp: str) -> Ints:
            if dp not in cols.library.datapoints:
                return np.full(cols.n, -1, dtype=np.int64)
            return np.asarray(cols.column(dp), dtype=np.int64)

        if "facility.workers_total" in cols.library.datapoints:
            size = size_band_codes(cols.column("facility.workers_total"))
        else:
            size = np.full(cols.n, -1, dtype=np.int64)
        return cls(codes("facility.sector"), codes("facility.minimum_wage_region"), size)

    def key(self) -> Ints:
        """One similarity code per facility: sector and size band (for peer insights)."""
        return (self.sector + 1) * 16 + (self.size + 1)


def peer_mask(profile: Profile, index: int, widen: Iterable[str] = frozenset()) -> npt.NDArray[np.bool_]:
    """Facilities sharing the facility's sector, region and size band, minus the dimensions in
    `widen` ("sector", "region", "size"); never the facility itself. An unknown value matches nothing."""
    dropped = frozenset(widen)
    unknown = dropped - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown peer dimension(s): {', '.join(sorted(unknown))}")
    mask = np.ones(len(profile.sector), dtype=bool)
    for name in DIMENSIONS:
        if name not in dropped:
            column: Ints = getattr(profile, name)
            mine = column[index]
            mask &= (column == mine) & (mine >= 0)
    mask[index] = False
    return mask


@dataclass(frozen=True)
class Position:
    value: float
    percentile: float  # 0-100, 100 = better than every peer
    n: int  # peers with a value
    median: float
    q1: float  # the quartile on the worse side is not implied: q1 < q3 numerically
    q3: float
    better: Better


def position(value: float, peers: npt.ArrayLike, better: Better, k: int) -> Position | None:
    """The facility's standing among peers with a value; None when fewer than k or no value."""
    known = _known(peers)
    if len(known) < max(k, 1) or value != value:
        return None
    worse = known > value if better == "lower" else known < value
    ties = known == value
    percentile = 100.0 * (worse.sum() + 0.5 * ties.sum()) / len(known)
    q1, median, q3 = np.quantile(known, [0.25, 0.5, 0.75])
    return Position(
        float(value), round(float(percentile), 1), len(known), float(median), float(q1), float(q3), better
    )


def _known(values: npt.ArrayLike) -> Floats:
    array = np.asarray(values, dtype=np.float64)
    return array[np.isfinite(array)]


@dataclass(frozen=True)
class Bin:
    lo: float
    hi: float
    count: int


def distribution(peers: npt.ArrayLike, bins: int = 10, k: int = 0) -> list[Bin]:
    """Equal-width bins over the peers' values for a chart; empty when fewer than k values."""
    known = _known(peers)
    if len(known) == 0 or len(known) < k:
        return []
    lo, hi = float(known.min()), float(known.max())
    if lo == hi:
        return [Bin(lo, hi, len(known))]
    counts, edges = np.histogram(known, bins=bins, range=(lo, hi))
    return [Bin(float(edges[i]), float(edges[i + 1]), int(c)) for i, c in enumerate(counts)]


def positions(
    values: dict[str, Floats],
    better: dict[str, Better],
    mask: npt.NDArray[np.bool_],
    index: int,
    k: int,
) -> dict[str, Position | None]:
    """The facility's position on every metric among the peers in `mask`."""
    return {mid: position(float(v[index]), v[mask], better[mid], k) for mid, v in values.items()}


def peer_groups(profile: Profile, widen: Iterable[str] = frozenset()) -> Ints:
    """One group code per facility: facilities with the same code are each other's peers (-1: a
    facility with an unknown value on a kept dimension, which has no peers)."""
    dropped = frozenset(widen)
    code = np.zeros(len(profile.sector), dtype=np.int64)
    unknown = np.zeros(len(profile.sector), dtype=bool)
    for name in DIMENSIONS:
        if name not in dropped:
            column: Ints = getattr(profile, name)
            code = code * 64 + column + 1
            unknown |= column < 0
    return np.where(unknown, -1, code)


def percentiles(values: Floats, groups: Ints, better: Better, k: int) -> tuple[Floats, Ints]:
    """Every facility's percentile among its peers at once (the same as `position`, columnar), and
    its number of peers with a value; NaN where it has no value or fewer than k such peers."""
    out, peers = np.full(len(values), np.nan), np.zeros(len(values), dtype=np.int64)
    known = np.isfinite(values) & (groups >= 0)
    order = np.lexsort((values, groups))
    order = order[known[order]]
    g, v = groups[order], values[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:], len(g)]
    for start, end in zip(starts, ends, strict=True):
        chunk = v[start:end]
        below = np.searchsorted(chunk, chunk, side="left")
        above = len(chunk) - np.searchsorted(chunk, chunk, side="right")
        ties = len(chunk) - below - above - 1  # the facility itself is not its own peer
        worse = above if better == "lower" else below
        n = len(chunk) - 1
        peers[order[start:end]] = n
        if n >= max(k, 1):
            out[order[start:end]] = np.round(100.0 * (worse + 0.5 * ties) / n, 1)
    return out, peers
