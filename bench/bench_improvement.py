"""Benchmark: benchmarks and peer insights for a whole sector through the columnar engine.

Target (docs/performance.md): 10,000 facilities x 5 years (50,000 assessments) evaluated, their
metrics computed, every facility placed among its peers on every metric, and the effect of every
adopted solution on every metric it affects, in under 10 s on the 2-core machine. Run with
`make bench`.

The answers come from `sector.generate`; on top of them, each facility keeps its profile across the
five years, its energy, water, effluent and overtime follow a facility level with yearly noise, and
synthetic adoptions lower the metrics they act on from the year of adoption (so the insights have
something true to find: the recovered effects are printed next to the ones put in).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from commonground.core.benchmarks import Profile, peer_groups, percentiles
from commonground.core.columnar import Columns, evaluate_columns
from commonground.core.insights import Adoption, Panel, affected_metrics, solution_effects
from commonground.core.library import Library, load_library
from commonground.core.metrics import all_metrics, metric_values
from sector import generate

YEARS = 5
FIRST_YEAR = 2022
# solution -> (data point it lowers, share lowered from the adoption year on)
PLANTED = {
    "condensate_recovery": ("energy.total_gj", 0.08),
    "compressor_vsd": ("energy.total_gj", 0.05),
    "boiler_insulation": ("energy.total_gj", 0.04),
    "rooftop_solar": ("energy.total_gj", 0.0),
    "cooling_water_reuse": ("water.withdrawal_m3", 0.10),
    "counter_current_washing": ("water.withdrawal_m3", 0.12),
    "rainwater_harvesting": ("water.withdrawal_m3", 0.0),
    "etp_upgrade": ("wastewater.cod_mg_l", 0.35),
    "digital_time_keeping": ("working_time.overtime_hours_month_max", 0.15),
    "production_capacity_planning": ("working_time.overtime_hours_month_max", 0.20),
    "digital_wage_payment": ("wages.pay_delay_days_max", 0.30),
    "grievance_hotline": ("grievance.workers_aware_pct", 0.0),
}
ADOPTION_RATE = 0.06


def _facility_panel(lib: Library, cols: Columns, facilities: int, rng: np.random.Generator) -> None:
    """Profile constant per facility; key quantities persistent across years with noise."""
    f = np.arange(cols.n) // YEARS
    first_row = np.arange(facilities) * YEARS
    for dp in ("facility.sector", "facility.minimum_wage_region", "facility.workers_total"):
        cols.values[dp] = cols.values[dp][first_row][f]
    workers = cols.values["facility.workers_total"]
    levels = {
        "facility.production_volume_pieces": workers * 1000 * rng.lognormal(0, 0.3, facilities)[f],
        "facility.production_volume_pairs": workers * 400 * rng.lognormal(0, 0.3, facilities)[f],
        "facility.production_volume_kg": workers * 300 * rng.lognormal(0, 0.3, facilities)[f],
        "energy.total_gj": workers * 30 * rng.lognormal(0, 0.4, facilities)[f],
        "water.withdrawal_m3": workers * 60 * rng.lognormal(0, 0.4, facilities)[f],
        "wastewater.cod_mg_l": 60 * rng.lognormal(0, 0.5, facilities)[f],
        "working_time.overtime_hours_month_max": 35 * rng.lognormal(0, 0.3, facilities)[f],
    }
    for dp, level in levels.items():
        answered = ~np.isnan(cols.values[dp])
        noisy = np.round(level * rng.lognormal(0, 0.05, cols.n), 2)
        cols.values[dp] = np.where(answered, noisy, np.nan)
    minimum = cols.parameters["vn.minimum_wage_month"]
    wage = minimum * rng.lognormal(0.08, 0.06, facilities)[f]
    cols.values["wages.lowest_base_wage_month_vnd"] = np.round(wage, -3)


def _adopt(lib: Library, cols: Columns, facilities: int, rng: np.random.Generator) -> list[Adoption]:
    """Synthetic adoptions in 2023-2025, each lowering its data point from the adoption year on."""
    year = FIRST_YEAR + np.arange(cols.n) % YEARS
    f = np.arange(cols.n) // YEARS
    adoptions = []
    for solution, (dp, share) in PLANTED.items():
        adopts = rng.random(facilities) < ADOPTION_RATE
        when = rng.integers(FIRST_YEAR + 1, FIRST_YEAR + YEARS - 1, facilities)
        adoptions += [Adoption(int(i), solution, int(when[i])) for i in np.flatnonzero(adopts)]
        after = adopts[f] & (year >= when[f])
        cols.values[dp] = np.where(after, cols.values[dp] * (1.0 - share), cols.values[dp])
    return adoptions


def _generate(lib: Library, facilities: int) -> tuple[Columns, list[Adoption]]:
    n = facilities * YEARS
    cols = generate(lib, n)
    year = FIRST_YEAR + np.arange(n) % YEARS
    cols.end = np.array([dt.date(int(y), 12, 31).toordinal() for y in year], dtype=np.int64)
    rng = np.random.default_rng(7)
    _facility_panel(lib, cols, facilities, rng)
    return cols, _adopt(lib, cols, facilities, rng)


def _timed(label: str, timings: dict[str, float], fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    timings[label] = time.perf_counter() - t0
    return out


def run(
    lib: Library, cols: Columns, adoptions: list[Adoption], facilities: int, k: int, *, show: bool = True
) -> dict[str, float]:
    timings: dict[str, float] = {}
    many = _timed(
        "evaluate (columnar, statuses and levels)", timings, evaluate_columns, lib, cols, with_details=False
    )
    values = _timed("metrics", timings, metric_values, lib, cols, many)
    metrics = all_metrics(lib)
    last = np.arange(facilities) * YEARS + YEARS - 1  # each facility's latest year
    t0 = time.perf_counter()
    profile = Profile.from_columns(cols)
    latest = Profile(profile.sector[last], profile.region[last], profile.size[last])
    placed = 0
    for widen in (frozenset(), frozenset({"region"}), frozenset({"region", "size"})):
        groups = peer_groups(latest, widen)
        for mid, v in values.items():
            pct, _ = percentiles(v[last], groups, metrics[mid].better, k)
            placed += int(np.isfinite(pct).sum())
    timings["benchmarks (every facility, every metric, 3 peer groups)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    f = np.arange(cols.n) // YEARS
    year = FIRST_YEAR + np.arange(cols.n) % YEARS
    relative = [m for m in values if metrics[m].relative]
    panel = Panel.from_rows(values, f, year, latest.key(), relative)
    affects = {s: affected_metrics(lib.solutions[s], metrics) for s in {a.solution for a in adoptions}}
    effects = solution_effects(panel, adoptions, k, affects=affects)
    timings["peer insights (every adopted solution x affected metric)"] = time.perf_counter() - t0
    timings["_placed"], timings["_effects"] = placed, len(effects)
    timings["_shown"] = sum(not e.suppressed for e in effects.values())
    if show:
        _print_recovered(effects)
    return timings


def _print_recovered(effects: dict[str, object]) -> None:
    wanted = {
        "energy.total_gj": "energy_intensity.pieces",
        "water.withdrawal_m3": "water_intensity.pieces",
        "wastewater.cod_mg_l": "wastewater_cod",
        "working_time.overtime_hours_month_max": "overtime_month_max",
    }
    for solution, (dp, share) in PLANTED.items():
        metric = wanted.get(dp)
        effect = effects.get(f"{solution}/{metric}") if metric else None
        if effect is None or effect.suppressed:  # type: ignore[attr-defined]
            continue
        e = effect
        print(
            f"  {solution:30s} {metric:26s} planted {-100 * share:6.1f} %  found {e.difference:6.1f} % "  # type: ignore[attr-defined]
            f"[{e.low:6.1f}, {e.high:6.1f}]  adopters {e.adopters}, comparison {e.comparison}"  # type: ignore[attr-defined]
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facilities", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the first and the best are shown")
    args = parser.parse_args()
    lib = load_library()
    t0 = time.perf_counter()
    cols, adoptions = _generate(lib, args.facilities)
    print(
        f"generated {args.facilities:,} facilities x {YEARS} years = {cols.n:,} assessments and "
        f"{len(adoptions):,} adoptions of {len(PLANTED)} solutions in {time.perf_counter() - t0:.2f} s"
    )
    runs = [run(lib, cols, adoptions, args.facilities, args.k, show=(i == 0)) for i in range(args.repeat)]
    steps = [key for key in runs[0] if not key.startswith("_")]
    for key in steps:
        print(f"{key}: first {runs[0][key]:.2f} s, best {min(r[key] for r in runs):.2f} s")
    totals = [sum(r[key] for key in steps) for r in runs]
    print(
        f"total: first {totals[0]:.2f} s, best {min(totals):.2f} s of {args.repeat} (target < 10 s); "
        f"{int(runs[0]['_placed']):,} positions shown, {int(runs[0]['_effects'])} effects of which "
        f"{int(runs[0]['_shown'])} shown (k = {args.k})"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MiB")
    if totals[0] >= 10.0:
        sys.exit("slower than the 10 s target")


if __name__ == "__main__":
    main()
