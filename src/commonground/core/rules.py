"""Rules: plain YAML structures parsed once into a small tree, checked against the catalogue.

A rule is one of
  {dp, op, value | param | ref}   compare an answer with a constant, a parameter or another answer
  {present: dp}                   the answer exists
  {expr: "a.b * 25 >= c.d"}       compare two calculations (see `expressions.py`)
  {all: [...]}, {any: [...]}, {not: rule}, {if: rule, then: rule}
  {at_least: k, of: [...]}        at least k of the rules hold
The tree is compiled twice from the same nodes (see `compile.py` and `columnar.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Union

from .catalogue import DataPoint, ValueProblem, normalise
from .expressions import ExpressionProblem, Fact, Param, Term, parse_expression, walk

COMPARE_OPS = ("<", "<=", ">", ">=", "==", "!=")
ORDER_OPS = ("<", "<=", ">", ">=")
SET_OPS = ("in", "not_in")
MULTI_OPS = ("contains", "not_contains")
ALL_OPS = (*COMPARE_OPS, "between", *SET_OPS, *MULTI_OPS)

OPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "integer": (*COMPARE_OPS, "between"),
    "decimal": (*COMPARE_OPS, "between"),
    "date": (*COMPARE_OPS, "between"),
    "boolean": ("==", "!="),
    "enum": ("==", "!=", *SET_OPS),
    "multi-enum": MULTI_OPS,
    "text": (),
}


@dataclass(frozen=True)
class Compare:
    dp: str
    op: str
    value: Any = None  # canonical constant (float, bool, str, date, tuple for in/between)
    param: str | None = None
    ref: str | None = None

    @property
    def datapoints(self) -> tuple[str, ...]:
        return (self.dp,) if self.ref is None else (self.dp, self.ref)


@dataclass(frozen=True)
class Present:
    dp: str

    @property
    def datapoints(self) -> tuple[str, ...]:
        return (self.dp,)


@dataclass(frozen=True)
class Calc:
    """`{expr: "left op right"}`: a comparison of two calculations over facts, parameters, numbers
    and the period; unknown when a fact or parameter it reads is missing."""

    left: Term
    op: str
    right: Term
    text: str

    @property
    def datapoints(self) -> tuple[str, ...]:
        terms = (*walk(self.left), *walk(self.right))
        return tuple(dict.fromkeys(t.dp for t in terms if isinstance(t, Fact)))

    @property
    def params(self) -> tuple[str, ...]:
        terms = (*walk(self.left), *walk(self.right))
        return tuple(dict.fromkeys(t.id for t in terms if isinstance(t, Param)))


@dataclass(frozen=True)
class AtLeast:
    """`{at_least: k, of: [...]}`: met when k parts are met, not met when even the unknown parts
    could not make k, else unknown."""

    k: int
    parts: tuple[Rule, ...]


@dataclass(frozen=True)
class All:
    parts: tuple[Rule, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Rule, ...]


@dataclass(frozen=True)
class Not:
    part: Rule


@dataclass(frozen=True)
class Implies:
    """`{if: condition, then: rule}`: true when the condition is false or the rule holds.

    Unlike `any`, a failure blames only the `then` facts: the condition is the circumstance.
    """

    condition: Rule
    then: Rule


Rule = Union[Compare, Present, Calc, All, AnyOf, AtLeast, Not, Implies]  # noqa: UP007 - recursive alias
Leaf = Union[Compare, Present, Calc]  # noqa: UP007


class RuleProblem(ValueError):
    """A rule that cannot be used: `code`, `params` and the path inside the rule."""

    def __init__(self, code: str, path: tuple[Any, ...] = (), **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.path = path
        self.params = params


def leaves(rule: Rule) -> Iterator[Leaf]:
    if isinstance(rule, Compare | Present | Calc):
        yield rule
    elif isinstance(rule, Not):
        yield from leaves(rule.part)
    elif isinstance(rule, Implies):
        yield from leaves(rule.condition)
        yield from leaves(rule.then)
    else:
        for part in rule.parts:
            yield from leaves(part)


def datapoints_of(rule: Rule | None) -> tuple[str, ...]:
    """Every data point a rule reads, in order of first use."""
    if rule is None:
        return ()
    seen: dict[str, None] = {}
    for leaf in leaves(rule):
        for dp in leaf.datapoints:
            seen.setdefault(dp, None)
    return tuple(seen)


def keyed_references(rule: Rule | None) -> tuple[Param, ...]:
    """The `param[key]` references of a rule's expressions (each read for its named key)."""
    found: dict[Param, None] = {}
    for leaf in leaves(rule) if rule is not None else ():
        if isinstance(leaf, Calc):
            for term in (*walk(leaf.left), *walk(leaf.right)):
                if isinstance(term, Param) and term.key is not None:
                    found.setdefault(term, None)
    return tuple(found)


