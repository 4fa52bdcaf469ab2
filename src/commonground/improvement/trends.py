"""A facility across its periods: levels per section, scores and compliance rates, from one
columnar pass over the chosen assessment of each period."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import date_format

from commonground.assessments.evaluations import core_assessment
from commonground.assessments.models import Assessment
from commonground.core.columnar import Columns, ManyResult, evaluate_columns
from commonground.core.errors import Lang
from commonground.core.i18n import gettext
from commonground.core.library import Library
from commonground.core.metrics import BASES, METRICS, Metric, basis_words, metric_values
from commonground.core.scoring import LEVEL_STATES
from commonground.core.standing import Standing, standing
from commonground.core.units import unit_word
from commonground.facilities.models import Facility

NOT_APPLICABLE = LEVEL_STATES.index("not_applicable")


@dataclass(frozen=True)
class Period:
    assessment: Assessment
    verified: bool

    @property
    def label(self) -> str:
        a = self.assessment
        start, end = a.period_start, a.period_end
        if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(end.year)
        return f"{date_format(start, 'SHORT_DATE_FORMAT')} – {date_format(end, 'SHORT_DATE_FORMAT')}"


@dataclass(frozen=True)
class SectionTrend:
    section: str
    name: str
    achieved: list[int | None]  # level reached per period (0: not Level 1 yet; None: not applicable)
    score: list[float | None]


@dataclass(frozen=True)
class FrameworkTrend:
    framework_id: str
    name: str
    compliance: list[float | None]  # percent of decided requirements met, per period
    score: list[float | None]
    sections: list[SectionTrend]
    standing: list[Standing] = field(default_factory=list)  # what each period's rate stands on


@dataclass(frozen=True)
class MetricTrend:
    metric_id: str
    label: str
    unit: str
    better: str
    values: list[float | None]


def choose_periods(facility: Facility) -> list[Period]:
    """Per period, its latest verified version, or its latest version when none is verified."""
    rows = facility.assessments.prefetch_related("answers").order_by("period_end", "period_start", "version")
    chosen: dict[tuple[object, object], Assessment] = {}
    for a in rows:
        key = (a.period_start, a.period_end)
        current = chosen.get(key)
        if current is None or a.locked or not current.locked:
            chosen[key] = a
    return [Period(a, a.locked) for a in chosen.values()]


def evaluate_periods(lib: Library, periods: list[Period], framework_ids: list[str]) -> ManyResult:
    cols = Columns.from_assessments(lib, [core_assessment(p.assessment) for p in periods])
    return evaluate_columns(lib, cols, framework_ids, with_details=False)


def _value(x: float, scale: float = 1.0) -> float | None:
    return None if math.isnan(x) else round(float(x) * scale, 2)


def framework_trends(many: ManyResult, lang: Lang) -> list[FrameworkTrend]:
    out = []
    for fc in many.frameworks:
        spec, summary = fc.framework.spec, fc.summary
        names = {s.id: s.name.get(lang) for s in spec.sections}
        sections = [
            SectionTrend(
                s.section,
                names.get(s.section, s.section),
                [
                    None if code == NOT_APPLICABLE else int(n)
                    for n, code in zip(s.achieved, s.states[1], strict=True)
                ],
                [_value(x) for x in s.score],
            )
            for s in summary.sections
            if any(code != NOT_APPLICABLE for code in s.states[1])
        ]
        score: list[float | None] = (
            [None] * many.columns.n if summary.score is None else [_value(x) for x in summary.score]
        )
        compliance = [_value(x, 100.0) for x in summary.compliance_rate]
        counts = [{k: int(v[i]) for k, v in summary.counts.items()} for i in range(many.columns.n)]
        out.append(
            FrameworkTrend(
                fc.framework.id,
                spec.name.get(lang),
                compliance,
                score,
                sections,
                [standing(c) for c in counts],
            )
        )
    return out


def metric_trends(lib: Library, many: ManyResult, lang: Lang) -> list[MetricTrend]:
    """The key metrics (intensities, COD, overtime, lowest wage) the facility has a value for."""
    values = metric_values(lib, many.columns, None)
    return [
        MetricTrend(mid, m.label.get(lang), unit_of(m, lang), m.better, [_value(x) for x in values[mid]])
        for mid, m in METRICS.items()
        if mid in values and any(not math.isnan(x) for x in values[mid])
    ]


def unit_of(metric: Metric, lang: Lang) -> str:
    """The metric's unit in the reader's language (an intensity names its basis)."""
    kind, _, basis = metric.id.partition(".")
    if kind in ("energy_intensity", "water_intensity") and basis in BASES:
        return f"{'GJ' if kind == 'energy_intensity' else 'm³'}/{basis_words(basis, lang)}"
    if metric.unit == "level":
        return gettext("level", lang)
    return unit_word(metric.unit, lang)
