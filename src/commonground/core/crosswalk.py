"""Crosswalk: how the requirements of two frameworks relate, decided exactly from their rules.

A requirement *lets an answer set through* unless it would be reported not met on it (met, not
applicable and unknown all let it through; a missing answer is one of the answers). Two requirements
compare by the answer sets they let through (docs/library-format.md, "How two requirements relate";
decision 0039): `equal` (the same sets), `stricter` (whatever the first lets through the second
does, not the reverse), `looser` (the reverse), `overlap` (neither contains the other), and
`undecidable` with its reason where the rules cannot be reduced to the finite cells below.

The method. Each fact's answers are cut into *cells* on which every comparison the two requirements
make is constant: for a number or a date, each threshold it is compared with (a constant, every
value of a parameter on the day, the root of an expression linear in it) and the open intervals
between them, inside the fact's own min and max; every option; yes and no; each combination of the
options a multi-choice rule names; and *missing*. Facts compared with each other (`ref:`, `max(a, b)`
in an expression) form one joint variable whose cells are also their orderings (below, at, above
one another). One concrete answer stands for each cell; every leaf of a rule is evaluated on those
answers by the evaluator's own compiled rule, so the cells never disagree with evaluation. The
requirements become decision diagrams over the cells (one level per fact or joint group,
`all`/`any`/`not`/`at_least` combined node by node), so nine independent facts cost nine levels, not
a product of nine grids; the pair of diagrams tells exactly whether an answer set passes one and
fails the other. Nothing is sampled and nothing is cut off: a pair whose cells would exceed the
limits below is `undecidable` ("too many combinations"), never a relation from part of them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from .catalogue import DataPoint
from .errors import Lang
from .expressions import PERIOD_END, PERIOD_START, Arith, Extreme, Fact, Param, Period, Shift, Term, walk
from .frameworks import Requirement
from .i18n import gettext, gettext_noop
from .library import Library
from .logic import TRUE, UNKNOWN, Status, status_of
from .rules import All, AtLeast, Calc, Compare, Implies, Leaf, Not, Present, Rule, leaves
from .single import at_least_of, compile_rule, compile_term

Relation = Literal["equal", "stricter", "looser", "overlap", "undecidable"]

MAX_CASES = 20_000  # answers one leaf or one joint group is evaluated on
MAX_NODES = 200_000  # nodes of the decision diagrams of one pair
MAX_LISTED = 64  # an integer fact with at most this many values may be listed value by value
MAX_NAMED = 10  # options a multi-choice fact's rules may name (2^10 combinations)


@dataclass(frozen=True)
class Reason:
    """Why a pair is undecidable: a code of `_REASON_WORDS` and what it names."""

    code: str
    detail: str = ""


@dataclass(frozen=True)
class Pair:
    a: Requirement
    b: Requirement
    datapoints: tuple[str, ...]  # the facts both judge
    relation: Relation
    reason: Reason | None = None  # set when the relation is `undecidable`


class Undecidable(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.reason = Reason(code, detail)


def _rules(req: Requirement) -> list[Rule]:
    return [r for r in (req.rule, req.applies_when) if r is not None]


# ---- decision diagrams over cells ----------------------------------------------------------------

_LEAF = 1 << 30  # the level of a terminal


class _Diagrams:
    """Reduced, shared multi-valued decision diagrams; terminals hold any hashable value."""

    def __init__(self) -> None:
        self.level: list[int] = []
        self.kids: list[tuple[int, ...]] = []
        self.value: list[Any] = []
        self.unique: dict[tuple[int, tuple[int, ...]], int] = {}
        self.terminals: dict[Any, int] = {}

    def _new(self, level: int, kids: tuple[int, ...], value: Any) -> int:
        if len(self.level) >= MAX_NODES:
            raise Undecidable("too_many", f"{MAX_NODES:,}")
        self.level.append(level)
        self.kids.append(kids)
        self.value.append(value)
        return len(self.level) - 1

    def terminal(self, value: Any) -> int:
        found = self.terminals.get(value)
        if found is None:
            found = self.terminals[value] = self._new(_LEAF, (), value)
        return found

    def node(self, level: int, kids: tuple[int, ...]) -> int:
        if all(k == kids[0] for k in kids):
            return kids[0]
        found = self.unique.get((level, kids))
        if found is None:
            found = self.unique[(level, kids)] = self._new(level, kids, None)
        return found

    def table(self, levels: list[int], sizes: list[int], fn: Callable[[tuple[int, ...]], Any]) -> int:
        """The diagram of `fn` over the cells of `levels` (increasing), each with `sizes` cells."""

        def build(i: int, chosen: tuple[int, ...]) -> int:
            if i == len(levels):
                return self.terminal(fn(chosen))
            return self.node(levels[i], tuple(build(i + 1, (*chosen, c)) for c in range(sizes[i])))

        return build(0, ())

    def map(self, fn: Callable[[Any], Any], u: int) -> int:
        memo: dict[int, int] = {}

        def go(x: int) -> int:
            if x not in memo:
                if self.level[x] == _LEAF:
                    memo[x] = self.terminal(fn(self.value[x]))
                else:
                    memo[x] = self.node(self.level[x], tuple(go(k) for k in self.kids[x]))
            return memo[x]

        return go(u)

    def combine(self, fn: Callable[[Any, Any], Any], u: int, v: int) -> int:
        memo: dict[tuple[int, int], int] = {}

        def go(x: int, y: int) -> int:
            key = (x, y)
            if key not in memo:
                lx, ly = self.level[x], self.level[y]
                if lx == ly == _LEAF:
                    memo[key] = self.terminal(fn(self.value[x], self.value[y]))
                else:
                    top = min(lx, ly)
                    n = len(self.kids[x] if lx == top else self.kids[y])
                    xs = self.kids[x] if lx == top else (x,) * n
                    ys = self.kids[y] if ly == top else (y,) * n
                    memo[key] = self.node(top, tuple(go(a, b) for a, b in zip(xs, ys, strict=True)))
            return memo[key]

        return go(u, v)

    def reached(self, u: int) -> set[Any]:
        """The terminal values some path from `u` reaches (every path is an answer set)."""
        seen: set[int] = set()
        found: set[Any] = set()
        stack = [u]
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            if self.level[x] == _LEAF:
                found.add(self.value[x])
            else:
                stack.extend(self.kids[x])
        return found


# ---- cells of each fact ------------------------------------------------------------------------


def _orderable(dp: DataPoint) -> bool:
    return dp.numeric or dp.type == "date"


def _whole(dp: DataPoint) -> bool:
    return dp.type in ("integer", "date")


def _bounds(dp: DataPoint) -> tuple[float | None, float | None]:
    """The least and greatest answer (a date as its day number, inside the calendar)."""
    if dp.type == "date":
        return 1.0, float(dt.date.max.toordinal())
    return dp.min, dp.max


def _weak_orders(items: list[str]) -> Iterator[list[list[str]]]:
    """Every way to rank `items` with ties (ordered set partitions)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for order in _weak_orders(rest):
        for i in range(len(order)):  # tied with a rank
            yield [*order[:i], [first, *order[i]], *order[i + 1 :]]
        for i in range(len(order) + 1):  # a rank of its own
            yield [*order[:i], [first], *order[i:]]


