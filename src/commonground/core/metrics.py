"""Benchmark metrics of many assessments at once, one float array per metric (NaN where unknown).

Intensities are per unit of production, and a factory reports its output in pieces (garments),
pairs (footwear) or kilograms (fabric, yarn, leather). Comparing energy per piece with energy per
kilogram means nothing, so each basis is its own metric: `energy_intensity.pieces` is GJ per 1,000
pieces, `energy_intensity.pairs` GJ per 1,000 pairs, `energy_intensity.tonne` GJ per tonne, and
likewise for water (m³). A factory has a value for each basis it reports; peers widened across
sectors are therefore still compared on the same basis.

Non-compliance per topic (`noncompliance.<topic>`) is the share of requirement results decided
(met or not met) that are not met, over every requirement of the evaluated frameworks that judges a
fact of that topic. Levels (`level.<framework>.<section>`) are the level achieved (0–3) in each
section of a framework that has levels, NaN where the section does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from .columnar import Columns, ManyResult
from .errors import Lang
from .i18n import gettext, gettext_noop
from .library import Library
from .logic import CODE_OF, Status
from .scoring import LEVEL_STATES
from .text import Text, translated

Floats = npt.NDArray[np.float64]
Better = Literal["lower", "higher"]
MINIMUM_WAGE = {"month": "vn.minimum_wage_month", "hour": "vn.minimum_wage_hour"}
GJ_PER_TOE = 41.868  # IEA conversion: one tonne of oil equivalent


@dataclass(frozen=True)
class Metric:
    id: str
    label: Text
    unit: str
    better: Better
    datapoints: tuple[str, ...] = ()  # the facts it is computed from (a solution acting on one moves it)
    relative: bool = False  # changes are read in per cent of the earlier value (intensities)


# The labels of the metrics defined here, in English; their Vietnamese is in the catalogue (decision
# 0014). A metric's label is a `Text`, like the library's labels it is shown beside.
LABELS = {
    "energy": gettext_noop("Energy per {basis}"),
    "water": gettext_noop("Water per {basis}"),
    "wastewater_cod": gettext_noop("COD in treated wastewater"),
    "overtime_month_max": gettext_noop("Largest monthly overtime"),
    "lowest_wage_vs_minimum": gettext_noop("Lowest wage as a share of the regional minimum wage"),
    "noncompliance": gettext_noop("Non-compliance rate: {topic}"),
    "level": gettext_noop("Level: {section}"),
}

ENERGY = "energy.total_gj"
WATER = "water.withdrawal_m3"
BASES = {  # basis -> (production volume data point, units per basis, unit words in English)
    "pieces": ("facility.production_volume_pieces", 1000.0, gettext_noop("1,000 pieces")),
    "pairs": ("facility.production_volume_pairs", 1000.0, gettext_noop("1,000 pairs")),
    "tonne": ("facility.production_volume_kg", 1000.0, gettext_noop("tonne")),
}


def basis_words(basis: str, lang: Lang) -> str:
    """What an intensity is per, in the reader's language ("1,000 pieces", "1.000 sản phẩm")."""
    return gettext(BASES[basis][2], lang)


def _intensity(kind: str, basis: str) -> Metric:
    volume, _, en = BASES[basis]
    per = translated(en)
    if kind == "energy":
        return Metric(
            f"energy_intensity.{basis}",
            translated(LABELS["energy"], basis=per),
            f"GJ/{en}",
            "lower",
            (ENERGY, "energy.toe", volume),
            relative=True,
        )
    return Metric(
        f"water_intensity.{basis}",
        translated(LABELS["water"], basis=per),
        f"m3/{en}",
        "lower",
        (WATER, volume),
        relative=True,
    )


METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        *(_intensity(kind, basis) for kind in ("energy", "water") for basis in BASES),
        Metric(
            "wastewater_cod",
            translated(LABELS["wastewater_cod"]),
            "mg/L",
            "lower",
            ("wastewater.cod_mg_l",),
            relative=True,
        ),
        Metric(
            "overtime_month_max",
            translated(LABELS["overtime_month_max"]),
            "h",
            "lower",
            ("working_time.overtime_hours_month_max",),
            relative=True,
        ),
        Metric(
            "lowest_wage_vs_minimum",
            translated(LABELS["lowest_wage_vs_minimum"]),
            "%",
            "higher",
            (
                "wages.lowest_base_wage_month_vnd",
                "wages.lowest_base_wage_hour_vnd",
                "facility.minimum_wage_region",
            ),
        ),
    )
}


def _ratio(numerator: Floats, denominator: Floats, scale: float = 1.0) -> Floats:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = numerator * scale / denominator
    return np.where(np.isfinite(out) & (denominator > 0), out, np.nan)


def _fixed(cols: Columns) -> dict[str, Floats]:
    out: dict[str, Floats] = {}
    for basis, (volume, per, _) in BASES.items():
        output = cols.column(volume) if volume in cols.library.datapoints else np.full(cols.n, np.nan)
        out[f"energy_intensity.{basis}"] = _ratio(_energy_gj(cols), output, per)
        out[f"water_intensity.{basis}"] = _ratio(_float(cols, WATER), output, per)
    out["wastewater_cod"] = _float(cols, "wastewater.cod_mg_l")
    out["overtime_month_max"] = _float(cols, "working_time.overtime_hours_month_max")
    out["lowest_wage_vs_minimum"] = _wage_ratio(cols)
    return out


