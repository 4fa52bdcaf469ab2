"""Peer insights: what changed at factories that adopted a solution, against similar ones that did not.

For a solution adopted in year Y, an adopter's change in a metric runs from year Y-1 (before) to
year Y+1 (after), so the adoption year itself is never read as "before" or "after". Adopters need
the metric known in both years. The comparison group is every facility with the same similarity
key (sector and size band) that had not adopted the solution by Y+1, with the metric known in the
same two years. Comparison facilities are weighted so that each key and year counts as much as it
does among the adopters (a garment factory of 250–999 workers adopting in 2024 is compared with
garment factories of that size over 2023–2025, and so on).

The result is the median change among adopters, the weighted median among the comparison group,
their difference, and a 90 % bootstrap range of the difference (percentiles 5 and 95 of 400
replicates, numpy's default generator with a fixed seed, so a page shows the same range each time).
Each replicate resamples the adopters, and the comparison within each key and year in proportion to
its adopters (a stratified resample), about 1,500 comparison observations in all; resampling fewer
than all of a very large comparison group can only widen the range. An effect is suppressed, and
carries no numbers, when fewer than k facilities adopted or fewer than k are in the comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from .errors import Lang
from .i18n import gettext, gettext_noop
from .metrics import Metric
from .numbers import number
from .solutions import Solution

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
CONFIDENCE = 0.90
REPLICATES = 400
COMPARISON_CAP = 1500
SEED = 20260601


@dataclass(frozen=True)
class Panel:
    """Facility × year values of each metric (NaN unknown) and each facility's similarity key."""

    years: tuple[int, ...]
    values: dict[str, Floats]  # metric -> array (facilities, years)
    key: Ints  # per facility, e.g. benchmarks.Profile.key()
    relative: frozenset[str] = field(default_factory=frozenset)  # metrics whose change is in %

    @classmethod
    def from_rows(
        cls,
        values: Mapping[str, Floats],
        facility: npt.ArrayLike,
        year: npt.ArrayLike,
        key: npt.ArrayLike,
        relative: Iterable[str] = (),
    ) -> Panel:
        """From one row per assessment (facility index 0..F-1, year); `key` is per facility.
        Where a facility has two rows for one year, the later row wins."""
        f, y = np.asarray(facility, dtype=np.int64), np.asarray(year, dtype=np.int64)
        years = tuple(int(v) for v in np.unique(y))
        column = np.searchsorted(np.array(years), y)
        keys = np.asarray(key, dtype=np.int64)
        grid = {}
        for metric, v in values.items():
            out = np.full((len(keys), len(years)), np.nan)
            out[f, column] = v
            grid[metric] = out
        return cls(years, grid, keys, frozenset(relative))


class Adoption(NamedTuple):
    facility: int  # row of the panel
    solution: str
    year: int


@dataclass(frozen=True)
class Effect:
    solution_id: str
    metric: str
    adopters: int
    comparison: int
    median_change_adopters: float | None  # None when suppressed
    median_change_others: float | None
    difference: float | None
    low: float | None
    high: float | None
    suppressed: bool
    relative: bool = False  # changes are in per cent of the value before
    confidence: float = CONFIDENCE


def effect_key(solution_id: str, metric: str) -> str:
    return f"{solution_id}/{metric}"


def affected_metrics(solution: Solution, metrics: Mapping[str, Metric]) -> tuple[str, ...]:
    """The metrics computed from a fact the solution acts on."""
    acts_on = set(solution.datapoints)
    return tuple(mid for mid, m in metrics.items() if acts_on & set(m.datapoints))


def _change(panel: Panel, metric: str, before: int, after: int) -> Floats:
    v = panel.values[metric]
    if metric not in panel.relative:
        return v[:, after] - v[:, before]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 100.0 * (v[:, after] - v[:, before]) / np.abs(v[:, before])
    return np.where(np.isfinite(out), out, np.nan)