def _inside(
    low: float | None, high: float | None, ranks: list[list[str]], whole: dict[str, bool]
) -> list[float] | None:
    """Increasing values strictly between low and high, one per rank (whole numbers where a fact of
    the rank is whole); None when the interval cannot hold them."""
    n = len(ranks)
    if low is None:
        top = high if high is not None else 0.0
        low = math.floor(top - (n + 2) * max(1.0, abs(top)))
    if high is None:
        high = math.ceil(low + (n + 2) * max(1.0, abs(low)))
    out, prev = [], low
    for rank in ranks:
        if any(whole[f] for f in rank):
            v = float(math.floor(prev) + 1)
        else:
            v = (prev + min(high, math.floor(prev) + 1)) / 2
        if not v < high:
            return None
        out.append(v)
        prev = v
    return out


@dataclass
class _Variable:
    """One level of the diagrams: a fact, or facts compared with each other, and its cells."""

    facts: tuple[str, ...]
    cells: list[dict[str, Any]] = field(default_factory=list)


class _Space:
    """The cells of every fact two requirements read, on one day, and the leaves' diagrams."""

    def __init__(self, reqs: tuple[Requirement, ...], lib: Library, on: dt.date) -> None:
        self.lib, self.on = lib, on
        start = _year_before(on)
        self.period = {PERIOD_START: float(start.toordinal()), PERIOD_END: float(on.toordinal())}
        self.leaves = list(
            dict.fromkeys(leaf for req in reqs for rule in _rules(req) for leaf in leaves(rule))
        )
        self.facts: list[str] = []
        self.thresholds: dict[str, set[float]] = {}
        self.codes: dict[str, set[str]] = {}
        self.joined: dict[str, str] = {}  # union-find over facts compared with each other
        for leaf in self.leaves:
            for dp in self._reads(leaf):
                self._fact(dp)
            self._cut(leaf)
        self.variables = self._variables()
        self.level_of = {dp: i for i, var in enumerate(self.variables) for dp in var.facts}
        self.diagrams = _Diagrams()
        self._leaf_diagrams: dict[Leaf, int] = {}

    # the facts and parameters a leaf reads
    def _params(self, leaf: Leaf) -> list[str]:
        return _params_of(leaf)

    def _reads(self, leaf: Leaf) -> list[str]:
        keys = [self.lib.parameters[p].key for p in self._params(leaf)]
        return list(dict.fromkeys([*leaf.datapoints, *(k for k in keys if k)]))

    def _fact(self, dp: str) -> None:
        if dp not in self.joined:
            self.facts.append(dp)
            self.joined[dp] = dp
            self.thresholds[dp] = set()
            self.codes[dp] = set()

    def _root(self, dp: str) -> str:
        while self.joined[dp] != dp:
            dp = self.joined[dp]
        return dp

    def _join(self, facts: Iterable[str]) -> None:
        roots = [self._root(f) for f in facts]
        for r in roots[1:]:
            self.joined[r] = roots[0]

    def _threshold(self, dp: str, value: Any) -> None:
        if isinstance(value, dt.date):
            value = value.toordinal()
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            self.thresholds[dp].add(float(value))

    def _key_scopes(self, leaf: Leaf) -> Iterator[dict[str, Any]]:
        """The scope of parameter values a leaf can meet: one per answer of its parameters' keys."""
        params = self._params(leaf)
        keys = list(dict.fromkeys(k for p in params if (k := self.lib.parameters[p].key)))
        options = [[None, *self.lib.datapoints[k].option_values] for k in keys]
        for combo in itertools.product(*options):
            yield self._scope(leaf, dict(zip(keys, combo, strict=True)))

    def _scope(self, leaf: Leaf, values: dict[str, Any]) -> dict[str, Any]:
        """What the leaf reads beside the answers, as `Engine.evaluate` gives it (engine.expression_scope)."""
        scope: dict[str, Any] = dict(self.period)
        for pid in self._params(leaf):
            param = self.lib.parameters[pid]
            key = values.get(param.key) if param.key else None
            scope[pid] = param.value_on(self.on, None if key is None else str(key))
        if isinstance(leaf, Calc):
            for term in (*walk(leaf.left), *walk(leaf.right)):
                if isinstance(term, Param) and term.key is not None:
                    scope[term.scope_key] = self.lib.parameters[term.id].value_on(self.on, term.key)
        return scope

    def _cut(self, leaf: Leaf) -> None:
        """Add the thresholds, codes and joins a leaf needs for its value to be constant on cells."""
        if isinstance(leaf, Present):
            return
        if isinstance(leaf, Compare):
            dp = self.lib.datapoints[leaf.dp]
            if leaf.ref is not None:
                self._join((leaf.dp, leaf.ref))
            elif leaf.param is not None:
                for scope in self._key_scopes(leaf):
                    self._threshold(leaf.dp, scope[leaf.param])
            elif dp.type == "multi-enum":
                self.codes[leaf.dp].update(leaf.value)
            elif _orderable(dp):
                for v in leaf.value if isinstance(leaf.value, tuple) else (leaf.value,):
                    self._threshold(leaf.dp, v)
            return
        self._cut_expression(leaf)

    def _cut_expression(self, leaf: Calc) -> None:
        facts = list(leaf.datapoints)
        if not facts:
            return  # constant on the day: parameters and period only
        if (
            len(facts) == 1
            and _piecewise_linear(leaf.left, facts[0])
            and _piecewise_linear(leaf.right, facts[0])
        ):
            left, right = _undated(leaf.left), _undated(leaf.right)  # a date as its day number
            for scope in self._key_scopes(leaf):
                for root in _critical_points(left, right, facts[0], scope):
                    self._threshold(facts[0], root)
            return
        if _lattice(leaf.left) and _lattice(leaf.right):  # facts only under min, max and the comparison
            self._join(facts)
            free = [t for side in (leaf.left, leaf.right) for t in _free_terms(side)]
            for scope in self._key_scopes(leaf):
                for term in free:
                    value = compile_term(term)({}, scope)
                    for dp in facts:
                        self._threshold(dp, value)
            return
        listed = [self.lib.datapoints[f] for f in facts]
        if all(_listable(point) for point in listed):
            for point in listed:  # every value of a small whole-number fact is its own cell
                assert point.min is not None and point.max is not None
                for v in range(math.ceil(point.min), math.floor(point.max) + 1):
                    self._threshold(point.id, v)
            return
        code = "several_facts" if len(facts) > 1 else "not_linear"
        raise Undecidable(code, leaf.text)

    def _variables(self) -> list[_Variable]:
        groups: dict[str, list[str]] = {}
        for dp in self.facts:
            groups.setdefault(self._root(dp), []).append(dp)
        out = []
        for members in groups.values():
            var = _Variable(tuple(members))
            var.cells = self._cells(members)
            out.append(var)
        return out

    def _cells(self, members: list[str]) -> list[dict[str, Any]]:
        dps = [self.lib.datapoints[m] for m in members]
        if len(dps) == 1 and not _orderable(dps[0]):
            return [{dps[0].id: v} for v in _plain_cells(dps[0], self.codes[dps[0].id])]
        if not all(_orderable(dp) for dp in dps):  # pragma: no cover - the rule check refuses it
            raise Undecidable("not_linear", ", ".join(members))
        points: set[float] = set()
        for dp in dps:
            points |= self.thresholds[dp.id]
            points |= {b for b in _bounds(dp) if b is not None}
        return _order_cells(dps, sorted(points))

    # evaluation
    def leaf(self, leaf: Leaf) -> int:
        found = self._leaf_diagrams.get(leaf)
        if found is not None:
            return found
        levels = sorted({self.level_of[dp] for dp in self._reads(leaf)})
        sizes = [len(self.variables[i].cells) for i in levels]
        if math.prod(sizes) > MAX_CASES:
            raise Undecidable("too_many", f"{math.prod(sizes):,}")
        compiled = compile_rule(leaf)

        def value(chosen: tuple[int, ...]) -> int:
            values: dict[str, Any] = {}
            for level, cell in zip(levels, chosen, strict=True):
                values.update(self.variables[level].cells[cell])
            return compiled(values, self._scope(leaf, values))

        found = self._leaf_diagrams[leaf] = self.diagrams.table(levels, sizes, value)
        return found

    def rule(self, rule: Rule) -> int:
        d = self.diagrams
        if isinstance(rule, Compare | Present | Calc):
            return self.leaf(rule)
        if isinstance(rule, Not):
            return d.map(lambda x: 2 - x, self.rule(rule.part))
        if isinstance(rule, Implies):
            return d.combine(lambda c, t: max(2 - c, t), self.rule(rule.condition), self.rule(rule.then))
        parts = [self.rule(p) for p in rule.parts]
        if isinstance(rule, AtLeast):
            counts = d.terminal((0, 0))
            for part in parts:
                counts = d.combine(lambda c, x: (c[0] + (x == TRUE), c[1] + (x == UNKNOWN)), counts, part)
            k = rule.k
            return d.map(lambda c: int(at_least_of(c[0], c[1], k)), counts)
        fn = min if isinstance(rule, All) else max
        out = parts[0]
        for part in parts[1:]:
            out = d.combine(fn, out, part)
        return out

    def passes(self, req: Requirement) -> int:
        """True on the answer sets the requirement lets through (is not reported not met on)."""
        assert req.rule is not None
        holds = self.rule(req.rule)
        applies = (
            self.rule(req.applies_when) if req.applies_when is not None else self.diagrams.terminal(TRUE)
        )
        return self.diagrams.combine(lambda a, h: status_of(a, h) is not Status.NOT_MET, applies, holds)


