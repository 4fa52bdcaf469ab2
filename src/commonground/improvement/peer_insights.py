"""Peer insights from recorded adoptions: what changed at adopters against similar non-adopters.

The panel is the sector's facility × year metrics (`sector.panel_rows`); an adoption counts in the
calendar year of its date. Effects come from `core.insights` and are suppressed under k. They are
sector-wide work: computed by a job into a snapshot, for the whole sector and for each similarity
key (sector and size band: "factories like yours"); pages read it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings

from commonground.accounts.library import library
from commonground.actions.models import Adoption
from commonground.core import insights
from commonground.core.errors import Lang
from commonground.core.insights import Effect
from commonground.core.library import Library
from commonground.core.metrics import Metric, all_metrics
from commonground.improvement import sector
from commonground.improvement.sector import SectorRows
from commonground.snapshots import store


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


ALL = "all"  # the effects over every adopter, in the snapshot


@dataclass(frozen=True)
class SectorEffects:
    keys: dict[int, int]  # facility id -> its similarity key in the panel
    effects: dict[str, dict[str, Effect]]  # ALL or a key -> effects by `effect_key`


def _compute() -> tuple[SectorEffects, int]:
    lib, rows, k = library(), sector.panel_rows(), int(getattr(settings, "AGGREGATE_K", 5))
    panel, index = rows.panel()
    keys = {facility: int(panel.key[i]) for facility, i in index.items()}
    found = {ALL: effects(lib, rows, k)}
    one_of_each = {key: facility for facility, key in keys.items()}  # any facility stands for its key
    for key, like in sorted(one_of_each.items()):
        found[str(key)] = effects(lib, rows, k, like=like)
    return SectorEffects(keys, found), rows.n


def _encode(data: SectorEffects) -> bytes:
    plain = {
        "keys": [[f, key] for f, key in data.keys.items()],
        "effects": {g: {name: asdict(e) for name, e in found.items()} for g, found in data.effects.items()},
    }
    return store.to_json(plain)


def _decode(blob: bytes) -> SectorEffects:
    plain = store.from_json(blob)
    found = {g: {name: Effect(**e) for name, e in group.items()} for g, group in plain["effects"].items()}
    return SectorEffects({int(f): int(key) for f, key in plain["keys"]}, found)


INSIGHTS = store.register(store.Kind("insights", _compute, _encode, _decode))


def sector_effects(*, solution_id: str | None = None, like: int | None = None) -> dict[str, Effect]:
    """From the newest snapshot: the effects of every adopted solution (or one); `like`: a facility
    id whose similarity key the adopters must share (all adopters when it is not in the panel)."""
    data: SectorEffects = store.read(INSIGHTS.name).data
    key = data.keys.get(like) if like is not None else None
    found = data.effects.get(ALL if key is None else str(key), {})
    return {name: e for name, e in found.items() if solution_id in (None, e.solution_id)}


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
