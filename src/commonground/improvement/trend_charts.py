"""The trend charts of a facility's periods (drawn by improvement.charts): the improvement page's,
and the facility report's (improvement.report)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from commonground.improvement import charts, services


def trend_charts(trends: services.Trends, *, metrics: bool = True) -> dict[str, Any]:
    """The improvement page's charts (pygal, inline SVG) of the facility's periods, in the active
    language: requirements met, scores, levels per framework, key metrics."""
    periods, no_data = [p.label for p in trends.periods], _("No data yet")
    scored = [(f.name, f.score) for f in trends.frameworks if any(s is not None for s in f.score)]
    return {
        "compliance_chart": charts.trend_chart(
            _("Requirements met (%)"),
            periods,
            [(f.name, honest_rates(f)) for f in trends.frameworks],
            no_data=no_data,
            low=0,
            high=100,
        ),
        "score_chart": charts.trend_chart(
            _("Scores (0–100)"), periods, scored, no_data=no_data, low=0, high=100
        )
        if scored
        else None,
        "level_charts": [
            (
                f,
                charts.levels_chart(
                    _("Levels reached: %(name)s") % {"name": f.name},
                    periods,
                    [(s.name, s.achieved) for s in f.sections],
                    no_data=no_data,
                ),
            )
            for f in trends.frameworks
            if f.sections
        ],
        "metric_charts": [
            (m, charts.trend_chart(f"{m.label} ({m.unit})", periods, [(m.label, m.values)], no_data=no_data))
            for m in (trends.metrics if metrics else [])
        ],
    }


def honest_rates(trend: Any) -> list[float | None]:
    """A period's rate only where enough requirements are decided (core.standing); else no point."""
    if not trend.standing:
        return list(trend.compliance)
    return [x if s.verdict == "rate" else None for x, s in zip(trend.compliance, trend.standing, strict=True)]
