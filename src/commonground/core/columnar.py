"""The columnar path: many assessments at once, one numpy array per data point.

Each rule is compiled from the same tree as the single path into a function over columns. Results
are identical to `Engine.evaluate` for every assessment (a property test checks it).

Encoding of answers (missing: NaN, or -1 for codes):
  integer, decimal, boolean (0/1), date (ordinal), text (1 = present)  -> float64
  enum   -> int16 index of the option
  multi-enum -> int64 bit mask of the options
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from .assessments import Assessment
from .catalogue import DataPoint
from .engine import Evaluation, FrameworkResult, RequirementResult
from .expressions import (
    PERIOD_START,
    TOLERANCE,
    Arith,
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
from .findings import group_findings
from .frameworks import Framework, Requirement
from .library import Library
from .logic import CODE_OF, FALSE, STATUS_CODES, TRUE, UNKNOWN, Status, status_of
from .rules import All, AtLeast, Calc, Compare, Implies, Not, Present, Rule, datapoints_of
from .scoring import SummaryArrays, summary_arrays
from .single import COMPARE, at_least_of
from .solving import FLIP, Solved, settle
from .targets import Threshold, group_targets, thresholds

Array = npt.NDArray[Any]
Tri = npt.NDArray[np.int8]
# a bound of a requirement: fact, operator, value (one or per assessment), where it is necessary,
# and whether it is a solved expression (its value a number to settle per assessment)
ColumnBound = tuple[str, str, Any, Any, bool]


def _float_kind(dp: DataPoint) -> bool:
    return dp.type not in ("enum", "multi-enum")


def encode(dp: DataPoint, value: Any) -> float | int:
    """One canonical answer as its column scalar."""
    if value is None:
        return np.nan if _float_kind(dp) else -1
    if dp.type == "enum":
        return int(dp.option_values.index(value))
    if dp.type == "multi-enum":
        return int(sum(1 << dp.option_values.index(v) for v in value))
    if dp.type == "date":
        return float(value.toordinal())
    if dp.type == "text":
        return 1.0
    return float(value)


def empty_column(dp: DataPoint, n: int) -> Array:
    if dp.type == "enum":
        return np.full(n, -1, dtype=np.int16)
    if dp.type == "multi-enum":
        return np.full(n, -1, dtype=np.int64)
    return np.full(n, np.nan)


@dataclass
class Columns:
    """Answers of n assessments, one array per data point, and each period's first and last day."""

    library: Library
    end: npt.NDArray[np.int64]  # ordinal of the period's last day
    values: dict[str, Array] = field(default_factory=dict)
    start: npt.NDArray[np.int64] | None = None  # ordinal of the period's first day (None: unknown)

    @property
    def n(self) -> int:
        return len(self.end)

    def column(self, dp_id: str) -> Array:
        if dp_id not in self.values:
            self.values[dp_id] = empty_column(self.library.datapoints[dp_id], self.n)
        return self.values[dp_id]

    @classmethod
    def from_assessments(cls, lib: Library, assessments: Sequence[Assessment]) -> Columns:
        n = len(assessments)
        cols = cls(lib, np.array([a.end.toordinal() for a in assessments], dtype=np.int64))
        cols.start = np.array([a.start.toordinal() for a in assessments], dtype=np.int64)
        used = {dp for a in assessments for dp in a.values}
        for dp_id in used:
            dp = lib.datapoints[dp_id]
            column = empty_column(dp, n)
            for i, a in enumerate(assessments):
                if dp_id in a.values:
                    column[i] = encode(dp, a.values[dp_id])
            cols.values[dp_id] = column
        return cols

    def decode(self, i: int, dp_id: str) -> Any:
        """The canonical answer of assessment i (None when missing)."""
        dp, raw = self.library.datapoints[dp_id], self.column(dp_id)[i]
        if (raw == -1) if not _float_kind(dp) else np.isnan(raw):
            return None
        if dp.type == "enum":
            return dp.option_values[int(raw)]
        if dp.type == "multi-enum":
            return frozenset(v for b, v in enumerate(dp.option_values) if int(raw) >> b & 1)
        if dp.type == "date":
            return dt.date.fromordinal(int(raw))
        if dp.type == "boolean":
            return bool(raw)
        if dp.type == "text":
            return True  # presence only: the text itself is not kept in columns
        return float(raw)

    def keyed_parameter(self, pid: str, key: str) -> Array:
        """The value of a keyed parameter for one named key (`id[key]` in an expression)."""
        param, out = self.library.parameters[pid], np.full(self.n, np.nan)
        rows = param.values
        for index, row in enumerate(rows):
            following = rows[index + 1].from_ if index + 1 < len(rows) else None
            last = row.until or (following - dt.timedelta(days=1) if following else dt.date.max)
            in_force = (self.end >= row.from_.toordinal()) & (self.end <= last.toordinal())
            value = (row.by_key or {}).get(key)
            out[in_force] = np.nan if value is None else value
        return out

    @cached_property
    def parameters(self) -> dict[str, Array]:
        return {pid: self._parameter(pid) for pid in self.library.parameters}

    def _parameter(self, pid: str) -> Array:
        param = self.library.parameters[pid]
        out = np.full(self.n, np.nan)
        key_col = self.column(param.key) if param.key else None
        key_dp = self.library.datapoints[param.key] if param.key else None
        rows = param.values
        for index, row in enumerate(rows):
            following = rows[index + 1].from_ if index + 1 < len(rows) else None
            last = row.until or (following - dt.timedelta(days=1) if following else dt.date.max)
            in_force = (self.end >= row.from_.toordinal()) & (self.end <= last.toordinal())
            if row.by_key is None:
                out[in_force] = row.value
                continue
            if key_col is None or key_dp is None:
                continue  # no key answer: only named keys (`id[key]`) are read, by keyed_parameter
            for key, value in row.by_key.items():
                out[in_force & (key_col == key_dp.option_values.index(key))] = value
        return out