def parameters_of(rule: Rule | None) -> tuple[str, ...]:
    if rule is None:
        return ()
    found: dict[str, None] = {}
    for leaf in leaves(rule):
        if isinstance(leaf, Compare) and leaf.param:
            found.setdefault(leaf.param, None)
        elif isinstance(leaf, Calc):
            found.update(dict.fromkeys(leaf.params))
    return tuple(found)


# ---- parsing ----------------------------------------------------------------------------------

Lookup = dict[str, DataPoint]


def parse(
    raw: Any, catalogue: Lookup, param_units: dict[str, str | None], path: tuple[Any, ...] = ()
) -> Rule:
    """Parse and check one rule; raise RuleProblem naming the path inside the rule."""
    if not isinstance(raw, dict):
        raise RuleProblem(
            "rule_invalid",
            path,
            detail="a rule is a mapping such as {dp: ..., op: ..., value: ...}",
        )
    keys = set(raw)
    for combinator, node in (("all", All), ("any", AnyOf)):
        if combinator in keys:
            _only(raw, {combinator}, path)
            parts = raw[combinator]
            if not isinstance(parts, list) or not parts:
                raise RuleProblem(
                    "rule_invalid", path, detail=f"'{combinator}' needs a non-empty list of rules"
                )
            return node(
                tuple(parse(p, catalogue, param_units, (*path, combinator, i)) for i, p in enumerate(parts))
            )
    if "at_least" in keys or "of" in keys:
        return _at_least(raw, catalogue, param_units, path)
    if "if" in keys or "then" in keys:
        _only(raw, {"if", "then"}, path)
        if "if" not in raw or "then" not in raw:
            raise RuleProblem("rule_invalid", path, detail="'if' needs 'then' (and 'then' needs 'if')")
        return Implies(
            parse(raw["if"], catalogue, param_units, (*path, "if")),
            parse(raw["then"], catalogue, param_units, (*path, "then")),
        )
    if "not" in keys:
        _only(raw, {"not"}, path)
        return Not(parse(raw["not"], catalogue, param_units, (*path, "not")))
    if "present" in keys:
        _only(raw, {"present"}, path)
        return Present(_datapoint(raw["present"], catalogue, (*path, "present")).id)
    if "expr" in keys:
        _only(raw, {"expr"}, path)
        try:
            left, op, right = parse_expression(raw["expr"], catalogue, param_units)
        except ExpressionProblem as exc:
            raise RuleProblem(exc.code, (*path, "expr"), **exc.params) from None
        return Calc(left, op, right, str(raw["expr"]).strip())
    if "dp" in keys:
        return _compare(raw, catalogue, param_units, path)
    raise RuleProblem(
        "rule_invalid", path, detail="expected one of the keys dp, expr, present, all, any, at_least, not, if"
    )


def _at_least(
    raw: dict[str, Any], catalogue: Lookup, param_units: dict[str, str | None], path: tuple[Any, ...]
) -> AtLeast:
    _only(raw, {"at_least", "of"}, path)
    parts, k = raw.get("of"), raw.get("at_least")
    if not isinstance(parts, list) or not parts:
        raise RuleProblem("at_least_invalid", path, k=k, n=0)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(parts):
        raise RuleProblem("at_least_invalid", (*path, "at_least"), k=k, n=len(parts))
    return AtLeast(k, tuple(parse(p, catalogue, param_units, (*path, "of", i)) for i, p in enumerate(parts)))


def _only(raw: dict[str, Any], allowed: set[str], path: tuple[Any, ...]) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise RuleProblem("rule_invalid", path, detail=f"unexpected key(s) {', '.join(extra)}")


