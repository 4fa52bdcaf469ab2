"""The single-assessment path: each rule compiled once into a plain Python closure."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from .expressions import (
    TOLERANCE,
    Extreme,
    Fact,
    Num,
    Param,
    Period,
    Shift,
    Term,
    compare_close,
    shift_months,
)
from .logic import FALSE, TRUE, UNKNOWN
from .rules import All, AtLeast, Calc, Compare, Implies, Not, Present, Rule, datapoints_of

Values = Mapping[str, Any]
Params = Mapping[str, float | None]
Compiled = Callable[[Values, Params], int]

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@cache
def compile_rule(rule: Rule) -> Compiled:
    """A closure over (values, params) giving FALSE, UNKNOWN or TRUE; cached per rule."""
    if isinstance(rule, Compare):
        return _compare(rule)
    if isinstance(rule, Present):
        dp = rule.dp
        return lambda values, params: TRUE if values.get(dp) is not None else FALSE
    if isinstance(rule, Not):
        inner = compile_rule(rule.part)
        return lambda values, params: 2 - inner(values, params)
    if isinstance(rule, Implies):
        condition, then = compile_rule(rule.condition), compile_rule(rule.then)
        return lambda values, params: max(2 - condition(values, params), then(values, params))
    if isinstance(rule, Calc):
        return _calc(rule)
    parts = tuple(compile_rule(p) for p in rule.parts)
    if isinstance(rule, AtLeast):
        return _at_least(rule.k, parts)
    if isinstance(rule, All):
        return lambda values, params: min(p(values, params) for p in parts)
    return lambda values, params: max(p(values, params) for p in parts)


def _at_least(k: int, parts: tuple[Compiled, ...]) -> Compiled:
    def at_least(values: Values, params: Params) -> int:
        results = [p(values, params) for p in parts]
        return int(at_least_of(results.count(TRUE), results.count(UNKNOWN), k))

    return at_least


def at_least_of(met: Any, unknown: Any, k: int) -> Any:
    """TRUE when `met` reaches k, FALSE when even `met + unknown` cannot, else UNKNOWN (arrays too)."""
    return (met >= k) * 1 + (met + unknown >= k) * 1


def _calc(rule: Calc) -> Compiled:
    left, right, op = compile_term(rule.left), compile_term(rule.right), rule.op

    def calc(values: Values, params: Params) -> int:
        a, b = left(values, params), right(values, params)
        if a is None or b is None:
            return UNKNOWN
        return _truth(compare_close(op, a, b, max(abs(a), abs(b)) * TOLERANCE))

    return calc


TermFn = Callable[[Values, Params], float | None]


def _defined(x: float) -> float | None:
    return None if x != x else x  # NaN (inf - inf) is undefined: unknown, as on the columnar path


def compile_term(term: Term) -> TermFn:
    """A closure giving the term's number (a date as its day number), or None when unknown."""
    if isinstance(term, Num):
        value = term.value
        return lambda values, params: value
    if isinstance(term, Fact):
        dp, is_date = term.dp, term.date
        if is_date:
            return lambda values, params: None if (v := values.get(dp)) is None else float(v.toordinal())
        return lambda values, params: None if (v := values.get(dp)) is None else float(v)
    if isinstance(term, Param | Period):
        key = term.scope_key if isinstance(term, Param) else term.key
        return lambda values, params: params.get(key)
    if isinstance(term, Shift):
        return _shift(compile_term(term.date), term.months)
    if isinstance(term, Extreme):
        return _extreme(min if term.fn == "min" else max, tuple(compile_term(a) for a in term.args))
    return _arith(term.op, compile_term(term.left), compile_term(term.right))


def _shift(date: TermFn, months: int) -> TermFn:
    def shifted(values: Values, params: Params) -> float | None:
        day = date(values, params)
        return None if day is None else shift_months(day, months)

    return shifted


def _extreme(fn: Callable[..., float], args: tuple[TermFn, ...]) -> TermFn:
    def extreme(values: Values, params: Params) -> float | None:
        found = [a(values, params) for a in args]
        return None if None in found else fn(found)

    return extreme


_ARITH: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _arith(op: str, left: TermFn, right: TermFn) -> TermFn:
    fn = _ARITH[op]

    def arith(values: Values, params: Params) -> float | None:
        a, b = left(values, params), right(values, params)
        if a is None or b is None or (op == "/" and b == 0):
            return None
        return _defined(fn(float(a), float(b)))

    return arith


def _truth(flag: bool) -> int:
    return TRUE if flag else FALSE


def _compare(rule: Compare) -> Compiled:
    dp = rule.dp
    test = _test(rule)
    if rule.param is not None:
        param = rule.param

        def with_param(values: Values, params: Params) -> int:
            left, right = values.get(dp), params.get(param)
            return UNKNOWN if left is None or right is None else _truth(test(left, right))

        return with_param
    if rule.ref is not None:
        ref = rule.ref

        def with_ref(values: Values, params: Params) -> int:
            left, right = values.get(dp), values.get(ref)
            return UNKNOWN if left is None or right is None else _truth(test(left, right))

        return with_ref
    constant = rule.value

    def with_constant(values: Values, params: Params) -> int:
        left = values.get(dp)
        return UNKNOWN if left is None else _truth(test(left, constant))

    return with_constant


def _test(rule: Compare) -> Callable[[Any, Any], bool]:
    op = rule.op
    if op in COMPARE:
        return COMPARE[op]
    if op == "between":
        return lambda left, bounds: bool(bounds[0] <= left <= bounds[1])
    if op == "in":
        return lambda left, options: left in options
    if op == "not_in":
        return lambda left, options: left not in options
    if op == "contains":
        return lambda left, codes: not left.isdisjoint(codes)
    return lambda left, codes: left.isdisjoint(codes)  # not_contains


Blamer = Callable[[Values, Params, dict[str, None]], None]


def blame(
    rule: Rule, values: Values, params: Params, order: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """The data points whose answers make a false rule false, in the rule's order.

    `all`: the parts that are false; `any`: every part (all are false); `not`: the facts that made
    the inner rule true; a comparison: its data point(s). `order`: the rule's data points, if known.
    """
    return run_blamer(compile_blamer(rule), values, params, order or datapoints_of(rule))


def run_blamer(blamer: Blamer, values: Values, params: Params, order: tuple[str, ...]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    blamer(values, params, found)
    return tuple(dp for dp in order if dp in found)


@cache
def compile_blamer(rule: Rule) -> Blamer:
    """A closure that adds to `found` the facts to blame when `rule` is false."""
    if isinstance(rule, Compare | Present | Calc | Not):
        facts = dict.fromkeys(rule.datapoints if not isinstance(rule, Not) else datapoints_of(rule.part))
        return lambda values, params, found: found.update(facts)
    if isinstance(rule, Implies):
        return compile_blamer(rule.then)
    parts = tuple((compile_rule(p), compile_blamer(p)) for p in rule.parts)
    if isinstance(rule, All | AtLeast):  # at_least: the parts that are not met

        def blame_all(values: Values, params: Params, found: dict[str, None]) -> None:
            for holds, blamer in parts:
                if holds(values, params) == FALSE:
                    blamer(values, params, found)

        return blame_all

    def blame_any(values: Values, params: Params, found: dict[str, None]) -> None:
        for _, blamer in parts:
            blamer(values, params, found)

    return blame_any