# ---- compiling rules to column functions -------------------------------------------------------

Memo = dict[Any, Tri]


def _tri(known: Array, holds: Array) -> Tri:
    out = holds.astype(np.int8) * np.int8(TRUE)
    out[~known] = UNKNOWN
    return out


def evaluate_rule(rule: Rule, cols: Columns, memo: Memo) -> Tri:
    key = rule if isinstance(rule, Compare | Present | Calc) else id(rule)
    if key not in memo:
        memo[key] = _evaluate(rule, cols, memo)
    return memo[key]


def _evaluate(rule: Rule, cols: Columns, memo: Memo) -> Tri:
    if isinstance(rule, Compare):
        return _compare(rule, cols)
    if isinstance(rule, Present):
        dp = cols.library.datapoints[rule.dp]
        column = cols.column(rule.dp)
        known = ~np.isnan(column) if _float_kind(dp) else column != -1
        return np.where(known, TRUE, FALSE).astype(np.int8)
    if isinstance(rule, Not):
        return (TRUE - evaluate_rule(rule.part, cols, memo)).astype(np.int8)
    if isinstance(rule, Implies):
        condition = TRUE - evaluate_rule(rule.condition, cols, memo)
        return np.maximum(condition, evaluate_rule(rule.then, cols, memo)).astype(np.int8)
    if isinstance(rule, Calc):
        return _calc(rule, cols)
    parts = [evaluate_rule(p, cols, memo) for p in rule.parts]
    if isinstance(rule, AtLeast):
        met = np.sum([p == TRUE for p in parts], axis=0)
        unknown = np.sum([p == UNKNOWN for p in parts], axis=0)
        return np.asarray(at_least_of(met, unknown, rule.k), dtype=np.int8)
    reduce = np.minimum.reduce if isinstance(rule, All) else np.maximum.reduce
    return np.asarray(reduce(parts), dtype=np.int8)


def _compare(rule: Compare, cols: Columns) -> Tri:
    dp = cols.library.datapoints[rule.dp]
    x = cols.column(rule.dp)
    if dp.type == "enum":
        return _enum(rule, dp, x)
    if dp.type == "multi-enum":
        mask = sum(1 << dp.option_values.index(v) for v in rule.value)
        holds = (x & mask) != 0
        return _tri(x != -1, holds if rule.op == "contains" else ~holds)
    known = ~np.isnan(x)
    if rule.param is not None or rule.ref is not None:
        right = cols.parameters[rule.param] if rule.param is not None else cols.column(str(rule.ref))
        known = known & ~np.isnan(right)
    else:
        right = rule.value
    with np.errstate(invalid="ignore"):
        return _tri(known, _numeric(rule.op, x, right))


