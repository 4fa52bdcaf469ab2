"""Crosswalk: how the requirements of two frameworks relate, computed from their rules.

Two requirements over the same facts are compared on every combination of answers that matters
(each threshold, just below and just above it; every option; yes and no). Rules are piecewise
constant between thresholds, so this finite grid decides the relation exactly:
`equal` (they pass on the same answers), `stricter` (whatever passes the first passes the second,
not the reverse), `looser` (the reverse), `overlap` (neither contains the other).

A requirement with an expression (`expr`) or a count (`at_least`) is not on such a grid: its
thresholds move with other answers and the period. Its pairs are `undecidable` rather than a
relation the grid could get wrong (issue 16, point 3 will reason over them).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .catalogue import DataPoint
from .errors import Lang
from .frameworks import Requirement
from .i18n import gettext, gettext_noop
from .library import Library
from .logic import FALSE
from .rules import All, AnyOf, AtLeast, Calc, Compare, Implies, Not, Rule, leaves
from .single import compile_rule

Relation = Literal["equal", "stricter", "looser", "overlap", "undecidable"]
MAX_GRID = 50_000


@dataclass(frozen=True)
class Pair:
    a: Requirement
    b: Requirement
    datapoints: tuple[str, ...]  # the facts both judge
    relation: Relation


def _rules(req: Requirement) -> list[Rule]:
    return [r for r in (req.rule, req.applies_when) if r is not None]


def _constants(reqs: tuple[Requirement, ...], lib: Library, on: dt.date) -> dict[str, list[Any]]:
    """Every constant or parameter value each data point is compared with."""
    found: dict[str, list[Any]] = {}
    for req in reqs:
        for rule in _rules(req):
            for leaf in leaves(rule):
                if not isinstance(leaf, Compare):
                    continue
                if leaf.param is not None:
                    param = lib.parameters[leaf.param]
                    keys: list[str | None] = [*sorted(param.keys())] or [None]
                    found.setdefault(leaf.dp, []).extend(param.value_on(on, k) for k in keys)
                elif isinstance(leaf.value, tuple):
                    found.setdefault(leaf.dp, []).extend(leaf.value)
                else:
                    found.setdefault(leaf.dp, []).append(leaf.value)
    return {dp: [c for c in cs if c is not None] for dp, cs in found.items()}


def _candidates(dp: DataPoint, constants: list[Any]) -> list[Any]:
    if dp.type == "boolean":
        return [True, False]
    if dp.type == "enum":
        return list(dp.option_values)
    if dp.type == "multi-enum":
        named = sorted(
            {c for group in constants for c in (group if isinstance(group, frozenset) else [group])}
        )
        other = [o for o in dp.option_values if o not in named][:1]
        singles = [frozenset([c]) for c in named + other]
        return [frozenset(), *singles, frozenset(named)]
    if dp.type == "date":
        days = {c + dt.timedelta(days=d) for c in constants for d in (-1, 0, 1)}
        return sorted(days) or [dt.date(2000, 1, 1)]
    if dp.numeric:
        points = {0.0}
        for c in constants:
            step = max(abs(c), 1.0) * 1e-6
            points.update((c - step, c, c + step))
        return sorted(points)
    return ["text"]


def _grid(
    dps: list[str], reqs: tuple[Requirement, ...], lib: Library, on: dt.date
) -> Iterator[dict[str, Any]]:
    constants = _constants(reqs, lib, on)
    axes = [_candidates(lib.datapoints[dp], constants.get(dp, [])) for dp in dps]
    for combo in itertools.islice(itertools.product(*axes), MAX_GRID):
        yield dict(zip(dps, combo, strict=True))


def _needed(reqs: tuple[Requirement, ...], lib: Library) -> list[str]:
    return list(dict.fromkeys(dp for req in reqs for dp in lib.needs(req)))


def _passes(req: Requirement, values: dict[str, Any], params: dict[str, float | None]) -> bool:
    """True when the requirement does not fail on these answers (met or not applicable)."""
    if req.applies_when is not None and compile_rule(req.applies_when)(values, params) == FALSE:
        return True
    assert req.rule is not None
    return compile_rule(req.rule)(values, params) != FALSE


def _gridded(rule: Rule) -> bool:
    """False when the rule holds a form the grid cannot decide (an expression, a count)."""
    if isinstance(rule, Calc | AtLeast):
        return False
    if isinstance(rule, Not):
        return _gridded(rule.part)
    if isinstance(rule, Implies):
        return _gridded(rule.condition) and _gridded(rule.then)
    if isinstance(rule, All | AnyOf):
        return all(_gridded(p) for p in rule.parts)
    return True


def relate(a: Requirement, b: Requirement, lib: Library, on: dt.date) -> Relation:
    pair = (a, b)
    if not all(_gridded(rule) for req in pair for rule in _rules(req)):
        return "undecidable"
    a_only = b_only = False
    for values in _grid(_needed(pair, lib), pair, lib, on):
        params = lib.resolve_parameters(on, values)
        pa, pb = _passes(a, values, params), _passes(b, values, params)
        a_only, b_only = a_only or (pa and not pb), b_only or (pb and not pa)
        if a_only and b_only:
            return "overlap"
    if a_only:
        return "looser"
    return "stricter" if b_only else "equal"


def _judged(req: Requirement, context: frozenset[str]) -> set[str]:
    return {dp for dp in req.rule_datapoints if dp not in context}


def crosswalk(lib: Library, first: str, second: str, on: dt.date | None = None) -> list[Pair]:
    """Pairs of requirements of two frameworks that judge the same facts, with their relation."""
    on = on or dt.date.today()
    fa, fb = lib.framework(first), lib.framework(second)
    pairs = []
    for a in fa.requirements:
        for b in fb.requirements:
            shared = _judged(a, lib.context) & _judged(b, lib.context)
            if shared and not a.manual and not b.manual:
                ordered = tuple(dp for dp in a.rule_datapoints if dp in shared)
                pairs.append(Pair(a, b, ordered, relate(a, b, lib, on)))
    return pairs


_RELATION_WORDS: dict[str, str] = {
    "equal": gettext_noop("equal"),
    "stricter": gettext_noop("stricter"),
    "looser": gettext_noop("looser"),
    "overlap": gettext_noop("overlap"),
    "undecidable": gettext_noop("undecidable"),
}


def as_dict(pairs: list[Pair], lang: str) -> dict[str, Any]:
    counts = {r: sum(1 for p in pairs if p.relation == r) for r in _RELATION_WORDS}
    return {
        "counts": counts,
        "pairs": [
            {
                "a": p.a.key,
                "b": p.b.key,
                "datapoints": list(p.datapoints),
                "relation": p.relation,
                "a_title": p.a.spec.title.get("vi" if lang == "vi" else "en"),
                "b_title": p.b.spec.title.get("vi" if lang == "vi" else "en"),
            }
            for p in pairs
        ],
    }


def as_text(pairs: list[Pair], first: str, second: str, lang: str) -> str:
    language: Lang = "vi" if lang == "vi" else "en"
    head = gettext("{first} compared with {second}: {n} pairs over the same facts", language).format(
        first=first, second=second, n=len(pairs)
    )
    lines = [head]
    width = max((len(p.a.key) for p in pairs), default=0)
    words = {r: gettext(w, language) for r, w in _RELATION_WORDS.items()}
    word_width = max((len(words[p.relation]) for p in pairs), default=0)
    for p in pairs:
        word = words[p.relation]
        lines.append(f"  {p.a.key:<{width}}  {word:<{word_width}}  {p.b.key}   ({', '.join(p.datapoints)})")
    return "\n".join(lines)
