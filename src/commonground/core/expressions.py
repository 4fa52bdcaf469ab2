"""Expressions in rules: `{expr: "a.b * 25 >= c.d"}`, read by Python's own parser, never run by it.

The text is parsed with `ast` and every node is checked against a short whitelist: numbers, data
point and parameter ids, `+ - * /`, `min(...)`, `max(...)`, `period.start`, `period.end`,
`days(N)`, `months(N)` and exactly one comparison. Anything else is refused with a message, so
nothing a library author writes is ever executed. Units are checked on the way (decision 0033).

The parsed terms are small frozen dataclasses; `single.py` and `columnar.py` compile them.
"""

from __future__ import annotations

import ast
import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Union

from . import units
from .catalogue import DataPoint

PERIOD_START, PERIOD_END = "period.start", "period.end"
ARITH_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
COMPARE_OPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
MAX_LENGTH = 500


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Fact:
    dp: str
    date: bool = False  # a date answer counts as its day number


@dataclass(frozen=True)
class Param:
    id: str
    key: str | None = None  # `id[key]`: the value for this key, not the one the key answer picks

    @property
    def scope_key(self) -> str:
        """Its name among the values an expression reads on the single path."""
        return self.id if self.key is None else f"{self.id}[{self.key}]"


@dataclass(frozen=True)
class Period:
    key: str  # PERIOD_START or PERIOD_END


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: Term
    right: Term


@dataclass(frozen=True)
class Extreme:
    fn: str  # min or max
    args: tuple[Term, ...]


@dataclass(frozen=True)
class Shift:
    """A date moved by whole calendar months (the day kept, or the month's last day)."""

    date: Term
    months: int


Term = Union[Num, Fact, Param, Period, Arith, Extreme, Shift]  # noqa: UP007 - recursive alias


def walk(term: Term) -> Iterator[Term]:
    yield term
    if isinstance(term, Arith):
        yield from walk(term.left)
        yield from walk(term.right)
    elif isinstance(term, Extreme):
        for arg in term.args:
            yield from walk(arg)
    elif isinstance(term, Shift):
        yield from walk(term.date)


# Two calculated sides closer than one part in a billion are equal: 1.1 x 5,310,000 is 5,841,000,
# not the 5,841,000.000000001 binary floating point makes of it (decision 0033).
TOLERANCE = 1e-9


def compare_close(op: str, a: Any, b: Any, tol: Any) -> Any:
    """`a op b` with sides within `tol` counted equal; the same operations on floats and arrays."""
    if op == "==":
        return abs(a - b) <= tol
    if op == "!=":
        return abs(a - b) > tol
    if op in ("<", ">="):
        held = a < b - tol
        return held if op == "<" else ~held if hasattr(held, "shape") else not held
    held = a > b + tol
    return held if op == ">" else ~held if hasattr(held, "shape") else not held


def shift_months(day: float, months: int) -> float | None:
    """The day number `months` calendar months later (earlier when negative); None off the calendar."""
    try:
        d = dt.date.fromordinal(int(day))
        index = d.year * 12 + d.month - 1 + months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return float(dt.date(year, month + 1, min(d.day, last)).toordinal())
    except (ValueError, OverflowError):
        return None


# ---- parsing and checking ----------------------------------------------------------------------