def _calc(rule: Calc, cols: Columns) -> Tri:
    (left, known_left), (right, known_right) = term_columns(rule.left, cols), term_columns(rule.right, cols)
    with np.errstate(invalid="ignore", over="ignore"):
        tol = np.maximum(np.abs(left), np.abs(right)) * TOLERANCE
        return _tri(known_left & known_right, np.asarray(compare_close(rule.op, left, right, tol)))


def term_columns(term: Term, cols: Columns) -> tuple[Array, Array]:
    """The term's value for every assessment (a date as its day number) and where it is known."""
    if isinstance(term, Num):
        return np.full(cols.n, term.value), np.ones(cols.n, dtype=bool)
    if isinstance(term, Fact | Param):
        if isinstance(term, Fact):
            x = cols.column(term.dp)
        else:
            x = cols.parameters[term.id] if term.key is None else cols.keyed_parameter(term.id, term.key)
        return x, ~np.isnan(x)
    if isinstance(term, Period):
        days = cols.start if term.key == PERIOD_START else cols.end
        if days is None:
            return np.full(cols.n, np.nan), np.zeros(cols.n, dtype=bool)
        return days.astype(np.float64), np.ones(cols.n, dtype=bool)
    if isinstance(term, Shift):
        return _shift(*term_columns(term.date, cols), term.months)
    if isinstance(term, Extreme):
        found = [term_columns(a, cols) for a in term.args]
        reduce = np.minimum.reduce if term.fn == "min" else np.maximum.reduce
        return reduce([x for x, _ in found]), np.logical_and.reduce([k for _, k in found])
    return _arith(term, cols)


def _shift(x: Array, known: Array, months: int) -> tuple[Array, Array]:
    """Each known day moved by calendar months, computed once per distinct day (the same function as
    the single path, so both agree on month ends and leap years)."""
    out = np.full(len(x), np.nan)
    days, inverse = np.unique(x[known], return_inverse=True)
    shifted = [shift_months(day, months) for day in days.tolist()]
    moved = np.array([np.nan if d is None else d for d in shifted], dtype=np.float64)
    out[known] = moved[inverse.reshape(-1)] if len(days) else np.nan
    return out, known & ~np.isnan(out)


def _arith(term: Arith, cols: Columns) -> tuple[Array, Array]:
    (a, known_a), (b, known_b) = term_columns(term.left, cols), term_columns(term.right, cols)
    known = known_a & known_b
    with np.errstate(all="ignore"):
        if term.op == "/":
            known = known & (b != 0)
            out = np.divide(a, b, out=np.full(len(a), np.nan), where=known)
        else:
            out = {"+": np.add, "-": np.subtract, "*": np.multiply}[term.op](a, b)
    return out, known & ~np.isnan(out)


def _scalar(value: Any) -> Any:
    if isinstance(value, dt.date):
        return float(value.toordinal())
    return float(value) if isinstance(value, bool) else value


def _numeric(op: str, x: Array, right: Any) -> Array:
    if op == "between":
        low, high = (_scalar(v) for v in right)
        return np.asarray((x >= low) & (x <= high))
    return np.asarray(COMPARE[op](x, right if isinstance(right, np.ndarray) else _scalar(right)))


def _enum(rule: Compare, dp: DataPoint, x: Array) -> Tri:
    options = rule.value if rule.op in ("in", "not_in") else (rule.value,)
    codes = [dp.option_values.index(v) for v in options]
    holds = np.isin(x, codes)
    return _tri(x != -1, holds if rule.op in ("==", "in") else ~holds)


# ---- blame: which facts make each failing requirement fail --------------------------------------


def blame_masks(rule: Rule, cols: Columns, memo: Memo, mask: Array) -> dict[str, Array]:
    found: dict[str, Array] = {}
    _blame(rule, cols, memo, mask, found)
    return found


def _mark(found: dict[str, Array], dps: Sequence[str], mask: Array) -> None:
    for dp in dps:
        found[dp] = found[dp] | mask if dp in found else mask


