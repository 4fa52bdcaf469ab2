"""Targets: per data point, the strictest threshold among the frameworks that apply."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .frameworks import Requirement
from .logic import FALSE, Status
from .rules import All, AnyOf, Compare, Rule
from .single import compile_rule

if TYPE_CHECKING:
    from .engine import FrameworkResult
    from .library import Library

UPPER, LOWER = ("<", "<="), (">", ">=")


@dataclass(frozen=True)
class Threshold:
    requirement: Requirement
    operator: str
    value: Any


@dataclass(frozen=True)
class Target:
    datapoint: str
    operator: str
    value: Any
    unit: str | None
    binding: tuple[Threshold, ...]  # the thresholds that equal the strictest
    others: tuple[Threshold, ...]  # looser thresholds of other requirements

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.requirement.framework for t in self.binding))


@dataclass(frozen=True)
class Bound:
    """A comparison that bounds a data point, necessary when every rule in `unless` is false."""

    datapoint: str
    operator: str
    value: Any
    param: str | None
    unless: tuple[Rule, ...] = ()


def thresholds(rule: Rule, context: frozenset[str], unless: tuple[Rule, ...] = ()) -> Iterator[Bound]:
    """Every comparison that sets a bound on a fact, and when it is a necessary condition.

    The parts of `all` are necessary; an alternative of `any` is necessary once the other
    alternatives are false for this assessment (the 300-hour regime for a factory that did not
    notify); comparisons under `not` are skipped; `between` gives two bounds.
    """
    if isinstance(rule, Compare):
        if rule.ref is not None or rule.dp in context:
            return
        if rule.op == "between":
            yield Bound(rule.dp, ">=", rule.value[0], None, unless)
            yield Bound(rule.dp, "<=", rule.value[1], None, unless)
        elif rule.op in (*UPPER, *LOWER, "=="):
            yield Bound(rule.dp, rule.op, rule.value, rule.param, unless)
    elif isinstance(rule, All):
        for part in rule.parts:
            yield from thresholds(part, context, unless)
    elif isinstance(rule, AnyOf):
        for i, part in enumerate(rule.parts):
            yield from thresholds(part, context, unless + rule.parts[:i] + rule.parts[i + 1 :])


def _direction(op: str) -> str:
    return "upper" if op in UPPER else "lower" if op in LOWER else "equal"


def _strictness(t: Threshold) -> tuple[Any, int]:
    """Sort key: the strictest threshold first."""
    strict = 0 if t.operator in ("<", ">") else 1
    if t.operator in UPPER:
        return (t.value, strict)
    if t.operator in LOWER:
        return (-t.value, strict)
    return (0, 0)


def group_targets(found: Iterable[tuple[str, Threshold]], lib: Library) -> tuple[Target, ...]:
    groups: dict[tuple[str, str, Any], list[Threshold]] = {}
    for dp, t in found:
        direction = _direction(t.operator)
        key = (dp, direction, t.value if direction == "equal" else None)
        groups.setdefault(key, []).append(t)
    out = []
    for (dp, _, _), items in groups.items():
        items.sort(key=_strictness)
        best = _strictness(items[0])
        binding = tuple(t for t in items if _strictness(t) == best)
        others = tuple(t for t in items if _strictness(t) != best)
        dp_def = lib.datapoints[dp]
        out.append(Target(dp, items[0].operator, items[0].value, dp_def.unit, binding, others))
    return tuple(sorted(out, key=lambda t: (t.datapoint, t.operator)))


def collect_targets(
    results: Iterable[FrameworkResult], values: Mapping[str, Any], params: Mapping[str, float | None],
    lib: Library,
) -> tuple[Target, ...]:
    found = []
    for fr in results:
        for r in fr.results:
            if r.status is Status.NOT_APPLICABLE or r.requirement.rule is None:
                continue
            for b in thresholds(r.requirement.rule, lib.context):
                value = params.get(b.param) if b.param else b.value
                if value is not None and all(compile_rule(u)(values, params) == FALSE for u in b.unless):
                    found.append((b.datapoint, Threshold(r.requirement, b.operator, value)))
    return group_targets(found, lib)
