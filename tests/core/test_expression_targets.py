"""Binding targets from expression rules (issue 16, point 1; decision 0037): an expression solved
for a fact bounds it like `{dp, op, param}`; one that cannot be solved exactly gives no threshold and
says so. The single and the columnar path give the same targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.assessments import Assessment
from commonground.core.columnar import evaluate_many
from commonground.core.engine import Engine, Evaluation
from commonground.core.expressions import parse_expression
from commonground.core.library import load_library
from commonground.core.report import evaluation_dict, target_text
from commonground.core.solving import solve
from commonground.core.targets import UNDECIDABLE, Target
from tests.conftest import FIXTURES, MINI
from tests.core.test_columnar import _same, assessment_strategy

LIB = load_library([MINI, FIXTURES / "expressions", FIXTURES / "solving"], shipped=False)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand"
Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _evaluate(
    values: dict[str, Any], frameworks: list[str], lib: Any = LIB, period: Any = Y2025
) -> Evaluation:
    """The single path's evaluation, after checking that the columnar path gives the same targets."""
    a = Assessment({"name": "x"}, *period, values)
    single = Engine(lib, frameworks).evaluate(a)
    (columnar,) = evaluate_many(lib, [a], frameworks)
    assert single.targets == columnar.targets
    return single


def _targets(values: dict[str, Any], frameworks: list[str], **kw: Any) -> dict[tuple[str, str], Target]:
    return {(t.datapoint, t.operator): t for t in _evaluate(values, frameworks, **kw).targets}


def _keys(t: Target) -> tuple[list[str], list[str]]:
    return [b.requirement.key for b in t.binding], [o.requirement.key for o in t.others]