def _blame(rule: Rule, cols: Columns, memo: Memo, mask: Array, found: dict[str, Array]) -> None:
    if not mask.any():
        return
    if isinstance(rule, Compare | Present | Calc):
        _mark(found, rule.datapoints, mask)
    elif isinstance(rule, Not):
        _mark(found, datapoints_of(rule.part), mask)
    elif isinstance(rule, Implies):
        _blame(rule.then, cols, memo, mask, found)
    elif isinstance(rule, All | AtLeast):  # at_least: the parts that are not met
        for part in rule.parts:
            _blame(part, cols, memo, mask & (evaluate_rule(part, cols, memo) == FALSE), found)
    else:
        for part in rule.parts:
            _blame(part, cols, memo, mask, found)


# ---- evaluating many assessments ----------------------------------------------------------------


@dataclass
class FrameworkColumns:
    framework: Framework
    statuses: npt.NDArray[np.int8]  # (n, requirements), codes of logic.STATUS_CODES
    half: dict[int, Array]  # requirement column -> assessments earning half credit
    summary: SummaryArrays
    blamed: list[dict[str, Array]]  # per requirement: data point -> mask of assessments


@dataclass
class ManyResult:
    """Results for many assessments; `evaluation(i)` rebuilds the single-path result of one."""

    columns: Columns
    frameworks: list[FrameworkColumns]
    threshold_values: dict[int, list[ColumnBound]]  # id(requirement) -> bounds

    def status_matrix(self) -> npt.NDArray[np.int8]:
        return np.concatenate([f.statuses for f in self.frameworks], axis=1)

    def evaluation(self, i: int, assessment: Assessment | None = None) -> Evaluation:
        """Assessment i's result; without its Assessment, the answers are decoded from the columns."""
        if assessment is None:
            decoded = {dp: self.columns.decode(i, dp) for dp in self.columns.values}
            end = dt.date.fromordinal(int(self.columns.end[i]))
            start = end if self.columns.start is None else dt.date.fromordinal(int(self.columns.start[i]))
            assessment = Assessment(
                {"name": f"#{i}"}, start, end, {k: v for k, v in decoded.items() if v is not None}
            )
        values = assessment.values
        results = tuple(self._framework(fc, i) for fc in self.frameworks)
        failures = [
            (r.requirement, r.blamed) for fr in results for r in fr.results if r.status is Status.NOT_MET
        ]
        params = {pid: _opt(col[i]) for pid, col in self.columns.parameters.items()}
        return Evaluation(
            assessment,
            results,
            group_findings(failures, values, self.columns.library.context),
            self._targets(results, i),
            params,
        )

    def _framework(self, fc: FrameworkColumns, i: int) -> FrameworkResult:
        results = []
        for j, req in enumerate(fc.framework.requirements):
            status = STATUS_CODES[int(fc.statuses[i, j])]
            blamed: tuple[str, ...] = ()
            if status is Status.NOT_MET:
                blamed = tuple(dp for dp in req.rule_datapoints if dp in fc.blamed[j] and fc.blamed[j][dp][i])
            credit = 1.0 if status is Status.MET else 0.5 if j in fc.half and fc.half[j][i] else 0.0
            results.append(RequirementResult(req, status, credit, blamed))
        return FrameworkResult(fc.framework, tuple(results), fc.summary.row(i))

    def _targets(self, results: tuple[FrameworkResult, ...], i: int) -> Any:
        found = []
        datapoints = self.columns.library.datapoints
        for fr in results:
            for r in fr.results:
                if r.status is Status.NOT_APPLICABLE:
                    continue
                for dp, op, values, necessary, solved in self.threshold_values.get(id(r.requirement), []):
                    value = values[i] if isinstance(values, np.ndarray) else values
                    needed = necessary[i] if isinstance(necessary, np.ndarray) else necessary
                    if not needed or (isinstance(value, float) and np.isnan(value)):
                        continue
                    if solved:
                        settled = settle(datapoints[dp], op, float(value))
                        if settled is None:
                            continue
                        op, value = settled
                    found.append((dp, Threshold(r.requirement, op, value)))
        return group_targets(found, self.columns.library)


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