@cache
def _params_of(leaf: Leaf) -> list[str]:
    """The parameters a leaf reads by its key answer (or unkeyed)."""
    if isinstance(leaf, Compare) and leaf.param is not None:
        return [leaf.param]
    if isinstance(leaf, Calc):
        terms = (*walk(leaf.left), *walk(leaf.right))
        return list(dict.fromkeys(t.id for t in terms if isinstance(t, Param) and t.key is None))
    return []


def _year_before(on: dt.date) -> dt.date:
    """The first day of the twelve months ending on `on` (the period expressions are judged for)."""
    try:
        return on.replace(year=on.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return on.replace(year=on.year - 1, day=28) + dt.timedelta(days=1)


def _listable(dp: DataPoint) -> bool:
    return dp.type == "integer" and dp.min is not None and dp.max is not None and dp.max - dp.min < MAX_LISTED


def _plain_cells(dp: DataPoint, codes: set[str]) -> list[Any]:
    if dp.type == "boolean":
        return [None, True, False]
    if dp.type == "enum":
        return [None, *dp.option_values]
    if dp.type == "multi-enum":
        named = sorted(codes)
        if len(named) > MAX_NAMED:
            raise Undecidable("too_many", f"{2 ** len(named):,}")
        subsets = (frozenset(c) for n in range(len(named) + 1) for c in itertools.combinations(named, n))
        return [None, *subsets]
    return [None, "text"]


def _order_cells(dps: list[DataPoint], points: list[float]) -> list[dict[str, Any]]:
    """One answer per cell of facts compared with `points` and with each other: each fact missing, at
    a point or between two, and facts between the same two points in every order (ties included)."""
    slots: list[tuple[float | None, float | None, bool]] = []  # (low, high, at a point)
    edges: list[float | None] = [None, *points, None]
    for i, p in enumerate(points):
        slots.append((edges[i], p, False))
        slots.append((p, p, True))
    slots.append((edges[-2] if points else None, None, False))
    whole = {dp.id: _whole(dp) for dp in dps}

    def allowed(dp: DataPoint, slot: tuple[float | None, float | None, bool]) -> bool:
        low, high, at = slot
        least, greatest = _bounds(dp)
        if at:
            assert low is not None
            inside = (least is None or low >= least) and (greatest is None or low <= greatest)
            return inside and (not whole[dp.id] or low == math.floor(low))
        below_min = least is not None and (high is None or high <= least)
        above_max = greatest is not None and (low is None or low >= greatest)
        if below_min or above_max:
            return False
        if whole[dp.id]:
            lo = math.floor(low) + 1 if low is not None else -math.inf
            return high is None or lo < high
        return True

    choices = [[None, *(s for s in slots if allowed(dp, s))] for dp in dps]
    if math.prod(len(c) for c in choices) > MAX_CASES:
        raise Undecidable("too_many", f"{math.prod(len(c) for c in choices):,}")
    out: list[dict[str, Any]] = []
    for combo in itertools.product(*choices):
        fixed: dict[str, float | None] = {}
        between: dict[tuple[float | None, float | None], list[str]] = {}
        for dp, slot in zip(dps, combo, strict=True):
            if slot is None:
                fixed[dp.id] = None
            elif slot[2]:
                fixed[dp.id] = slot[0]
            else:
                between.setdefault((slot[0], slot[1]), []).append(dp.id)
        placings: list[list[dict[str, float]]] = []
        for (low, high), facts in between.items():
            ways = []
            for ranks in _weak_orders(facts):
                values = _inside(low, high, ranks, whole)
                if values is not None:
                    ways.append({f: v for rank, v in zip(ranks, values, strict=True) for f in rank})
            placings.append(ways)
        for chosen in itertools.product(*placings):
            cell = dict(fixed)
            for way in chosen:
                cell.update(way)
            out.append({dp.id: _answer(dp, cell[dp.id]) for dp in dps})
            if len(out) > MAX_CASES:
                raise Undecidable("too_many", f"> {MAX_CASES:,}")
    return out


def _answer(dp: DataPoint, value: float | None) -> Any:
    if value is None:
        return None
    if dp.type == "date":
        return dt.date.fromordinal(int(value))
    return int(value) if dp.type == "integer" else value


# ---- expressions -------------------------------------------------------------------------------


def _has(term: Term, dp: str) -> bool:
    return any(isinstance(t, Fact) and t.dp == dp for t in walk(term))


def _piecewise_linear(term: Term, dp: str) -> bool:
    """Whether the term is piecewise linear in the fact (sums, products and quotients by terms
    without it, min and max of such terms); a month shift of it is not."""
    if not _has(term, dp):
        return True
    if isinstance(term, Fact):
        return True
    if isinstance(term, Arith):
        if term.op in "+-":
            return _piecewise_linear(term.left, dp) and _piecewise_linear(term.right, dp)
        if term.op == "*":
            if _has(term.left, dp) and _has(term.right, dp):
                return False
            return _piecewise_linear(term.left, dp) and _piecewise_linear(term.right, dp)
        return not _has(term.right, dp) and _piecewise_linear(term.left, dp)
    if isinstance(term, Extreme):
        return all(_piecewise_linear(a, dp) for a in term.args)
    return False


def _breaks(term: Term, dp: str, scope: dict[str, Any]) -> set[float]:
    """Where the piecewise-linear term may bend: the crossings of the arguments of its min and max."""
    if not _has(term, dp):
        return set()
    if isinstance(term, Arith):
        return _breaks(term.left, dp, scope) | _breaks(term.right, dp, scope)
    if isinstance(term, Extreme):
        out = set().union(*(_breaks(a, dp, scope) for a in term.args))
        for a, b in itertools.combinations(term.args, 2):
            out |= _roots(Arith("-", a, b), dp, scope, sorted(out))
        return out
    return set()


def _roots(term: Term, dp: str, scope: dict[str, Any], bends: list[float]) -> set[float]:
    """Where a term, linear between the `bends`, is zero (the ends of a piece where it is zero)."""
    fn = compile_term(term)

    def at(x: float) -> float | None:
        return fn({dp: x}, scope)

    pieces: list[tuple[float | None, float | None]] = []
    edges: list[float | None] = [None, *bends, None]
    for low, high in itertools.pairwise(edges):
        pieces.append((low, high))
    out: set[float] = set()
    for low, high in pieces:
        if low is None and high is None:
            p, q = 0.0, 1.0
        elif low is None:
            assert high is not None
            p, q = high - 2 * max(1.0, abs(high)), high - max(1.0, abs(high))
        elif high is None:
            p, q = low + max(1.0, abs(low)), low + 2 * max(1.0, abs(low))
        else:
            p, q = low, high
        fp, fq = at(p), at(q)
        if fp is None or fq is None:
            continue
        if fp == fq:
            continue  # flat: its ends are already bends
        root = p - fp * (q - p) / (fq - fp)
        if (low is None or root >= low) and (high is None or root <= high) and math.isfinite(root):
            out.add(root)
    return out


def _critical_points(left: Term, right: Term, dp: str, scope: dict[str, Any]) -> set[float]:
    """The values of the fact where a one-fact piecewise-linear comparison can change its value."""
    scoped = [t for t in (*walk(left), *walk(right)) if isinstance(t, Param | Period)]
    if any(scope.get(t.scope_key if isinstance(t, Param) else t.key) is None for t in scoped):
        return set()  # a parameter missing on the day: unknown whatever the fact
    bends = _breaks(left, dp, scope) | _breaks(right, dp, scope)
    return bends | _roots(Arith("-", left, right), dp, scope, sorted(bends))


def _undated(term: Term) -> Term:
    """The term with date facts read as plain day numbers (the roots are found on numbers)."""
    if isinstance(term, Fact):
        return Fact(term.dp)
    if isinstance(term, Arith):
        return Arith(term.op, _undated(term.left), _undated(term.right))
    if isinstance(term, Extreme):
        return Extreme(term.fn, tuple(_undated(a) for a in term.args))
    if isinstance(term, Shift):
        return Shift(_undated(term.date), term.months)
    return term


def _lattice(term: Term) -> bool:
    """Facts appear bare, under min and max only: the value depends on their order alone."""
    if isinstance(term, Fact):
        return True
    if isinstance(term, Extreme):
        return all(_lattice(a) for a in term.args)
    return not any(isinstance(t, Fact) for t in walk(term))


def _free_terms(term: Term) -> list[Term]:
    """The fact-free operands of a lattice term (their values are thresholds of its facts)."""
    if isinstance(term, Fact):
        return []
    if isinstance(term, Extreme):
        return [t for a in term.args for t in _free_terms(a)]
    return [term]


# ---- relations ---------------------------------------------------------------------------------


def judge(a: Requirement, b: Requirement, lib: Library, on: dt.date) -> tuple[Relation, Reason | None]:
    """The relation of two requirements with rules, exactly; or `undecidable` and why."""
    try:
        space = _Space((a, b), lib, on)
        both = space.diagrams.combine(lambda x, y: (x, y), space.passes(a), space.passes(b))
        reached = space.diagrams.reached(both)
    except Undecidable as exc:
        return "undecidable", exc.reason
    a_only, b_only = (True, False) in reached, (False, True) in reached
    if a_only and b_only:
        return "overlap", None
    if a_only:
        return "looser", None
    return ("stricter" if b_only else "equal"), None


def relate(a: Requirement, b: Requirement, lib: Library, on: dt.date) -> Relation:
    return judge(a, b, lib, on)[0]


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
                pairs.append(Pair(a, b, ordered, *judge(a, b, lib, on)))
    return pairs


_RELATION_WORDS: dict[str, str] = {
    "equal": gettext_noop("equal"),
    "stricter": gettext_noop("stricter"),
    "looser": gettext_noop("looser"),
    "overlap": gettext_noop("overlap"),
    "undecidable": gettext_noop("undecidable"),
}

_REASON_WORDS: dict[str, str] = {
    "several_facts": gettext_noop("an expression calculates with several facts: {detail}"),
    "not_linear": gettext_noop("an expression is not linear in its fact: {detail}"),
    "too_many": gettext_noop("too many combinations of answers to compare exactly ({detail})"),
}


def reason_text(reason: Reason | None, lang: str) -> str | None:
    if reason is None:
        return None
    language: Lang = "vi" if lang == "vi" else "en"
    return gettext(_REASON_WORDS[reason.code], language).format(detail=reason.detail)


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
                "reason": reason_text(p.reason, lang),
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
        if p.reason is not None:
            lines.append(f"  {'':<{width}}  └ {reason_text(p.reason, lang)}")
    return "\n".join(lines)
