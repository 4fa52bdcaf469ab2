"""Targets: per data point, the strictest threshold among the frameworks that apply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .frameworks import Requirement
from .logic import FALSE
from .rules import All, AnyOf, Calc, Compare, Implies, Not, Rule
from .single import Compiled, compile_rule, compile_term
from .solving import Solved, settle, solve, turned

if TYPE_CHECKING:
    from .catalogue import DataPoint
    from .library import Library

UPPER, LOWER = ("<", "<="), (">", ">=")
# The operator of a target that is no threshold: an expression bounds the fact but cannot be solved
# for it exactly. Its `binding` lists those requirements; it has no value (decision 0037).
UNDECIDABLE = "undecidable"


class Threshold(NamedTuple):
    requirement: Requirement
    operator: str
    value: Any


class Target(NamedTuple):
    datapoint: str
    operator: str
    value: Any
    unit: str | None
    binding: tuple[Threshold, ...]  # the thresholds that equal the strictest
    others: tuple[Threshold, ...]  # looser thresholds of other requirements

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.requirement.framework for t in self.binding))

    @property
    def undecidable(self) -> bool:
        """No threshold: the requirements in `binding` bound the fact by expressions not solved."""
        return self.operator == UNDECIDABLE


@dataclass(frozen=True)
class Bound:
    """A comparison that bounds a data point, necessary when every rule in `unless` is false."""

    datapoint: str
    operator: str
    value: Any
    param: str | None
    unless: tuple[Rule, ...] = ()
    solved: Solved | None = None  # an expression solved for the fact: the value per assessment


def thresholds(rule: Rule, context: frozenset[str], unless: tuple[Rule, ...] = ()) -> Iterator[Bound]:
    """Every comparison that sets a bound on a fact, and when it is a necessary condition.

    The parts of `all` are necessary; an alternative of `any` is necessary once the other
    alternatives are false for this assessment (the 300-hour regime for a factory that did not
    notify); comparisons under `not` are skipped; `between` gives two bounds. An expression bounds
    each of its facts it can be solved for, and marks the others `undecidable`.
    """
    if isinstance(rule, Calc):
        yield from _calc_bounds(rule, context, unless)
    elif isinstance(rule, Compare):
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
    elif isinstance(rule, Implies):  # the `then` bounds bind once the condition holds
        yield from thresholds(rule.then, context, (*unless, Not(rule.condition)))


def _calc_bounds(rule: Calc, context: frozenset[str], unless: tuple[Rule, ...]) -> Iterator[Bound]:
    if rule.op == "!=":
        return  # not a bound, as for `{dp, op: "!=", value}`
    for dp in rule.datapoints:
        if dp in context:
            continue
        solved = solve(rule.left, rule.op, rule.right, dp)
        if solved is None:
            yield Bound(dp, UNDECIDABLE, None, None, unless)
        else:
            yield Bound(dp, solved.operator, None, None, unless, solved)


CompiledSolved = tuple[Callable[[Any, Any], float | None], tuple[Callable[[Any, Any], float | None], ...]]


def compile_solved(solved: Solved) -> CompiledSolved:
    return compile_term(solved.value), tuple(compile_term(s) for s in solved.signs)


def solved_threshold(
    dp: DataPoint,
    operator: str,
    compiled: CompiledSolved,
    values: Mapping[str, Any],
    params: Mapping[str, Any],
) -> tuple[str, Any] | None:
    """A solved expression's (operator, value) for one assessment on the single path; None: no bound."""
    value_fn, sign_fns = compiled
    op = turned(operator, [s(values, params) for s in sign_fns])
    value = value_fn(values, params)
    return None if op is None or value is None else settle(dp, op, value)


def _signed(sign: int, value: Any) -> Any:
    """The sort key of a bound's value: a date ranks by its day number (a later date is the
    stricter lower bound, an earlier one the stricter upper bound, as for numbers)."""
    if not sign:
        return 0
    return sign * (value.toordinal() if isinstance(value, dt.date) else value)


# operator -> (direction, sign of the value in the sort key, 0 for a strict inequality)
_ORDER: dict[str, tuple[str, int, int]] = {
    "<": ("upper", 1, 0),
    "<=": ("upper", 1, 1),
    ">": ("lower", -1, 0),
    ">=": ("lower", -1, 1),
    "==": ("equal", 0, 0),
    UNDECIDABLE: (UNDECIDABLE, 0, 0),
}


def group_targets(found: Iterable[tuple[str, Threshold]], lib: Library) -> tuple[Target, ...]:
    """Group thresholds by fact and direction; the strictest binds, the rest are listed as looser."""
    groups: dict[tuple[str, str, Any], list[tuple[Any, int, int, Threshold]]] = {}
    for order, (dp, t) in enumerate(found):
        direction, sign, strict = _ORDER[t.operator]
        key = (dp, direction, t.value if sign == 0 else None)
        groups.setdefault(key, []).append((_signed(sign, t.value), strict, order, t))
    out = []
    for (dp, _, _), items in groups.items():
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        best = items[0][:2]
        binding = tuple(item[3] for item in items if item[:2] == best)
        others = tuple(item[3] for item in items if item[:2] != best)
        first = items[0][3]
        out.append(Target(dp, first.operator, first.value, lib.datapoints[dp].unit, binding, others))
    return tuple(sorted(out, key=lambda t: (t.datapoint, t.operator)))


CompiledBound = tuple[Bound, tuple[Compiled, ...]]


