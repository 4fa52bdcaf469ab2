"""Targets: per data point, the strictest threshold among the frameworks that apply."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .frameworks import Requirement
from .logic import Status
from .rules import All, AnyOf, Compare, Rule

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


def thresholds(rule: Rule, context: frozenset[str]) -> Iterator[tuple[str, str, Any, str | None]]:
    """(datapoint, operator, constant, parameter) of every comparison that sets a bound.

    Only necessary conditions bound: the parts of `all`, not the alternatives of `any` (unless
    there is only one); comparisons under `not` are skipped; `between` gives two bounds.
    """
    if isinstance(rule, Compare):
        if rule.ref is not None or rule.dp in context:
            return
        if rule.op == "between":
            yield rule.dp, ">=", rule.value[0], None
            yield rule.dp, "<=", rule.value[1], None
        elif rule.op in (*UPPER, *LOWER, "=="):
            yield rule.dp, rule.op, rule.value, rule.param
    elif isinstance(rule, All) or (isinstance(rule, AnyOf) and len(rule.parts) == 1):
        for part in rule.parts:
            yield from thresholds(part, context)


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
    results: Iterable[FrameworkResult], params: Mapping[str, float | None], lib: Library
) -> tuple[Target, ...]:
    found = []
    for fr in results:
        for r in fr.results:
            if r.status is Status.NOT_APPLICABLE or r.requirement.rule is None:
                continue
            for dp, op, value, param in thresholds(r.requirement.rule, lib.context):
                bound = params.get(param) if param else value
                if bound is not None:
                    found.append((dp, Threshold(r.requirement, op, bound)))
    return group_targets(found, lib)