# Status code by (applicability, rule), each FALSE/UNKNOWN/TRUE: logic.status_of as a lookup table.
_STATUS_TABLE = np.array(
    [CODE_OF[status_of(a, h)] for a in (FALSE, UNKNOWN, TRUE) for h in (FALSE, UNKNOWN, TRUE)], dtype=np.int8
)


def _requirement_columns(req: Requirement, cols: Columns, memo: Memo) -> tuple[Array, Array | None]:
    """Status codes, and where a partial rule earns half credit (None without a partial rule)."""
    n = cols.n
    holds = np.full(n, UNKNOWN, np.int8) if req.rule is None else evaluate_rule(req.rule, cols, memo)
    applies = TRUE if req.applies_when is None else evaluate_rule(req.applies_when, cols, memo)
    status = _STATUS_TABLE[applies * 3 + holds]
    if req.partial is None:
        return status, None
    partial = evaluate_rule(req.partial, cols, memo) == TRUE
    eligible = (status != CODE_OF[Status.MET]) & (status != CODE_OF[Status.NOT_APPLICABLE])
    return status, eligible & partial


def _thresholds(req: Requirement, cols: Columns, memo: Memo) -> list[ColumnBound]:
    """Per bound: its value and whether it is necessary, for every assessment."""
    if req.rule is None:
        return []
    out = []
    for b in thresholds(req.rule, cols.library.context):
        necessary: Any = True
        for rule in b.unless:  # not through the memo: `if`'s Not(condition) is made afresh per call,
            # and a memo keyed by id() would give it the result of an earlier, freed rule
            necessary = necessary & (_evaluate(rule, cols, memo) == FALSE)
        if b.solved is not None:
            out.extend(_solved_columns(b.datapoint, b.solved, cols, necessary))
            continue
        values = cols.parameters[b.param] if b.param is not None else b.value  # an array or one constant
        out.append((b.datapoint, b.operator, values, necessary, False))
    return out


def _solved_columns(dp: str, solved: Solved, cols: Columns, necessary: Any) -> list[ColumnBound]:
    """An expression solved for a fact: its bound per assessment, under the operator as written
    where the factors known per assessment are positive, turned round where they are negative."""
    values, known = term_columns(solved.value, cols)
    turned_round = np.zeros(cols.n, dtype=bool)
    for factor in solved.signs:
        sign, sign_known = term_columns(factor, cols)
        with np.errstate(invalid="ignore"):
            known = known & sign_known & (sign != 0)
            turned_round = turned_round ^ (sign < 0)
    kept = known & necessary
    return [
        (dp, solved.operator, values, kept & ~turned_round, True),
        (dp, FLIP[solved.operator], values, kept & turned_round, True),
    ]


def evaluate_columns(
    lib: Library, cols: Columns, framework_ids: Sequence[str] = (), *, with_details: bool = True
) -> ManyResult:
    """Evaluate every assessment in `cols` against the frameworks (all when none is named)."""
    memo: Memo = {}
    out, bounds = [], {}
    for framework in lib.select(framework_ids):
        size = (cols.n, len(framework.requirements))
        statuses, half = np.empty(size, np.int8, order="F"), {}
        for j, requirement in enumerate(framework.requirements):
            statuses[:, j], partial = _requirement_columns(requirement, cols, memo)
            if partial is not None:
                half[j] = partial
        blamed = [
            blame_masks(r.rule, cols, memo, statuses[:, j] == CODE_OF[Status.NOT_MET])
            if with_details and r.rule is not None
            else {}
            for j, r in enumerate(framework.requirements)
        ]
        if with_details:
            bounds.update({id(r): _thresholds(r, cols, memo) for r in framework.requirements})
        out.append(
            FrameworkColumns(framework, statuses, half, summary_arrays(framework, statuses, half), blamed)
        )
    return ManyResult(cols, out, bounds)


def evaluate_many(
    lib: Library, assessments: Sequence[Assessment], framework_ids: Sequence[str] = ()
) -> list[Evaluation]:
    """The columnar path end to end: the same Evaluation objects as the single path."""
    cols = Columns.from_assessments(lib, assessments)
    result = evaluate_columns(lib, cols, framework_ids)
    return [result.evaluation(i, a) for i, a in enumerate(assessments)]