@dataclass
class _Groups:
    """Per cell (similarity key x adoption year): the adopters' changes and the comparison's."""

    adopters: list[Floats] = field(default_factory=list)
    others: list[Floats] = field(default_factory=list)
    adopter_ids: list[Ints] = field(default_factory=list)
    other_ids: list[Ints] = field(default_factory=list)


def _first_adoption(adoptions: Sequence[Adoption], solution: str, n: int) -> Ints:
    """Per facility, the first year it adopted `solution` (a large number when never)."""
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    for a in adoptions:
        if a.solution == solution:
            first[a.facility] = min(first[a.facility], a.year)
    return first


def _collect(panel: Panel, metric: str, first: Ints, only_key: int | None) -> _Groups:
    groups = _Groups()
    index = {y: i for i, y in enumerate(panel.years)}
    for year in sorted({int(y) for y in first if y in index}):
        if year - 1 not in index or year + 1 not in index:
            continue
        change = _change(panel, metric, index[year - 1], index[year + 1])
        known = ~np.isnan(change)
        adopters = known & (first == year)
        if only_key is not None:
            adopters &= panel.key == only_key
        others = known & (first > year + 1)
        _add_year(groups, change, adopters, others, panel.key)
    return groups


def _add_year(
    groups: _Groups, change: Floats, adopters: npt.NDArray[np.bool_], others: npt.NDArray[np.bool_], key: Ints
) -> None:
    for k in np.unique(key[adopters]):
        similar = np.flatnonzero(others & (key == k))
        if len(similar) == 0:
            continue
        rows = np.flatnonzero(adopters & (key == k))
        groups.adopters.append(change[rows])
        groups.adopter_ids.append(rows)
        groups.others.append(change[similar])
        groups.other_ids.append(similar)


def weighted_median(values: Floats, weights: Floats) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2.0)])


def _resample_others(g: _Groups, rng: np.random.Generator, size: int) -> Floats:
    """A stratified resample of the comparison: each cell gets draws in proportion to its adopters
    (which is what the weights say), drawn uniformly within the cell."""
    adopters = np.array([len(a) for a in g.adopters], dtype=np.float64)
    draws = np.maximum(1, np.round(size * adopters / adopters.sum())).astype(np.int64)
    parts = [
        cell.astype(np.float32)[rng.integers(0, len(cell), (REPLICATES, m))]
        for cell, m in zip(g.others, draws, strict=True)
    ]
    return np.concatenate(parts, axis=1)


