"""A synthetic sector: many assessments with realistic answers, generated straight into columns.

Answers straddle the thresholds the shipped rules use, so every framework sees a realistic mix of
met and not met. Where a public figure exists, the share of answers on the failing side follows it
(sources in `../shared/reference/domain.md`):

- annual overtime over the legal limit: 93 % of Better Work Vietnam factories (6th synthesis, 2013);
  we use 60 %, since the 2019 annual report calls overtime one of the highest non-compliance areas
  but no longer publishes a figure;
- interference with freedom of association: 62 % (BW Vietnam 8th synthesis, 2015);
- collective bargaining issues: about 50 % (same report);
- paid leave not paid correctly or on time: over 80 % (same report);
- wage information, use and deductions: about 50 % (same report);
- occupational safety and health: 70 % or more non-compliant on 6 of 8 points (same report) — we use
  40 % for each OSH fact, since one factory rarely fails every point;
- environmental management: more than half of facilities fail Level 1 in every Higg FEM section
  (CY2022) — 55 % on the failing side for management facts;
- legal non-compliance: 91 % of SLCP assessments have at least one (2021) — this follows from the
  rates above rather than being set directly.
Everything else falls on the failing side 15 % of the time, and 8 % of answers are missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from commonground.core.catalogue import DataPoint
from commonground.core.columnar import Columns, empty_column
from commonground.core.library import Library
from commonground.core.rules import Compare, leaves

MISSING = 0.08
DEFAULT_FAIL = 0.15
FAIL_BY_TOPIC = {"osh": 0.40, "fire_safety": 0.30, "env_management": 0.55, "env_practice": 0.55}
FAIL_BY_DATAPOINT = {
    "working_time.overtime_hours_year_max": 0.60,
    "working_time.overtime_hours_month_max": 0.45,
    "freedom_of_association.management_interference_in_union": 0.62,
    "freedom_of_association.cba_in_place": 0.50,
    "benefits.annual_leave_days_min": 0.80,
    "wages.unlawful_deductions": 0.50,
    "wages.lowest_base_wage_month_vnd": 0.05,
    "child_labour.youngest_worker_age": 0.01,
}
SECTORS = {"garment": 0.60, "footwear": 0.20, "textile": 0.12, "leather": 0.03, "other": 0.05}
REGIONS = {"1": 0.45, "2": 0.30, "3": 0.17, "4": 0.08}


@dataclass(frozen=True)
class Bound:
    op: str
    value: object


def bounds(lib: Library) -> dict[str, list[Bound]]:
    """Every constant each data point is compared with, across the library."""
    found: dict[str, list[Bound]] = {}
    for framework in lib.frameworks.values():
        for req in framework.requirements:
            for rule in (req.rule, req.applies_when, req.partial):
                for leaf in leaves(rule) if rule is not None else ():
                    if isinstance(leaf, Compare) and leaf.param is None and leaf.ref is None:
                        found.setdefault(leaf.dp, []).append(Bound(leaf.op, leaf.value))
    return found


def _pick(rng: np.random.Generator, shares: dict[str, float], n: int, dp: DataPoint) -> np.ndarray:
    codes = [dp.option_values.index(k) for k in shares if k in dp.option_values]
    weights = np.array([shares[dp.option_values[c]] for c in codes])
    return rng.choice(np.array(codes, dtype=np.int16), size=n, p=weights / weights.sum())


def _numeric(rng: np.random.Generator, dp: DataPoint, found: list[Bound], fail: np.ndarray) -> np.ndarray:
    n = len(fail)
    low = dp.min if dp.min is not None else 0.0
    high = dp.max if dp.max is not None else max([1.0, *(abs(float(b.value)) * 3 for b in found if _num(b))])
    numeric = [b for b in found if _num(b)]
    if not numeric:
        return rng.uniform(low, high, n)
    bound = numeric[0]
    limit = float(bound.value[1] if bound.op == "between" else bound.value)  # type: ignore[index]
    spread = max(abs(limit) * 0.25, 1.0)
    upper = bound.op in ("<", "<=", "between", "==")
    good = limit - np.abs(rng.normal(0, spread, n)) if upper else limit + np.abs(rng.normal(0, spread, n))
    bad = (
        limit + spread * 0.05 + np.abs(rng.normal(0, spread, n))
        if upper
        else limit - spread * 0.05 - np.abs(rng.normal(0, spread, n))
    )
    values = np.clip(np.where(fail, bad, good), low, high)
    return np.round(values) if dp.type == "integer" else np.round(values, 2)


def _num(bound: Bound) -> bool:
    if bound.op == "between":
        return True
    return isinstance(bound.value, float) and bound.op in ("<", "<=", ">", ">=", "==")


def _boolean(found: list[Bound], fail: np.ndarray) -> np.ndarray:
    wanted = next((b.value for b in found if b.op == "==" and isinstance(b.value, bool)), True)
    good = 1.0 if wanted else 0.0
    return np.where(fail, 1.0 - good, good)


def _enum(rng: np.random.Generator, dp: DataPoint, found: list[Bound], fail: np.ndarray) -> np.ndarray:
    n = len(fail)
    wanted = next((b.value for b in found if b.op == "==" and isinstance(b.value, str)), None)
    if wanted is None or wanted not in dp.option_values:
        return rng.integers(0, len(dp.options), n).astype(np.int16)
    others = [i for i, v in enumerate(dp.option_values) if v != wanted]
    bad = rng.choice(np.array(others, dtype=np.int16), size=n) if others else np.zeros(n, np.int16)
    return np.where(fail, bad, dp.option_values.index(wanted)).astype(np.int16)


def generate(lib: Library, n: int, seed: int = 2026) -> Columns:
    """n assessments (facilities x years 2022-2026) with realistic answers, as columns."""
    rng = np.random.default_rng(seed)
    years = rng.integers(2022, 2027, n)
    ends = np.array([dt.date(int(y), 12, 31).toordinal() for y in range(2022, 2027)])[years - 2022]
    cols = Columns(lib, ends.astype(np.int64))
    cols.start = np.array([dt.date(int(y), 1, 1).toordinal() for y in range(2022, 2027)])[years - 2022]
    found = bounds(lib)
    for dp_id, dp in lib.datapoints.items():
        fail_rate = FAIL_BY_DATAPOINT.get(dp_id, FAIL_BY_TOPIC.get(dp.topic, DEFAULT_FAIL))
        fail = rng.random(n) < fail_rate
        column = _column(rng, dp, found.get(dp_id, []), fail)
        answered = rng.random(n) >= MISSING
        blank = empty_column(dp, n)
        cols.values[dp_id] = np.where(answered, column, blank).astype(blank.dtype)
    _profile(rng, lib, cols, n)
    return cols


def _column(rng: np.random.Generator, dp: DataPoint, found: list[Bound], fail: np.ndarray) -> np.ndarray:
    n = len(fail)
    if dp.type == "boolean":
        return _boolean(found, fail)
    if dp.type == "enum":
        return _enum(rng, dp, found, fail)
    if dp.type == "multi-enum":
        return rng.integers(1, 1 << min(len(dp.options), 8), n).astype(np.int64)
    if dp.type == "date":
        return rng.integers(dt.date(2020, 1, 1).toordinal(), dt.date(2026, 12, 31).toordinal(), n).astype(
            float
        )
    if dp.type == "text":
        return np.ones(n)
    return _numeric(rng, dp, found, fail)


def _profile(rng: np.random.Generator, lib: Library, cols: Columns, n: int) -> None:
    """The facility profile is always answered and follows the sector's shape."""
    if "facility.sector" in lib.datapoints:
        cols.values["facility.sector"] = _pick(rng, SECTORS, n, lib.datapoints["facility.sector"])
    if "facility.minimum_wage_region" in lib.datapoints:
        region = lib.datapoints["facility.minimum_wage_region"]
        cols.values["facility.minimum_wage_region"] = _pick(rng, REGIONS, n, region)
    if "facility.workers_total" in lib.datapoints:
        cols.values["facility.workers_total"] = np.round(rng.lognormal(6.5, 1.0, n)).clip(10, 30000)