def test_105_percent_of_the_minimum_binds_over_the_law() -> None:
    region = {"site.minimum_wage_region": "1"}  # 4,960,000 in 2025: 105 % is 5,208,000
    wage = _targets({**region, "work.wage": 5_000_000.0}, ["mini-expr", "mini-law"])[("work.wage", ">=")]
    assert wage.value == 5_208_000
    assert _keys(wage) == (["mini-expr/wage105"], ["mini-expr/wage_region1", "mini-law/wage"])
    # 1.05 x 5,310,000 is 5,575,500.000000001 in binary floating point: the target is the round figure
    late = _targets(region, ["mini-expr"], period=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert late[("work.wage", ">=")].value == 5_575_500
    unknown_region = _targets({}, ["mini-expr"])[("work.wage", ">=")]  # 105 % of what? no target
    assert (unknown_region.value, _keys(unknown_region)) == (4_960_000, (["mini-expr/wage_region1"], []))


def test_the_guide_s_buyer_code_moves_the_wage_target_to_105_percent() -> None:
    lib = load_library([EXAMPLE])
    values = {"facility.minimum_wage_region": "4", "wages.lowest_base_wage_month_vnd": 3_500_000.0}
    frameworks = ["my-brand-code", "vn-labour-code-2019"]
    wage = _targets(values, frameworks, lib=lib)[("wages.lowest_base_wage_month_vnd", ">=")]
    # region IV in 2025: region I's 4,960,000 (wages.region-one) binds; 105 % of 3,450,000 is looser
    assert (wage.value, _keys(wage)[0]) == (4_960_000, ["my-brand-code/wages.region-one"])
    looser = {o.requirement.key: o.value for o in wage.others}
    assert looser["my-brand-code/wages.above-minimum"] == 3_622_500
    assert looser["vn-labour-code-2019/pay.minimum_wage_month"] == 3_450_000
    region_one = {**values, "facility.minimum_wage_region": "1"}  # 105 % of region I's minimum binds
    wage = _targets(region_one, frameworks, lib=lib)[("wages.lowest_base_wage_month_vnd", ">=")]
    assert (wage.value, _keys(wage)[0]) == (5_208_000, ["my-brand-code/wages.above-minimum"])


def test_a_whole_number_fact_is_bound_at_the_whole_number_the_formula_means() -> None:
    toilets = ("hyg.toilets_women", ">=")
    assert _targets({"hyg.women": 50}, ["mini-expr"])[toilets].value == 2  # 50 / 25
    assert _targets({"hyg.women": 51}, ["mini-expr"])[toilets].value == 3  # 2.04 toilets is 3
    assert _targets({"hyg.women": 0}, ["mini-expr"])[toilets].value == 0


def test_a_factor_known_per_assessment_turns_the_bound_round_when_negative() -> None:
    assert _targets({"hyg.weeks": 6}, ["mini-solve"])[("hyg.toilets_women", ">=")].value == 4  # x 2 >= 8
    assert _targets({"hyg.weeks": 1}, ["mini-solve"])[("hyg.toilets_women", "<=")].value == -3  # -8/3
    factorless = _targets({"hyg.weeks": 4}, ["mini-solve"])  # x 0 >= 8: no toilet count can meet it
    assert not any(dp == "hyg.toilets_women" for dp, _ in factorless)


def test_a_subtracted_fact_and_a_date_relative_to_the_period() -> None:
    targets = _targets({}, ["mini-expr"])
    drill = targets[("hyg.drill_date", ">=")]  # period.end - drill <= 90 days: drill >= 2 October
    assert drill.value == dt.date(2025, 10, 2)
    assert _keys(drill) == (["mini-expr/recent"], ["mini-expr/drill"])  # 30 June is looser
    assert targets[("hyg.records_from", "<=")].value == dt.date(2022, 1, 2)
    short = _targets({}, ["mini-expr"], period=(dt.date(2025, 8, 1), dt.date(2025, 8, 31)))
    assert short[("hyg.drill_date", ">=")].value == dt.date(2025, 6, 2)  # 90 days before 31 August


def test_an_expression_that_cannot_be_solved_is_labelled_not_guessed() -> None:
    values = {"hyg.weeks": 8, "hyg.weeks_over": 1, "hyg.shift_hours": 2.0, "hyg.women": 3}
    targets = _targets(values, ["mini-expr", "mini-solve"])
    assert _keys(targets[("hyg.weeks", UNDECIDABLE)])[0] == ["mini-expr/share"]  # in a divisor
    assert targets[("hyg.weeks", UNDECIDABLE)].value is None
    assert _keys(targets[("hyg.weeks_over", UNDECIDABLE)])[0] == ["mini-solve/twice"]  # twice
    assert targets[("hyg.weeks_over", "<=")].value == 2  # and solved from `share`: 0.25 x 8
    assert _keys(targets[("hyg.shift_hours", UNDECIDABLE)])[0] == ["mini-expr/ot"]  # inside min()
    assert _keys(targets[("hyg.records_from", UNDECIDABLE)])[0] == ["mini-solve/shifted"]  # months()
    assert ("hyg.scope1", UNDECIDABLE) not in targets and ("hyg.scope1", "<") not in targets  # !=
    assert targets[("hyg.shift_hours", "==")].value == 8  # 3 x shift == 24


def test_an_alternative_binds_only_once_the_other_is_closed() -> None:
    assert _targets({"work.notified": False}, ["mini-solve"])[("work.ot_month", "<=")].value == 20
    assert ("work.ot_month", "<=") not in _targets({"work.notified": True}, ["mini-solve"])
    assert ("work.ot_month", "<=") not in _targets({}, ["mini-solve"])  # unknown: not yet necessary
    halved = _targets({}, ["mini-solve"])[("work.wage", ">=")]  # wage / 2 >= region II's minimum
    assert halved.value == 8_820_000


def test_requirements_that_do_not_apply_give_no_target() -> None:
    assert ("hyg.drill_date", ">=") in _targets({"hyg.women": 9}, ["mini-expr"])
    # `nested` applies from 10 women; its parts are counts and a negation: no bound either way
    assert not any(
        "mini-expr/nested" in _keys(t)[0] + _keys(t)[1]
        for t in _evaluate({"hyg.women": 12}, ["mini-expr"]).targets
    )


def test_the_report_says_there_is_no_target_in_both_languages() -> None:
    ev = _evaluate({"hyg.weeks": 8, "hyg.weeks_over": 3}, ["mini-expr"])
    en, vi = target_text(ev, LIB, "en"), target_text(ev, LIB, "vi")
    assert "Weeks: no target: the rule's formula cannot be solved for this answer (mini-expr)" in en
    assert (
        "Tuần: không có mục tiêu: không giải được công thức của quy tắc theo câu trả lời này (mini-expr)"
        in vi
    )
    listed = {(t["datapoint"], t["operator"]): t for t in evaluation_dict(ev, "en", LIB)["targets"]}
    assert listed[("hyg.weeks", "undecidable")]["value"] is None
    assert listed[("hyg.weeks", "undecidable")]["requirements"] == ["mini-expr/share"]


def test_the_solver_refuses_what_it_cannot_undo_exactly() -> None:
    catalogue, units = LIB.datapoints, {"mini.min_wage": "VND/month"}

    def solved(text: str, dp: str) -> str | None:
        left, op, right = parse_expression(text, catalogue, units)
        found = solve(left, op, right, dp)
        return None if found is None else found.operator

    assert solved("work.wage >= 1.05 * mini.min_wage", "work.wage") == ">="
    assert solved("1.05 * mini.min_wage <= work.wage", "work.wage") == ">="
    assert solved("-2 * hyg.women >= -10", "hyg.women") == "<="
    assert solved("0 * hyg.women >= -10", "hyg.women") is None
    assert solved("10 / hyg.women >= 2", "hyg.women") is None
    assert solved("max(hyg.women, 3) >= 2", "hyg.women") is None
    assert solved("hyg.women * hyg.women >= 4", "hyg.women") is None
    assert solved("hyg.women != 4", "hyg.women") is None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(assessment_strategy(LIB), min_size=1, max_size=8))
def test_both_paths_give_the_same_targets_from_expressions(batch: list[Assessment]) -> None:
    _same(LIB, batch)