def _energy_gj(cols: Columns) -> Floats:
    """Total energy in GJ, from tonnes of oil equivalent where only those are given."""
    gj = _float(cols, ENERGY)
    return np.where(np.isnan(gj), _float(cols, "energy.toe") * GJ_PER_TOE, gj)


def _wage_ratio(cols: Columns) -> Floats:
    """The lowest monthly wage against the monthly minimum in force at period end; where only an
    hourly wage is given, the hourly wage against the hourly minimum."""
    missing = np.full(cols.n, np.nan)
    ratios = {
        basis: _ratio(
            _float(cols, f"wages.lowest_base_wage_{basis}_vnd"), cols.parameters.get(pid, missing), 100.0
        )
        for basis, pid in MINIMUM_WAGE.items()
    }
    return np.where(np.isnan(ratios["month"]), ratios["hour"], ratios["month"])


def _float(cols: Columns, dp: str) -> Floats:
    if dp not in cols.library.datapoints:
        return np.full(cols.n, np.nan)
    return np.asarray(cols.column(dp), dtype=np.float64)


def noncompliance_metrics(lib: Library) -> dict[str, Metric]:
    """One metric per topic that any framework judges (context topics excluded)."""
    out = {}
    for topic, header in lib.topics.items():
        if header.context:
            continue
        out[f"noncompliance.{topic}"] = Metric(
            f"noncompliance.{topic}",
            translated(LABELS["noncompliance"], topic=header.name),
            "%",
            "lower",
            tuple(dp for dp in lib.datapoints if dp.split(".", 1)[0] == topic),
        )
    return out


def level_metrics(lib: Library) -> dict[str, Metric]:
    """One metric per section of every framework that has levels."""
    out = {}
    for framework in lib.frameworks.values():
        names = {s.id: s.name for s in framework.spec.sections}
        for section, levels in framework.level_columns.items():
            name = names.get(section, section)
            reqs = [framework.requirements[i] for positions in levels.values() for i in positions]
            mid = f"level.{framework.id}.{section}"
            out[mid] = Metric(
                mid,
                translated(LABELS["level"], section=name),
                "level",
                "higher",
                tuple(dict.fromkeys(dp for r in reqs for dp in r.datapoints)),
            )
    return out


def all_metrics(lib: Library) -> dict[str, Metric]:
    """The fixed metrics plus those the library defines (topics, sections with levels)."""
    return {**METRICS, **noncompliance_metrics(lib), **level_metrics(lib)}


def _topic_membership(lib: Library, many: ManyResult) -> tuple[list[str], list[npt.NDArray[np.float32]]]:
    topics = [t for t, h in lib.topics.items() if not h.context]
    index = {t: k for k, t in enumerate(topics)}
    matrices = []
    for fc in many.frameworks:
        member = np.zeros((len(fc.framework.requirements), len(topics)), dtype=np.float32)
        for j, req in enumerate(fc.framework.requirements):
            for dp in req.rule_datapoints:
                k = index.get(dp.split(".", 1)[0])
                if k is not None and dp not in lib.context:
                    member[j, k] = 1.0
        matrices.append(member)
    return topics, matrices


def _noncompliance(lib: Library, many: ManyResult) -> dict[str, Floats]:
    topics, matrices = _topic_membership(lib, many)
    n = many.columns.n
    failed = np.zeros((n, len(topics)), dtype=np.float32)
    decided = np.zeros((n, len(topics)), dtype=np.float32)
    met, not_met = CODE_OF[Status.MET], CODE_OF[Status.NOT_MET]
    for fc, member in zip(many.frameworks, matrices, strict=True):
        bad = fc.statuses == not_met
        failed += bad.astype(np.float32) @ member
        decided += (bad | (fc.statuses == met)).astype(np.float32) @ member
    rate = _ratio(failed.astype(np.float64), decided.astype(np.float64), 100.0)
    return {f"noncompliance.{t}": np.round(rate[:, k], 2) for k, t in enumerate(topics)}


def _levels(many: ManyResult) -> dict[str, Floats]:
    not_applicable = LEVEL_STATES.index("not_applicable")
    out = {}
    for fc in many.frameworks:
        for section in fc.summary.sections:
            achieved = section.achieved.astype(np.float64)
            applies = section.states[1] != not_applicable
            out[f"level.{fc.framework.id}.{section.section}"] = np.where(applies, achieved, np.nan)
    return out


def metric_values(lib: Library, cols: Columns, many: ManyResult | None) -> dict[str, Floats]:
    """Every metric for every assessment in `cols`, in one pass over the columns.

    Without `many` (the columnar evaluation of the same columns) only the fixed METRICS are given;
    with it, non-compliance per topic and levels per section are added.
    """
    out = _fixed(cols)
    if many is not None:
        out.update(_noncompliance(lib, many))
        out.update(_levels(many))
    return out
