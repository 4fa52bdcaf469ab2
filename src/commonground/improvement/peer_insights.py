"""Peer insights from recorded adoptions: what changed at adopters against similar non-adopters.

The panel is the sector's facility × year metrics (`sector.panel_rows`); an adoption counts in the
calendar year of its date. Effects come from `core.insights` and are suppressed under k.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.actions.models import Adoption
from commonground.core import insights
from commonground.core.errors import Lang
from commonground.core.insights import Effect
from commonground.core.library import Library
from commonground.core.metrics import Metric, all_metrics
from commonground.improvement.sector import SectorRows


@dataclass(frozen=True)
class Insight:
    effect: Effect
    metric: Metric
    sentence: str | None  # None when suppressed


def _adoptions(rows: dict[int, int]) -> list[insights.Adoption]:
    return [
        insights.Adoption(rows[facility_id], solution_id, day.year)
        for facility_id, solution_id, day in Adoption.objects.values_list(
            "facility_id", "solution_id", "adopted_on"
        )
        if facility_id in rows
    ]


def effects(
    lib: Library, sector: SectorRows, k: int, *, solution_id: str | None = None, like: int | None = None
) -> dict[str, Effect]:
    """Effects of every adopted solution (or one) on the metrics it acts on; `like`: a facility id
    whose similarity key the adopters must share ("factories like yours")."""
    panel, rows = sector.panel()
    metrics = all_metrics(lib)
    adoptions = [
        a for a in _adoptions(rows) if solution_id in (None, a.solution) and a.solution in lib.solutions
    ]
    affects = {
        s: insights.affected_metrics(lib.solutions[s], metrics) for s in {a.solution for a in adoptions}
    }
    key = None if like is None or like not in rows else int(panel.key[rows[like]])
    return insights.solution_effects(panel, adoptions, k, affects=affects, key=key)


def described(lib: Library, found: dict[str, Effect], lang: Lang) -> list[Insight]:
    metrics = all_metrics(lib)
    out = []
    for e in sorted(found.values(), key=lambda e: (e.suppressed, e.solution_id, e.metric)):
        metric = metrics[e.metric]
        out.append(Insight(e, metric, insights.peer_sentence(e, lib.solutions[e.solution_id], metric, lang)))
    return out


def helped(insight: Insight) -> bool:
    """The adopters moved further in the better direction than the comparison group."""
    d = insight.effect.difference
    if d is None:
        return False
    return d < 0 if insight.metric.better == "lower" else d > 0


def adopters(solution_id: str) -> int:
    return Adoption.objects.filter(solution_id=solution_id).values("facility").distinct().count()
