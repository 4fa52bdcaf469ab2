"""What to fix first: findings ranked, with the reasons for every rank in Vietnamese and English.

The order, each step breaking the ties of the one before:
1. zero-tolerance findings first;
2. then findings that break the law (a framework in `law`);
3. then the findings that reach the most frameworks and buyers (their count added up);
4. then the facility's benchmark position on the finding's metrics (the lowest percentile first:
   where the facility is furthest behind its peers; unknown counts as the middle, 50);
5. then the easiest and cheapest solution in the catalogue (difficulty, then the low end of the
   cost; a finding with no catalogued solution comes last);
6. then severity and the data point id, so the order is stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import report
from .benchmarks import Position
from .errors import Lang
from .findings import Finding
from .frameworks import SEVERITY_RANK
from .i18n import gettext, gettext_noop
from .metrics import Metric
from .numbers import money_range, number
from .solutions import DIFFICULTY_RANK, Solution
from .text import Text

UNKNOWN_POSITION = 50.0


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Priority:
    datapoint: str
    rank: int  # 1 = fix first
    severity: str
    frameworks: tuple[str, ...]
    buyers: tuple[str, ...]
    legal: bool
    reasons: tuple[Reason, ...]
    solutions: tuple[Solution, ...]
    position: float | None = None  # the facility's lowest percentile among peers on related metrics


def _buyers(finding: Finding, buyers_by_framework: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    return tuple(sorted({b for f in finding.frameworks for b in buyers_by_framework.get(f, ())}))


def _sort_key(p: Priority) -> tuple[Any, ...]:
    best = p.solutions[0] if p.solutions else None
    effort = (DIFFICULTY_RANK[best.difficulty], best.cost_vnd[0]) if best else (len(DIFFICULTY_RANK) + 1, 0)
    return (
        p.severity != "zero_tolerance",
        not p.legal,
        -(len(p.frameworks) + len(p.buyers)),
        UNKNOWN_POSITION if p.position is None else p.position,
        effort,
        -SEVERITY_RANK[p.severity],
        p.datapoint,
    )


def _reasons(p: Priority, law_frameworks: tuple[str, ...], names: Mapping[str, Text]) -> tuple[Reason, ...]:
    out = []
    if p.severity == "zero_tolerance":
        out.append(Reason("zero_tolerance", {}))
    else:
        out.append(Reason("severity", {"severity": p.severity}))
    if p.legal:
        out.append(
            Reason("legal", {"frameworks": tuple(names.get(f, Text(en=f, vi=f)) for f in law_frameworks)})
        )
    out.append(Reason("reach", {"frameworks": len(p.frameworks), "buyers": len(p.buyers)}))
    if p.position is not None:
        out.append(Reason("benchmark", {"percentile": p.position}))
    if p.solutions:
        best = p.solutions[0]
        out.append(
            Reason(
                "solution",
                {
                    "title": best.title,
                    "difficulty": best.difficulty,
                    "cost_low": best.cost_vnd[0],
                    "cost_high": best.cost_vnd[1],
                    "payback": best.payback_months,
                },
            )
        )
    else:
        out.append(Reason("no_solution", {}))
    return tuple(out)


def rank(
    findings: Sequence[Finding],
    *,
    law: set[str] | frozenset[str],
    buyers_by_framework: Mapping[str, Sequence[str]],
    positions: Mapping[str, float],
    solutions: Mapping[str, Sequence[Solution]],
    names: Mapping[str, Text] | None = None,
) -> list[Priority]:
    """The findings in the order to fix them, each with its reasons.

    `positions`: data point -> the facility's percentile (100 = best) among peers, see
    `positions_by_datapoint`; `solutions`: data point -> catalogue solutions, easiest first (as
    `solutions_for` gives them); `names`: framework id -> name, for the legal reason's text.
    """
    names = names or {}
    drafts = []
    for f in findings:
        found = tuple(sorted(solutions.get(f.datapoint, ()), key=lambda s: (*s.effort, s.id)))
        legal_ones = tuple(fw for fw in f.frameworks if fw in law)
        draft = Priority(
            f.datapoint,
            0,
            f.severity,
            f.frameworks,
            _buyers(f, buyers_by_framework),
            bool(legal_ones),
            (),
            found,
            positions.get(f.datapoint),
        )
        drafts.append((draft, legal_ones))
    drafts.sort(key=lambda d: _sort_key(d[0]))
    return [
        Priority(
            p.datapoint,
            i + 1,
            p.severity,
            p.frameworks,
            p.buyers,
            p.legal,
            _reasons(p, legal_ones, names),
            p.solutions,
            p.position,
        )
        for i, (p, legal_ones) in enumerate(drafts)
    ]


def positions_by_datapoint(
    found: Mapping[str, Position | None], metrics: Mapping[str, Metric], skip: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Per data point, the facility's lowest percentile on any metric computed from it (profile facts
    such as production volume, in `skip`, are left out)."""
    out: dict[str, float] = {}
    for mid, pos in found.items():
        if pos is None or mid not in metrics:
            continue
        for dp in metrics[mid].datapoints:
            if dp not in skip:
                out[dp] = min(out.get(dp, 100.0), pos.percentile)
    return out


# ---- the reasons in words ------------------------------------------------------------------------

DIFFICULTY_WORDS: dict[str, str] = {
    "low": gettext_noop("easy"),
    "medium": gettext_noop("moderate effort"),
    "high": gettext_noop("a large project"),
}


def severity_word(code: str, lang: Lang) -> str:
    """A severity inside a sentence: the report's word (core.report), in lower case ("ZERO
    TOLERANCE" is a badge's shout)."""
    return report.severity_word(code, lang).lower()


def _payback(months: tuple[int, int] | None, lang: Lang) -> str:
    if months is None:
        return ""
    low, high = months
    return gettext(", paying back in {low}–{high} months", lang).format(low=low, high=high)


TEMPLATES: dict[str, str] = {
    "zero_tolerance": gettext_noop("Zero tolerance: buyers stop sourcing unless it is fixed at once."),
    "severity": gettext_noop("Severity: {severity}."),
    "legal": gettext_noop("Breaks Vietnamese law ({laws})."),
    "reach": gettext_noop("Counts in {frameworks} framework(s) and for {buyers} buyer(s)."),
    "benchmark": gettext_noop("Against similar factories: better than {percentile} % of them (100 = best)."),
    "solution": gettext_noop("A known solution: {title} ({difficulty}, costing {cost}{payback})."),
    "no_solution": gettext_noop("No solution in the catalogue yet: a root-cause analysis is needed."),
}


def _words(params: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    """The parameters of a reason as words in the reader's language."""
    out = dict(params)
    if "severity" in params:
        out["severity"] = severity_word(params["severity"], lang)
    if "frameworks" in params and not isinstance(params["frameworks"], int):
        out["laws"] = "; ".join(t.get(lang) for t in params["frameworks"])
    if "percentile" in params:
        out["percentile"] = number(params["percentile"], lang, 0)
    if "title" in params:
        out["title"] = params["title"].get(lang)
        out["difficulty"] = gettext(DIFFICULTY_WORDS[params["difficulty"]], lang)
        out["cost"] = money_range(params["cost_low"], params["cost_high"], lang)
        out["payback"] = _payback(params["payback"], lang)
    return out


def reason_text(reason: Reason, lang: Lang) -> str:
    """One reason as a sentence in the reader's language."""
    return gettext(TEMPLATES[reason.code], lang).format(**_words(reason.params, lang))
