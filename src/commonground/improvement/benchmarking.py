"""A facility among its peers on every metric it has a value for, from the sector's columns.

Only counts, percentiles, quartiles and binned counts of peers leave this module, and only for a
peer group of at least k facilities with a value: never a peer's identity or its own value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from commonground.core.benchmarks import Bin, Position, distribution, peer_mask, position
from commonground.core.library import Library
from commonground.core.metrics import Metric, all_metrics
from commonground.improvement.sector import SectorRows


@dataclass(frozen=True)
class MetricBenchmark:
    metric: Metric
    value: float
    position: Position | None  # None: fewer than k peers with a value
    bins: list[Bin]
    marked: int | None  # the bin that holds the facility's value


@dataclass(frozen=True)
class PeerGroup:
    year: int
    widen: frozenset[str]
    k: int
    size: int | None  # None when under k (the exact count is not shown either)
    metrics: list[MetricBenchmark]


def _order(metric_id: str) -> tuple[int, str]:
    prefix = metric_id.split(".", 1)[0]
    return ({"level": 2, "noncompliance": 3}.get(prefix, 1), metric_id)


def _marked(bins: list[Bin], value: float) -> int | None:
    if not bins:
        return None
    for i, b in enumerate(bins):
        if b.lo <= value <= b.hi:
            return i
    return 0 if value < bins[0].lo else len(bins) - 1


def _one(metric: Metric, values: np.ndarray, mask: np.ndarray, index: int, k: int) -> MetricBenchmark | None:
    value = float(values[index])
    if math.isnan(value):
        return None
    peers = values[mask]
    found = position(value, peers, metric.better, k)
    bins = distribution(peers, bins=4 if metric.unit == "level" else 10, k=k) if found else []
    return MetricBenchmark(metric, value, found, bins, _marked(bins, value))


def peer_group(
    lib: Library, rows: SectorRows, index: int, year: int, widen: frozenset[str], k: int
) -> PeerGroup:
    """The facility in row `index` among the rows sharing its profile (less the widened dimensions)."""
    mask = peer_mask(rows.profile, index, widen)
    size = int(mask.sum())
    metrics = all_metrics(lib)
    found = [
        _one(metrics[mid], rows.metrics[mid], mask, index, k)
        for mid in sorted(rows.metrics, key=_order)
        if mid in metrics
    ]
    return PeerGroup(year, widen, k, size if size >= k else None, [m for m in found if m is not None])


def percentiles(group: PeerGroup) -> dict[str, Position | None]:
    """Per metric, the facility's position (for ranking what to fix first)."""
    return {m.metric.id: m.position for m in group.metrics}