class ExpressionProblem(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# What a term is: a date, a number in a unit (None: a bare number, which takes the other side's
# unit, as a rule's `value` does), or a shift by months (only beside a date).
DATE, MONTHS = "date", "months"


@dataclass(frozen=True)
class _Kind:
    what: str  # "number", DATE or MONTHS
    unit: Any = None  # a pint unit for a number; None for a bare number


_NUMBER = _Kind("number")


def parse_expression(
    text: Any, catalogue: dict[str, DataPoint], param_units: dict[str, str | None]
) -> tuple[Term, str, Term]:
    """`left op right` of one comparison, checked; raise ExpressionProblem naming what is wrong."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_LENGTH:
        raise ExpressionProblem("expr_syntax", expr=str(text)[:80])
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ExpressionProblem("expr_syntax", expr=text) from None
    if not isinstance(tree, ast.Compare) or len(tree.ops) != 1 or type(tree.ops[0]) not in COMPARE_OPS:
        raise ExpressionProblem("expr_compare", expr=text)
    reader = _Reader(text, catalogue, param_units)
    (left, left_kind), (right, right_kind) = reader.term(tree.left), reader.term(tree.comparators[0])
    reader.same(left_kind, right_kind, compare=True)
    return left, COMPARE_OPS[type(tree.ops[0])], right


class _Reader:
    def __init__(self, text: str, catalogue: dict[str, DataPoint], param_units: dict[str, str | None]):
        self.text, self.catalogue, self.param_units = text, catalogue, param_units

    def term(self, node: ast.AST) -> tuple[Term, _Kind]:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool) or abs(node.value) > 1e300:
                raise self.refuse(node)
            return Num(float(node.value)), _NUMBER
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner, kind = self.term(node.operand)
            if kind.what != "number":
                raise self.refuse(node)
            return (inner if isinstance(node.op, ast.UAdd) else Arith("-", Num(0.0), inner)), kind
        if isinstance(node, ast.Name | ast.Attribute):
            return self.name(node)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name | ast.Attribute):
            return self.keyed(node)
        if isinstance(node, ast.BinOp) and type(node.op) in ARITH_OPS:
            return self.binary(ARITH_OPS[type(node.op)], node.left, node.right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            return self.call(node.func.id, node)
        raise self.refuse(node)

    def refuse(self, node: ast.AST) -> ExpressionProblem:
        return ExpressionProblem("expr_element", expr=self.text, element=ast.unparse(node)[:60])

    def dotted(self, node: ast.AST) -> str:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.insert(0, node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            raise self.refuse(node)
        return ".".join([node.id, *parts])

    def keyed(self, node: ast.Subscript) -> tuple[Term, _Kind]:
        """`param[key]`: a keyed parameter's value for a key named in the rule."""
        pid, key_node = self.dotted(node.value), node.slice
        if isinstance(key_node, ast.Constant) and isinstance(key_node.value, str | int):
            key = str(key_node.value)
        elif isinstance(key_node, ast.Name):
            key = key_node.id
        else:
            raise self.refuse(node)
        scoped = f"{pid}[{key}]"
        if scoped not in self.param_units:
            raise self.key_problem(pid)
        return Param(pid, key), _Kind("number", _unit(self.param_units[scoped]))

    def key_problem(self, pid: str) -> ExpressionProblem:
        keys = sorted(k[len(pid) + 1 : -1] for k in self.param_units if k.startswith(f"{pid}["))
        if not keys:
            return ExpressionProblem("expr_unknown_name", expr=self.text, name=pid)
        return ExpressionProblem(
            "expr_param_key", expr=self.text, id=pid, keys=", ".join(keys), first=keys[0]
        )

    def name(self, node: ast.Name | ast.Attribute) -> tuple[Term, _Kind]:
        name = self.dotted(node)
        if name in (PERIOD_START, PERIOD_END):
            return Period(name), _Kind(DATE)
        if name in self.catalogue and name in self.param_units:
            raise ExpressionProblem("expr_ambiguous", expr=self.text, name=name)
        if name in self.param_units:
            return Param(name), _Kind("number", _unit(self.param_units[name]))
        dp = self.catalogue.get(name)
        if dp is None:
            raise self.key_problem(name)
        if dp.type == "date":
            return Fact(dp.id, date=True), _Kind(DATE)
        if not dp.numeric:
            raise ExpressionProblem("expr_type", expr=self.text, id=dp.id, type=dp.type)
        return Fact(dp.id), _Kind("number", _unit(dp.unit))

    def call(self, fn: str, node: ast.Call) -> tuple[Term, _Kind]:
        if fn in ("min", "max") and len(node.args) >= 2:
            read = [self.term(arg) for arg in node.args]
            kind = read[0][1]
            for _, other in read[1:]:
                kind = self.same(kind, other, compare=True)
            return Extreme(fn, tuple(t for t, _ in read)), kind
        if fn in ("days", "months") and len(node.args) == 1:
            count = _whole(node.args[0])
            if count is None:
                raise ExpressionProblem("expr_duration", expr=self.text, fn=fn)
            if fn == "days":
                return Num(float(count)), _Kind("number", units.parse_unit("day"))
            return Num(float(count)), _Kind(MONTHS)
        raise self.refuse(node)

    def binary(self, op: str, left_node: ast.AST, right_node: ast.AST) -> tuple[Term, _Kind]:
        (left, a), (right, b) = self.term(left_node), self.term(right_node)
        if MONTHS in (a.what, b.what):
            if a.what != DATE or b.what != MONTHS or op not in "+-":
                raise ExpressionProblem("expr_dates", expr=self.text)
            assert isinstance(right, Num)
            return Shift(left, int(right.value) * (1 if op == "+" else -1)), a
        if DATE in (a.what, b.what):
            return self.dates(op, left, a, right, b)
        if op in "+-":
            return Arith(op, left, right), self.same(a, b)
        if a.unit is None or b.unit is None:
            unit = a.unit if b.unit is None else b.unit if op == "*" else 1 / b.unit
            return Arith(op, left, right), _Kind("number", unit)
        return Arith(op, left, right), _Kind("number", a.unit * b.unit if op == "*" else a.unit / b.unit)

    def dates(self, op: str, left: Term, a: _Kind, right: Term, b: _Kind) -> tuple[Term, _Kind]:
        day = units.parse_unit("day")
        if a.what == b.what == DATE and op == "-":
            return Arith(op, left, right), _Kind("number", day)
        if a.what == DATE and b.what == "number" and op in "+-" and _days(b.unit):
            return Arith(op, left, right), a
        if b.what == DATE and a.what == "number" and op == "+" and _days(a.unit):
            return Arith(op, left, right), b
        raise ExpressionProblem("expr_dates", expr=self.text)

    def same(self, a: _Kind, b: _Kind, *, compare: bool = False) -> _Kind:
        """The kind of `a + b` (or of a comparison): the same unit, a bare number taking the other's."""
        if a.what != b.what or MONTHS in (a.what, b.what):
            raise ExpressionProblem("expr_dates", expr=self.text)
        if a.what == DATE or b.unit is None:
            return a
        if a.unit is None:
            return b
        if _factor(a.unit, b.unit) != 1.0:
            raise ExpressionProblem("expr_units", expr=self.text, left=f"{a.unit:~}", right=f"{b.unit:~}")
        return a


def _unit(name: str | None) -> Any:
    return units.parse_unit(name) if name else units.registry().dimensionless


def _days(unit: Any) -> bool:
    """A duration in days (`days(N)`, a data point in days); a bare number is not one."""
    return unit is not None and _factor(unit, units.parse_unit("day")) == 1.0


def _factor(unit: Any, other: Any) -> float | None:
    """How many `other` make one `unit`: 1 for the same unit (a count and a plain ratio too)."""
    if unit is None:
        return 1.0
    if unit.dimensionality != other.dimensionality:
        return None
    return float(units.registry().Quantity(1.0, unit).to(other).magnitude)


def _whole(node: ast.AST) -> int | None:
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int and node.value <= 100_000:
        return sign * node.value
    return None
