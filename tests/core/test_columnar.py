"""The columnar path gives exactly the single path's results (a property test over random answers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from commonground.core.assessments import Assessment
from commonground.core.catalogue import DataPoint
from commonground.core.columnar import Columns, blame_masks, evaluate_columns, evaluate_many, evaluate_rule
from commonground.core.engine import Engine, expression_scope
from commonground.core.library import Library, cached_library, load_library
from commonground.core.logic import FALSE
from commonground.core.rules import Compare, Rule, RuleProblem, datapoints_of, leaves, parse
from commonground.core.single import blame, compile_rule
from tests.conftest import FIXTURES, MINI

MINI_LIB = load_library([MINI], shipped=False)


def _interesting_numbers(lib: Library, dp: DataPoint) -> list[float]:
    """Thresholds used by rules on this data point, and their neighbours: where results flip."""
    found = {0.0}
    for framework in lib.frameworks.values():
        for req in framework.requirements:
            for rule in (req.rule, req.applies_when, req.partial):
                for leaf in leaves(rule) if rule is not None else ():
                    if isinstance(leaf, Compare) and leaf.dp == dp.id and isinstance(leaf.value, float):
                        found.update((leaf.value - 1, leaf.value, leaf.value + 1))
    low, high = dp.min if dp.min is not None else -1e9, dp.max if dp.max is not None else 1e9
    return sorted(v for v in found if low <= v <= high) or [low]


def value_strategy(lib: Library, dp: DataPoint) -> st.SearchStrategy[Any]:
    if dp.type == "boolean":
        return st.booleans()
    if dp.type == "enum":
        return st.sampled_from(dp.option_values)
    if dp.type == "multi-enum":
        return st.frozensets(st.sampled_from(dp.option_values))
    if dp.type == "date":
        return st.dates(dt.date(2019, 1, 1), dt.date(2027, 12, 31))
    if dp.type == "text":
        return st.text(min_size=1, max_size=5)
    low = dp.min if dp.min is not None else -1e6
    high = dp.max if dp.max is not None else 1e7
    edges = st.sampled_from(_interesting_numbers(lib, dp))
    if dp.type == "integer":
        return st.one_of(
            edges.map(float).filter(float.is_integer),
            st.integers(int(low), int(min(high, 10**7))).map(float),
        )
    return st.one_of(edges, st.floats(low, min(high, 1e7), allow_nan=False))


def assessment_strategy(lib: Library) -> st.SearchStrategy[Assessment]:
    ids = sorted(lib.datapoints)

    @st.composite
    def build(draw: st.DrawFn) -> Assessment:
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        values = {dp: draw(value_strategy(lib, lib.datapoints[dp])) for dp in chosen}
        end = draw(st.dates(dt.date(2021, 6, 1), dt.date(2027, 6, 30)))
        return Assessment({"name": "x"}, end.replace(day=1), end, values)

    return build()


def _same(lib: Library, batch: list[Assessment]) -> None:
    engine = Engine(lib)
    many = evaluate_many(lib, batch)
    for assessment, columnar in zip(batch, many, strict=True):
        single = engine.evaluate(assessment)
        for a, b in zip(single.frameworks, columnar.frameworks, strict=True):
            assert [(r.status, r.credit, r.blamed) for r in a.results] == [
                (r.status, r.credit, r.blamed) for r in b.results
            ], a.framework.id
            assert a.summary == b.summary, a.framework.id
        assert single.findings == columnar.findings
        assert single.targets == columnar.targets
        assert single.parameters == columnar.parameters


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(assessment_strategy(MINI_LIB), min_size=1, max_size=8))
def test_columnar_agrees_with_single_on_the_fixture_library(batch: list[Assessment]) -> None:
    _same(MINI_LIB, batch)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_columnar_agrees_with_single_on_the_shipped_library(data: st.DataObject) -> None:
    lib = cached_library()
    batch = data.draw(st.lists(assessment_strategy(lib), min_size=1, max_size=4))
    _same(lib, batch)


def test_columns_round_trip_every_type() -> None:
    values = {
        "site.sector": "footwear",
        "site.processes": frozenset({"dyeing"}),
        "work.notified": False,
        "work.audit_date": dt.date(2025, 2, 3),
        "work.ph": 7.5,
        "work.note": "secret",
    }
    a = Assessment({"name": "x"}, dt.date(2025, 1, 1), dt.date(2025, 12, 31), values)
    cols = Columns.from_assessments(MINI_LIB, [a])
    decoded = {dp: cols.decode(0, dp) for dp in values}
    assert decoded == {**values, "work.note": True}  # text keeps presence only
    assert cols.decode(0, "work.wage") is None


def test_evaluation_without_assessment_objects_decodes_the_columns() -> None:
    a = Assessment({"name": "x"}, dt.date(2025, 1, 1), dt.date(2025, 12, 31), {"work.ot_month": 50.0})
    result = evaluate_columns(MINI_LIB, Columns.from_assessments(MINI_LIB, [a]))
    ev = result.evaluation(0)
    assert ev.assessment.values == {"work.ot_month": 50.0}
    assert [f.datapoint for f in ev.findings] == ["work.ot_month"]
    assert result.status_matrix().shape == (
        1,
        sum(len(f.requirements) for f in MINI_LIB.frameworks.values()),
    )


# ---- generated rules: expressions, dates relative to the period, counts (issue 16) --------------

EXPR_LIB = load_library([MINI, FIXTURES / "expressions"], shipped=False)
_COUNTS = ("hyg.women", "hyg.toilets_women", "hyg.weeks", "hyg.weeks_over", "2", "25", "0.25", "0")
_DATES = ("hyg.drill_date", "hyg.records_from", "period.start", "period.end")


def _number_text(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(_COUNTS)
    if depth == 0:
        return leaf
    inner = _number_text(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(("min", "max")), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    )


_date_text = st.one_of(
    st.sampled_from(_DATES),
    st.tuples(
        st.sampled_from(_DATES),
        st.sampled_from("+-"),
        st.sampled_from(("days", "months")),
        st.integers(0, 40),
    ).map(lambda t: f"{t[0]} {t[1]} {t[2]}({t[3]})"),
)
_OPS = st.sampled_from(("<", "<=", ">", ">=", "==", "!="))
_expr_text = st.one_of(
    st.tuples(_number_text(2), _OPS, _number_text(2)),
    st.tuples(_date_text, _OPS, _date_text),
    st.tuples(st.tuples(_date_text, _date_text).map(lambda t: f"{t[0]} - {t[1]}"), _OPS, st.just("days(90)")),
).map(lambda t: {"expr": f"{t[0]} {t[1]} {t[2]}"})


def _rule_raw(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    if depth == 0:
        return st.one_of(_expr_text, st.just({"present": "hyg.drill_date"}))
    inner = st.lists(_rule_raw(depth - 1), min_size=1, max_size=4)
    return st.one_of(
        _expr_text,
        inner.flatmap(lambda parts: st.integers(1, len(parts)).map(lambda k: {"at_least": k, "of": parts})),
        inner.map(lambda parts: {"all": parts}),
        inner.map(lambda parts: {"any": parts}),
        st.tuples(_rule_raw(depth - 1), _rule_raw(depth - 1)).map(lambda t: {"if": t[0], "then": t[1]}),
        _rule_raw(depth - 1).map(lambda part: {"not": part}),
    )


def _parsed(raw: dict[str, Any]) -> Rule | None:
    lib = EXPR_LIB
    units = {pid: p.unit for pid, p in lib.parameters.items()}
    try:
        return parse(raw, lib.datapoints, units)
    except RuleProblem:
        return None  # the check refuses it (mixed units, a date beside a number): nothing to evaluate


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rule_raw(2), st.lists(assessment_strategy(EXPR_LIB), min_size=1, max_size=6))
def test_both_paths_agree_on_generated_rules(raw: dict[str, Any], batch: list[Assessment]) -> None:
    rule = _parsed(raw)
    assume(rule is not None)
    assert rule is not None
    cols = Columns.from_assessments(EXPR_LIB, batch)
    memo: dict[Any, Any] = {}
    columnar = evaluate_rule(rule, cols, memo)
    blamed = blame_masks(rule, cols, memo, columnar == FALSE)
    for i, a in enumerate(batch):
        scope = expression_scope(EXPR_LIB, a, EXPR_LIB.resolve_parameters(a.end, a.values), ())
        single = compile_rule(rule)(a.values, scope)
        assert single == columnar[i], (raw, a.values)
        if single == FALSE:
            expected = blame(rule, a.values, scope)
            assert expected == tuple(dp for dp in datapoints_of(rule) if dp in blamed and blamed[dp][i])