def _datapoint(dp_id: Any, catalogue: Lookup, path: tuple[Any, ...]) -> DataPoint:
    if not isinstance(dp_id, str) or dp_id not in catalogue:
        raise RuleProblem("unknown_datapoint", path, id=dp_id)
    return catalogue[dp_id]


def _compare(
    raw: dict[str, Any],
    catalogue: Lookup,
    param_units: dict[str, str | None],
    path: tuple[Any, ...],
) -> Compare:
    _only(raw, {"dp", "op", "value", "param", "ref"}, path)
    dp = _datapoint(raw["dp"], catalogue, (*path, "dp"))
    op = raw.get("op")
    if op not in ALL_OPS:
        raise RuleProblem(
            "rule_invalid",
            (*path, "op"),
            detail=f"operator {op!r} is not one of {', '.join(ALL_OPS)}",
        )
    if op not in OPS_BY_TYPE[dp.type]:
        raise RuleProblem("rule_op_type", (*path, "op"), op=op, type=dp.type, id=dp.id)
    sides = [k for k in ("value", "param", "ref") if k in raw]
    if len(sides) != 1:
        raise RuleProblem("rule_invalid", path, detail="give exactly one of value, param, ref")
    if sides[0] == "param":
        return Compare(dp.id, op, param=_param(raw["param"], dp, op, param_units, path))
    if sides[0] == "ref":
        return Compare(dp.id, op, ref=_ref(raw["ref"], dp, op, catalogue, path))
    return Compare(dp.id, op, value=_constant(raw["value"], dp, op, (*path, "value")))


def _param(
    param_id: Any, dp: DataPoint, op: str, param_units: dict[str, str | None], path: tuple[Any, ...]
) -> str:
    if param_id not in param_units:
        raise RuleProblem("unknown_parameter", (*path, "param"), id=param_id)
    if not dp.numeric or op not in COMPARE_OPS:
        raise RuleProblem("rule_op_type", (*path, "param"), op=op, type=dp.type, id=dp.id)
    unit = param_units[param_id]
    if unit != dp.unit:
        raise RuleProblem(
            "param_unit_mismatch",
            (*path, "param"),
            param=param_id,
            unit=unit or "-",
            expected=dp.unit or "-",
            id=dp.id,
        )
    return str(param_id)


def _ref(ref_id: Any, dp: DataPoint, op: str, catalogue: Lookup, path: tuple[Any, ...]) -> str:
    other = _datapoint(ref_id, catalogue, (*path, "ref"))
    orderable = ("integer", "decimal", "date")
    same_kind = (other.numeric and dp.numeric) or (other.type == dp.type == "date")
    if not same_kind or dp.type not in orderable or op not in COMPARE_OPS or other.unit != dp.unit:
        raise RuleProblem(
            "rule_invalid", (*path, "ref"), detail=f"'{dp.id}' and '{other.id}' cannot be compared"
        )
    return other.id


def _one(raw: Any, dp: DataPoint, path: tuple[Any, ...]) -> Any:
    try:
        if dp.numeric:  # constants are not range-checked: a limit may sit outside answer ranges
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise ValueProblem("wrong_type", type=dp.type, value=raw)
            return float(raw)
        return normalise(dp, raw)
    except ValueProblem as exc:
        raise RuleProblem("rule_value_type", path, value=raw, type=dp.type, id=dp.id) from exc


def _constant(raw: Any, dp: DataPoint, op: str, path: tuple[Any, ...]) -> Any:
    if op == "between":
        if not isinstance(raw, list) or len(raw) != 2:
            raise RuleProblem("rule_invalid", path, detail="'between' needs [low, high]")
        low, high = (_one(v, dp, path) for v in raw)
        if low > high:
            raise RuleProblem("rule_invalid", path, detail="'between' needs low <= high")
        return (low, high)
    if op in SET_OPS:
        items = raw if isinstance(raw, list) else [raw]
        return tuple(_one(v, dp, path) for v in items)
    if op in MULTI_OPS:
        return _one([raw] if not isinstance(raw, list) else raw, dp, path)
    value = _one(raw, dp, path)
    if isinstance(value, dt.date | bool | float | str):
        return value
    raise RuleProblem("rule_value_type", path, value=raw, type=dp.type, id=dp.id)