def compile_bounds(requirement: Requirement, context: frozenset[str]) -> tuple[CompiledBound, ...]:
    """A requirement's bounds with their `unless` conditions compiled (once per engine)."""
    if requirement.rule is None:
        return ()
    return tuple((b, tuple(compile_rule(u) for u in b.unless)) for b in thresholds(requirement.rule, context))


@dataclass(frozen=True)
class _Candidate:
    position: int  # the requirement's place among all requirements of the plan
    requirement: Requirement
    datapoint: str
    operator: str
    sign: int
    strict: int
    order: int
    param: str | None
    unless: tuple[Compiled, ...]
    fixed: Threshold | None  # prebuilt when the bound is a constant

    def rank(self, value: Any) -> tuple[Any, int, int]:
        return (_signed(self.sign, value), self.strict, self.order)


class TargetPlan:
    """Targets for a fixed list of frameworks, with the answer-independent work done once.

    Gives exactly what `group_targets` gives over the same thresholds (the columnar path uses it;
    a property test compares both), several times faster for one assessment.
    """

    def __init__(self, requirements: Iterable[Requirement], lib: Library) -> None:
        self.lib = lib
        self.groups: dict[tuple[str, str], list[_Candidate]] = {}
        # expressions solved for a fact: their operator, and so their group, is known per assessment
        self.solved: list[tuple[_Candidate, CompiledSolved]] = []
        order = 0
        for position, requirement in enumerate(requirements):
            for b, unless in compile_bounds(requirement, lib.context):
                direction, sign, strict = _ORDER[b.operator]
                fixed = None if b.param or b.solved else Threshold(requirement, b.operator, b.value)
                candidate = _Candidate(
                    position,
                    requirement,
                    b.datapoint,
                    b.operator,
                    sign,
                    strict,
                    order,
                    b.param,
                    unless,
                    fixed,
                )
                if b.solved is not None:
                    self.solved.append((candidate, compile_solved(b.solved)))
                else:
                    self.groups.setdefault((b.datapoint, direction), []).append(candidate)
                order += 1
        self.presorted = {
            key: all(c.param is None for c in group) and key[1] != "equal"
            for key, group in self.groups.items()
        }
        for key, group in self.groups.items():
            if self.presorted[key]:
                group.sort(key=lambda c: c.rank(c.fixed.value if c.fixed else 0))
        # (position, prebuilt threshold and its rank when constant and unconditional, candidate)
        self._fast = {
            key: [
                (
                    c.position,
                    c.fixed if c.fixed and not c.unless else None,
                    c.rank(c.fixed.value if c.fixed else 0),
                    c,
                )
                for c in group
            ]
            for key, group in self.groups.items()
        }

    def targets(
        self, applicable: list[bool], values: Mapping[str, Any], params: Mapping[str, float | None]
    ) -> tuple[Target, ...]:
        """`applicable[position]`: the requirement is not `not_applicable` for this assessment."""
        solved = self._solved(applicable, values, params) if self.solved else {}
        out: list[Target] = []
        for key, group in self._fast.items():
            chosen = []
            for position, fixed, rank, c in group:
                if not applicable[position]:
                    continue
                if fixed is not None:
                    chosen.append((rank, fixed))
                    continue
                value = c.fixed.value if c.fixed else params.get(c.param or "")
                if value is None or (c.unless and any(u(values, params) != FALSE for u in c.unless)):
                    continue
                chosen.append((c.rank(value), c.fixed or Threshold(c.requirement, c.operator, value)))
            more = solved.pop(key, None)
            if more:
                chosen = sorted([*chosen, *more], key=lambda item: item[0])  # in rank, then written order
            if chosen:
                out.extend(self._targets(key[0], key[1], chosen, self.presorted[key] and not more))
        for key, chosen in solved.items():  # facts bound by solved expressions only
            out.extend(self._targets(key[0], key[1], sorted(chosen, key=lambda item: item[0]), False))
        return tuple(sorted(out, key=lambda t: (t.datapoint, t.operator)))

    def _solved(
        self, applicable: list[bool], values: Mapping[str, Any], params: Mapping[str, float | None]
    ) -> dict[tuple[str, str], list[tuple[tuple[Any, int, int], Threshold]]]:
        """The solved expressions' thresholds for this assessment, by the group each falls in."""
        found: dict[tuple[str, str], list[tuple[tuple[Any, int, int], Threshold]]] = {}
        for c, compiled in self.solved:
            if not applicable[c.position] or any(u(values, params) != FALSE for u in c.unless):
                continue
            threshold = solved_threshold(
                self.lib.datapoints[c.datapoint], c.operator, compiled, values, params
            )
            if threshold is None:
                continue
            op, value = threshold
            direction, sign, strict = _ORDER[op]
            rank = (_signed(sign, value), strict, c.order)
            found.setdefault((c.datapoint, direction), []).append((rank, Threshold(c.requirement, op, value)))
        return found

    def _targets(
        self, dp: str, direction: str, chosen: list[tuple[tuple[Any, int, int], Threshold]], presorted: bool
    ) -> Iterator[Target]:
        if direction == "equal":
            by_value: dict[Any, list[tuple[tuple[Any, int, int], Threshold]]] = {}
            for item in chosen:
                by_value.setdefault(item[1].value, []).append(item)
            subgroups = list(by_value.values())
        else:
            subgroups = [chosen if presorted else sorted(chosen, key=lambda item: item[0])]
        unit = self.lib.datapoints[dp].unit
        for items in subgroups:
            best = items[0][0][:2]
            binding = tuple(t for rank, t in items if rank[:2] == best)
            others = tuple(t for rank, t in items if rank[:2] != best)
            yield Target(dp, items[0][1].operator, items[0][1].value, unit, binding, others)
