"""The columnar path gives exactly the single path's results (a property test over random answers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.assessments import Assessment
from commonground.core.catalogue import DataPoint
from commonground.core.columnar import Columns, evaluate_columns, evaluate_many
from commonground.core.engine import Engine
from commonground.core.library import Library, cached_library, load_library
from commonground.core.rules import Compare, leaves
from tests.conftest import MINI

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