def _bootstrap(g: _Groups, adopters: Floats, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    a = adopters.astype(np.float32)[rng.integers(0, len(adopters), (REPLICATES, len(adopters)))]
    o = _resample_others(g, rng, min(sum(len(x) for x in g.others), COMPARISON_CAP))  # float32 too
    differences = np.median(a, axis=1) - np.median(o, axis=1)
    tail = (1.0 - CONFIDENCE) / 2.0
    low, high = np.quantile(differences, [tail, 1.0 - tail])
    return float(low), float(high)


def _distinct(ids: list[Ints]) -> int:
    return len(np.unique(np.concatenate(ids))) if ids else 0


def _effect(panel: Panel, solution: str, metric: str, first: Ints, k: int, only_key: int | None) -> Effect:
    g = _collect(panel, metric, first, only_key)
    n_adopt, n_other = _distinct(g.adopter_ids), _distinct(g.other_ids)
    relative = metric in panel.relative
    if n_adopt < max(k, 1) or n_other < max(k, 1):
        return Effect(solution, metric, n_adopt, n_other, None, None, None, None, None, True, relative)
    adopters, others = np.concatenate(g.adopters), np.concatenate(g.others)
    weights = np.concatenate(
        [np.full(len(o), len(a) / len(o)) for a, o in zip(g.adopters, g.others, strict=True)]
    )
    mine, theirs = float(np.median(adopters)), weighted_median(others, weights)
    low, high = _bootstrap(g, adopters, SEED + sum(map(ord, effect_key(solution, metric))))
    return Effect(solution, metric, n_adopt, n_other, mine, theirs, mine - theirs, low, high, False, relative)


def solution_effects(
    panel: Panel,
    adoptions: Sequence[Adoption],
    k: int,
    *,
    affects: Mapping[str, Sequence[str]] | None = None,
    key: int | None = None,
) -> dict[str, Effect]:
    """Effects keyed by `effect_key(solution, metric)`, for every adopted solution and metric.

    `affects` (solution -> metric ids, see `affected_metrics`) limits the metrics read for each
    solution; without it every metric of the panel is read. `key` keeps only adopters with that
    similarity key ("factories like yours"); their comparison group has the same key anyway.
    """
    out = {}
    n = len(panel.key)
    for solution in sorted({a.solution for a in adoptions}):
        first = _first_adoption(adoptions, solution, n)
        metrics = affects.get(solution, ()) if affects is not None else tuple(panel.values)
        for metric in metrics:
            if metric in panel.values:
                out[effect_key(solution, metric)] = _effect(panel, solution, metric, first, k, key)
    return out


def effects_of(effects: Mapping[str, Effect], solution_id: str) -> list[Effect]:
    """The effects of one solution, shown ones first."""
    found = [e for e in effects.values() if e.solution_id == solution_id]
    return sorted(found, key=lambda e: (e.suppressed, e.metric))


# ---- "factories like yours that did X saw Y, n = ..." -----------------------------------------------


def _lowered(text: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless it starts an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _amount(x: float, unit: str, lang: Lang) -> str:
    return f"{number(abs(x), lang)} {unit}".strip()


# The sentences, in English; their Vietnamese is in the catalogue (decision 0014).
SENTENCES = {
    "too_few": gettext_noop("too few factories to tell how much this varies"),
    "not_certain": gettext_noop("not certain: from {low} less to {high} more"),
    "usually": gettext_noop("usually between {near} and {far}"),
    "based_on": gettext_noop("based on {n} factories ({adopters} that adopted it)"),
    "same": gettext_noop(
        "Factories like yours that adopted “{solution}” saw the same change in {label} as similar "
        "factories that did not ({spread}); {base}."
    ),
    "lowered": gettext_noop(
        "Factories like yours that adopted “{solution}” lowered {label} by about {amount} ({spread}) "
        "compared with similar factories that did not; {base}."
    ),
    "raised": gettext_noop(
        "Factories like yours that adopted “{solution}” raised {label} by about {amount} ({spread}) "
        "compared with similar factories that did not; {base}."
    ),
}


def _say(key: str, lang: Lang, **params: object) -> str:
    return gettext(SENTENCES[key], lang).format(**params)


def usual_range(effect: Effect, unit: str, lang: Lang) -> str:
    """The bootstrap range of the difference in plain words: "usually between 8 % and 14 % less",
    or, when the range says little, that it does: a single value (too few factories to tell how much
    it varies) or a range on both sides of zero (the direction is not certain)."""
    low, high = effect.low, effect.high
    if low is None or high is None or round(low, 1) == round(high, 1):
        return _say("too_few", lang)
    if low < 0 < high:
        return _say("not_certain", lang, low=_amount(low, unit, lang), high=_amount(high, unit, lang))
    near, far = sorted((abs(low), abs(high)))
    return _say("usually", lang, near=_amount(near, unit, lang), far=_amount(far, unit, lang))


def peer_sentence(effect: Effect, solution: Solution, metric: Metric, lang: Lang) -> str | None:
    """The sentence for a facility page, in words a factory manager uses, or None when suppressed:
    'Factories like yours that adopted X lowered energy per tonne by about 11 % (usually between 8 %
    and 14 %) compared with similar factories that did not; based on 12 factories.'"""
    if effect.suppressed or effect.difference is None:
        return None
    d, unit = effect.difference, "%" if effect.relative else metric.unit
    n = effect.adopters + effect.comparison
    return _say(
        "same" if not d else "lowered" if d < 0 else "raised",
        lang,
        solution=solution.title.get(lang),
        label=_lowered(metric.label.get(lang)),
        amount=_amount(d, unit, lang),
        spread=usual_range(effect, unit, lang),
        base=_say("based_on", lang, n=n, adopters=effect.adopters),
    )
