"""An expression rule solved for one fact, so that it gives a target like any other threshold.

`wages.lowest_base_wage_month_vnd >= 1.05 * vn.minimum_wage_month` bounds the wage from below at
1.05 × the minimum in force; `hyg.toilets_women * 25 >= hyg.women` bounds the toilets at women ÷ 25.
The fact is isolated by undoing, one step at a time, what the expression does to it: a sum or a
difference moves to the other side, a product or a quotient divides or multiplies the other side
(a negative factor turns the comparison round; a factor of zero leaves no bound). Only exact steps
are taken: a fact that appears twice, sits in a divisor, inside `min`/`max` or is moved by
`months(N)` is not solved, and its requirement is listed as giving no target ("undecidable")
rather than given an approximate one (decision 0037).

The bound is itself a term, computed per assessment by each path's own term compiler, so the single
and the columnar path give the same number.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from .catalogue import DataPoint
from .expressions import Arith, Fact, Num, Term, walk

FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=="}
BOUND_OPS = ("<", "<=", ">", ">=", "==")


@dataclass(frozen=True)
class Solved:
    """`fact operator value`, the operator turned round once per negative factor in `signs`."""

    operator: str
    value: Term
    signs: tuple[Term, ...] = ()  # factors known only per assessment; zero or unknown: no bound


def _count(term: Term, dp: str) -> int:
    return sum(1 for t in walk(term) if isinstance(t, Fact) and t.dp == dp)


def solve(left: Term, op: str, right: Term, dp: str) -> Solved | None:
    """`left op right` solved for the fact `dp`, or None when it cannot be done exactly."""
    if op not in BOUND_OPS:
        return None
    in_left, in_right = _count(left, dp), _count(right, dp)
    if in_left + in_right != 1:
        return None
    if in_left:
        return _isolate(left, op, right, dp, ())
    return _isolate(right, FLIP[op], left, dp, ())


def _isolate(term: Term, op: str, other: Term, dp: str, signs: tuple[Term, ...]) -> Solved | None:
    """`term op other`, where `term` holds the fact once: peel `term` down to the fact."""
    if isinstance(term, Fact):
        return Solved(op, other, signs)
    if not isinstance(term, Arith):
        return None  # min, max, a month shift: not undone exactly
    a, b = term.left, term.right
    first = _count(a, dp) == 1  # the fact is in the left half
    x, rest = (a, b) if first else (b, a)
    if term.op == "+":
        return _isolate(x, op, Arith("-", other, rest), dp, signs)
    if term.op == "-":
        if first:  # x - rest op other  ->  x op other + rest
            return _isolate(x, op, Arith("+", other, rest), dp, signs)
        return _isolate(x, FLIP[op], Arith("-", rest, other), dp, signs)  # rest - x op other
    if term.op == "*":
        return _scaled(x, op, Arith("/", other, rest), rest, dp, signs)
    if first:  # x / rest op other  ->  x op other * rest
        return _scaled(x, op, Arith("*", other, rest), rest, dp, signs)
    return None  # the fact in a divisor


def _scaled(x: Term, op: str, other: Term, factor: Term, dp: str, signs: tuple[Term, ...]) -> Solved | None:
    """Undo a factor: a constant one turns the comparison now, another one per assessment."""
    constant = _constant(factor)
    if constant is None:
        return _isolate(x, op, other, dp, (*signs, factor))
    if constant == 0 or constant != constant:
        return None
    return _isolate(x, op if constant > 0 else FLIP[op], other, dp, signs)


def _constant(term: Term) -> float | None:
    """The value of a term made of numbers only (`-2`, `100 / 4`), else None."""
    if isinstance(term, Num):
        return term.value
    if not isinstance(term, Arith):
        return None
    a, b = _constant(term.left), _constant(term.right)
    if a is None or b is None or (term.op == "/" and b == 0):
        return None
    return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0.0}[term.op]


def turned(op: str, signs: list[float | None]) -> str | None:
    """The operator once the factors known per assessment are in: None when one is zero or unknown."""
    for sign in signs:
        if sign is None or sign == 0 or sign != sign:
            return None
        if sign < 0:
            op = FLIP[op]
    return op


def settle(dp: DataPoint, op: str, value: float) -> tuple[str, Any] | None:
    """The bound as a target shows it: floating-point noise under the evaluation's tolerance
    removed (1.05 × 4,960,000 is 5,208,000), a whole-number fact's bound moved to the whole number
    it means (≥ 2.04 toilets is ≥ 3), a date fact's day number as its date."""
    if value != value or math.isinf(value):
        return None
    value = float(f"{value:.12g}")
    if dp.type in ("integer", "date") and not value.is_integer():
        if op == "==":
            return None  # a whole number never equals it: no target to aim at
        op, value = (">=", float(math.ceil(value))) if op in (">", ">=") else ("<=", float(math.floor(value)))
    if dp.type != "date":
        return op, value
    try:
        return op, dt.date.fromordinal(int(value))
    except (ValueError, OverflowError):
        return None
