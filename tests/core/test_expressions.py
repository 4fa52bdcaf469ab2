"""Expressions, counts, dates relative to the period and thresholds keyed by an answer (issue 16,
point 1): each form at its edges, identical on the single and the columnar path, and refused by the
library check with file, place and problem in both languages; never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.assessments import Assessment
from commonground.core.columnar import evaluate_many
from commonground.core.crosswalk import crosswalk
from commonground.core.engine import Engine
from commonground.core.library import load_library
from commonground.core.logic import Status
from commonground.core.report import evaluation_dict
from commonground.core.rules import RuleProblem, parse
from tests.conftest import FIXTURES, MINI
from tests.core.test_columnar import _same, assessment_strategy

LIB = load_library([MINI, FIXTURES / "expressions"], shipped=False)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand"
MET, NOT_MET, UNKNOWN, NA = Status.MET, Status.NOT_MET, Status.UNKNOWN, Status.NOT_APPLICABLE
runner = CliRunner()


def _statuses(
    values: dict[str, Any], start: dt.date = dt.date(2025, 1, 1), end: dt.date = dt.date(2025, 12, 31)
) -> dict[str, Status]:
    """The expression framework's statuses, after checking that both paths agree."""
    a = Assessment({"name": "x"}, start, end, values)
    single = Engine(LIB, ["mini-expr"]).evaluate(a)
    (columnar,) = evaluate_many(LIB, [a], ["mini-expr"])
    (fr,) = single.frameworks
    assert [(r.status, r.blamed) for r in fr.results] == [
        (r.status, r.blamed) for r in columnar.frameworks[0].results
    ]
    assert single.findings == columnar.findings and single.targets == columnar.targets
    return {r.requirement.id: r.status for r in fr.results}


def test_at_least_105_percent_of_the_regional_minimum_wage() -> None:
    region = {"site.minimum_wage_region": "1"}  # 4,960,000 VND in 2025; 105 % is 5,208,000
    assert _statuses({**region, "work.wage": 5_203_040.0})["wage105"] is NOT_MET  # 104.9 %
    assert _statuses({**region, "work.wage": 5_207_999.0})["wage105"] is NOT_MET
    assert _statuses({**region, "work.wage": 5_208_000.0})["wage105"] is MET
    assert _statuses({"work.wage": 9_000_000.0})["wage105"] is UNKNOWN  # no region: no minimum
    assert _statuses(region)["wage105"] is UNKNOWN


def test_products_that_binary_floating_point_gets_wrong_are_still_equal() -> None:
    # 1.05 x 4,960,000 is exact; 1.1 x 5,310,000 in floating point is 5,841,000.000000001
    lib_2026 = {"site.minimum_wage_region": "1", "work.wage": 5_575_500.0}  # 1.05 x 5,310,000
    assert _statuses(lib_2026, dt.date(2026, 1, 1), dt.date(2026, 12, 31))["wage105"] is MET


def test_one_toilet_per_25_women() -> None:
    assert _statuses({"hyg.women": 50, "hyg.toilets_women": 2})["toilets"] is MET
    assert _statuses({"hyg.women": 50, "hyg.toilets_women": 1})["toilets"] is NOT_MET
    assert _statuses({"hyg.women": 51, "hyg.toilets_women": 2})["toilets"] is NOT_MET
    assert _statuses({"hyg.women": 50})["toilets"] is UNKNOWN


def test_min_of_a_parameter_and_a_calculation() -> None:
    assert _statuses({"work.ot_month": 30.0, "hyg.shift_hours": 5.0})["ot"] is MET  # min(40, 30)
    assert _statuses({"work.ot_month": 30.5, "hyg.shift_hours": 5.0})["ot"] is NOT_MET
    assert _statuses({"work.ot_month": 40.0, "hyg.shift_hours": 0.0})["ot"] is MET
    assert _statuses({"work.ot_month": 10.0})["ot"] is UNKNOWN


def test_a_sum_and_a_share() -> None:
    assert _statuses({"hyg.scope1": 2000.0, "hyg.scope2": 999.0})["ghg"] is MET
    assert _statuses({"hyg.scope1": 2000.0, "hyg.scope2": 1000.0})["ghg"] is NOT_MET
    assert _statuses({"hyg.weeks_over": 1, "hyg.weeks": 4})["share"] is MET
    assert _statuses({"hyg.weeks_over": 2, "hyg.weeks": 4})["share"] is NOT_MET
    assert _statuses({"hyg.weeks_over": 0, "hyg.weeks": 0})["share"] is UNKNOWN  # 0 / 0: no answer


def test_a_drill_within_six_months_before_the_periods_end() -> None:
    assert _statuses({"hyg.drill_date": dt.date(2025, 6, 30)})["drill"] is MET
    assert _statuses({"hyg.drill_date": dt.date(2025, 6, 29)})["drill"] is NOT_MET
    short_month = {"start": dt.date(2025, 8, 1), "end": dt.date(2025, 8, 31)}  # 6 months before: 28 Feb
    assert _statuses({"hyg.drill_date": dt.date(2025, 2, 28)}, **short_month)["drill"] is MET
    assert _statuses({"hyg.drill_date": dt.date(2025, 2, 27)}, **short_month)["drill"] is NOT_MET
    assert _statuses({})["drill"] is UNKNOWN
    assert _statuses({"hyg.drill_date": dt.date(2025, 10, 2)})["recent"] is MET  # 90 days before 31 Dec
    assert _statuses({"hyg.drill_date": dt.date(2025, 10, 1)})["recent"] is NOT_MET


def test_records_kept_three_years_before_the_periods_start() -> None:
    assert _statuses({"hyg.records_from": dt.date(2022, 1, 2)})["records"] is MET
    assert _statuses({"hyg.records_from": dt.date(2022, 1, 3)})["records"] is NOT_MET


def test_annual_leave_by_kind_of_work() -> None:
    leave = {"normal": (11, 12), "heavy": (13, 14), "especially_heavy": (15, 16)}
    for kind, (short, enough) in leave.items():
        assert _statuses({"hyg.work_kind": kind, "hyg.leave_days": short})["leave"] is NOT_MET, kind
        assert _statuses({"hyg.work_kind": kind, "hyg.leave_days": enough})["leave"] is MET, kind
    assert _statuses({"hyg.leave_days": 20})["leave"] is UNKNOWN  # the kind of work not answered


def test_a_keyed_parameter_read_for_a_named_key() -> None:
    assert _statuses({"hyg.leave_days_heavy": 13})["leave_heavy"] is NOT_MET
    assert _statuses({"hyg.leave_days_heavy": 14})["leave_heavy"] is MET
    assert _statuses({})["leave_heavy"] is UNKNOWN
    wage = {"work.wage": 4_960_000.0, "site.minimum_wage_region": "2"}  # region 1's minimum, named
    assert _statuses(wage)["wage_region1"] is MET
    assert _statuses({**wage, "work.wage": 4_959_999.0})["wage_region1"] is NOT_MET
    late = _statuses({**wage, "work.wage": 5_000_000.0}, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert late["wage_region1"] is NOT_MET  # 5,310,000 from 2026


def test_at_least_two_of_three() -> None:
    good = {"hyg.women": 50, "hyg.toilets_women": 2, "work.ot_month": 40.0}
    assert _statuses(good)["count"] is MET
    assert _statuses({**good, "work.ot_month": 41.0})["count"] is UNKNOWN  # the GHG part decides
    bad = {**good, "work.ot_month": 41.0, "hyg.scope1": 3000.0, "hyg.scope2": 0.0}
    assert _statuses(bad)["count"] is NOT_MET
    assert _statuses({"hyg.women": 50, "hyg.toilets_women": 1, "work.ot_month": 41.0})["count"] is NOT_MET
    assert _statuses({"work.ot_month": 40.0})["count"] is UNKNOWN


def test_a_failing_count_blames_the_parts_not_met() -> None:
    a = Assessment(
        {"name": "x"},
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        {
            "hyg.women": 50,
            "hyg.toilets_women": 2,
            "work.ot_month": 41.0,
            "hyg.scope1": 3000.0,
            "hyg.scope2": 1.0,
        },
    )
    results = {r.requirement.id: r for r in Engine(LIB, ["mini-expr"]).evaluate(a).frameworks[0].results}
    assert results["count"].blamed == ("work.ot_month", "hyg.scope1", "hyg.scope2")


def test_nested_forms_and_applicability() -> None:
    assert _statuses({"hyg.women": 9})["nested"] is NA
    assert (
        _statuses(
            {"hyg.women": 10, "hyg.drill_date": dt.date(2025, 1, 1), "hyg.scope1": 1.0, "hyg.scope2": 1.0}
        )["nested"]
        is MET
    )
    assert (
        _statuses(
            {"hyg.women": 10, "hyg.weeks_over": 2, "hyg.weeks": 4, "hyg.scope1": 1.0, "hyg.scope2": 1.0}
        )["nested"]
        is NOT_MET
    )
    assert _statuses({"hyg.women": 10, "hyg.scope1": 1000.0, "hyg.scope2": 2501.0})["nested"] is NOT_MET
    assert _statuses({"hyg.women": 10, "hyg.scope1": 1000.0, "hyg.scope2": 2500.0})["nested"] is UNKNOWN


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(assessment_strategy(LIB), min_size=1, max_size=8))
def test_both_paths_agree_on_every_new_form(batch: list[Assessment]) -> None:
    _same(LIB, batch)


def test_the_crosswalk_decides_expressions_linear_in_one_fact_and_says_why_not_the_rest() -> None:
    pairs = crosswalk(LIB, "mini-expr", "mini-law", dt.date(2025, 6, 1))
    assert {(p.a.id, p.b.id): (p.relation, p.reason and p.reason.code) for p in pairs} == {
        ("wage105", "wage"): ("stricter", None),  # 105 % of the minimum: a threshold on the wage
        ("wage_region1", "wage"): ("stricter", None),  # region I's minimum whatever the region
        ("ot", "ot-month"): ("undecidable", "several_facts"),  # 40 - 2 x shift hours: two decimals
        ("count", "ot-month"): ("undecidable", "several_facts"),  # a part sums scope 1 and 2
    }
    plain = crosswalk(LIB, "mini-buyer", "mini-law", dt.date(2025, 6, 1))
    assert plain and "undecidable" not in {p.relation for p in plain}
    example = ["crosswalk", "my-brand-code", "vn-labour-code-2019", "-l", str(EXAMPLE), "--on", "2026-06-01"]
    lines = runner.invoke(app, [*example, "--lang", "vi"]).stdout.splitlines()
    above = next(line for line in lines if "wages.above-minimum" in line)
    assert "chặt hơn" in above and "vn-labour-code-2019/pay.minimum_wage_month" in above


def _library_with_rule(tmp_path: Path, rule: str) -> Path:
    lib = tmp_path / "code"
    lib.mkdir()
    (lib / "code.yaml").write_text(
        "id: my-code\nversion: '1'\nkind: buyer_code\nname: {en: My code, vi: Bộ quy tắc}\n"
        "source: {title: t}\nrequirements:\n  - id: r\n    title: {en: a, vi: a}\n"
        "    text: {en: a, vi: a}\n    citation: '1'\n    severity: minor\n    accountable: factory\n"
        f"    rule: {rule}\n",
        encoding="utf-8",
    )
    (lib / "p.yaml").write_text(  # a keyed parameter without a key answer: rules name the key
        "parameters:\n  - id: x_my.leave\n    label: {en: Leave, vi: Nghỉ}\n    unit: day\n    values:\n"
        "      - {from: 2021-01-01, source: LC, confidence: confirmed, by_key: {normal: 12, heavy: 14}}\n",
        encoding="utf-8",
    )
    return lib


OT, LEAVE = "working_time.overtime_hours_month_max", "benefits.annual_leave_days_min"


@pytest.mark.parametrize(
    ("rule", "en", "vi"),
    [
        ("{expr: 'working_time.overtime_hours_month_max <='}", "cannot be read", "không đọc được biểu thức"),
        (f"{{expr: '{OT} + 1'}}", "must compare two sides", "phải so sánh hai vế"),
        (f"{{expr: '0 < {OT} < 40'}}", "must compare two sides", "phải so sánh hai vế"),
        (
            "{expr: \"__import__('os').system('x') > 1\"}",
            "is not allowed in the expression",
            "không được dùng",
        ),
        (f"{{expr: '{OT} ** 2 > 1'}}", "is not allowed", "không được dùng"),
        (
            f"{{expr: '{OT}.real > 1'}}",
            "is neither a data point nor a parameter",
            "không phải là điểm dữ liệu",
        ),
        (f"{{expr: '{OT} + {LEAVE} > 3'}}", "both sides must be in the same unit", "hai vế phải cùng đơn vị"),
        (f"{{expr: '{OT} > {LEAVE}'}}", "same unit", "cùng đơn vị"),
        (
            "{expr: 'fire_safety.last_drill_date > 3'}",
            "dates are compared only with dates",
            "ngày chỉ được so sánh",
        ),
        ("{expr: 'fire_safety.last_drill_date + 3 > period.end'}", "moved only by days(N)", "days(N)"),
        (
            "{expr: 'fire_safety.last_drill_date > period.end - months(1.5)'}",
            "needs a whole number",
            "cần một số nguyên",
        ),
        (
            "{expr: 'facility.sector > 1'}",
            "cannot be calculated with",
            "không thể dùng điểm dữ liệu kiểu enum",
        ),
        (
            f"{{at_least: 3, of: [{{present: {OT}}}, {{present: {LEAVE}}}]}}",
            "'at_least' needs a whole number",
            "'at_least' cần một số nguyên",
        ),
        (f"{{at_least: 0, of: [{{present: {OT}}}]}}", "from 1 to the number of rules", "từ 1 đến số quy tắc"),
        (f"{{at_least: 1, of: [{{expr: '{OT} > x.y'}}]}}", "rule.of[0].expr: 'x.y'", "'x.y'"),
        (
            f"{{expr: '{LEAVE} >= x_my.leave'}}",
            "the parameter 'x_my.leave' has one value per key (heavy, normal): name one, e.g. x_my.leave[heavy]",
            "tham số 'x_my.leave' có một giá trị cho mỗi khóa (heavy, normal)",
        ),
        (
            f"{{expr: '{LEAVE} >= x_my.leave[light]'}}",
            "has one value per key (heavy, normal)",
            "ví dụ x_my.leave[heavy]",
        ),
        ("{expr: 'vn.qcvn40_2011_temperature[c] > 30'}", "per key (a, b)", "(a, b)"),
        (f"{{dp: {LEAVE}, op: '>=', param: x_my.leave}}", "unknown parameter 'x_my.leave'", "x_my.leave"),
    ],
)
def test_the_check_refuses_what_cannot_be_evaluated(tmp_path: Path, rule: str, en: str, vi: str) -> None:
    lib = _library_with_rule(tmp_path, rule)
    for lang, expected in (("en", en), ("vi", vi)):
        result = runner.invoke(app, ["library", "check", str(lib), "--lang", lang])
        assert result.exit_code == 2, result.stdout
        assert "code.yaml:13:" in result.stderr and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_a_checked_expression_evaluates_from_the_command_line(tmp_path: Path) -> None:
    lib = _library_with_rule(tmp_path, "{expr: 'fire_safety.last_drill_date >= period.end - months(6)'}")
    assert runner.invoke(app, ["library", "check", str(lib)]).exit_code == 0
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "facility: {name: X}\nperiod: {start: 2025-01-01, end: 2025-12-31}\n"
        "values: {fire_safety.last_drill_date: 2025-06-29}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["evaluate", str(answers), "-l", str(lib), "-f", "my-code", "--format", "text"]
    )
    assert result.exit_code == 0, result.stderr
    assert "0 met, 1 not met" in result.stdout


def test_the_worked_example_of_the_guide_evaluates_each_new_form_at_its_edge() -> None:
    lib = load_library([EXAMPLE])
    base = {
        "facility.minimum_wage_region": "1",  # 5,310,000 VND from 2026; 105 % is 5,575,500
        "wages.lowest_base_wage_month_vnd": 5_575_500.0,
        "osh.hazardous_work_workers_count": 3.0,
        "benefits.annual_leave_days_hazardous_min": 16.0,
        "fire_safety.last_drill_date": dt.date(2026, 6, 30),
        "working_time.overtime_hours_month_max": 41.0,
    }

    def statuses(**changes: Any) -> dict[str, Status]:
        a = Assessment({"name": "x"}, dt.date(2026, 1, 1), dt.date(2026, 12, 31), {**base, **changes})
        single = Engine(lib, ["my-brand-code"]).evaluate(a)
        (columnar,) = evaluate_many(lib, [a], ["my-brand-code"])
        found = {r.requirement.id: r.status for r in single.frameworks[0].results}
        assert found == {r.requirement.id: r.status for r in columnar.frameworks[0].results}
        return found

    met = statuses()
    new_forms = (
        "wages.above-minimum",
        "wages.region-one",
        "leave.hazardous",
        "fire.recent-drill",
        "fire.basics",
    )
    assert [met[r] for r in new_forms] == [MET] * 5
    assert statuses(**{"wages.lowest_base_wage_month_vnd": 5_575_499.0})["wages.above-minimum"] is NOT_MET
    region_two = statuses(
        **{"facility.minimum_wage_region": "2", "wages.lowest_base_wage_month_vnd": 5_309_999.0}
    )
    assert (region_two["wages.legal-minimum"], region_two["wages.region-one"]) == (MET, NOT_MET)
    assert statuses(**{"benefits.annual_leave_days_hazardous_min": 15.0})["leave.hazardous"] is NOT_MET
    late = statuses(**{"fire_safety.last_drill_date": dt.date(2026, 6, 29)})
    assert (late["fire.recent-drill"], late["fire.basics"]) == (NOT_MET, MET)
    old = statuses(**{"fire_safety.last_drill_date": dt.date(2025, 12, 30)})
    assert old["fire.basics"] is NOT_MET  # on record only: 1 of 3


def test_the_report_lists_a_keyed_parameter_read_for_a_named_key() -> None:
    lib = load_library([EXAMPLE])
    a = Assessment(
        {"name": "x"}, dt.date(2026, 1, 1), dt.date(2026, 12, 31), {"facility.minimum_wage_region": "1"}
    )
    params = {
        p["id"]: p["value"]
        for p in evaluation_dict(Engine(lib, ["my-brand-code"]).evaluate(a), "en", lib)["parameters"]
    }
    assert params["vn.minimum_wage_month[1]"] == 5_310_000
    assert params["vn.annual_leave_days_hazardous"] == 14


@pytest.mark.parametrize(
    "text",
    [
        "1" * 400 + " > work.ot_month",  # too large for a float
        "work.ot_month > 1e999",
        "x" * 600,
        5,
        ["work.ot_month > 1"],
        "work.ot_month > 1 if 1 else 2",
        "work.ot_month > 'a'",
        "work.ot_month == None",
        "lambda: 1 > 2",
        "work.ot_month[1] > 2",
        "work.audit_date > work.audit_date + months(99999999)",
        "(" * 300 + "work.ot_month" + ")" * 300 + " > 1",
    ],
)
def test_hostile_expressions_are_refused_with_a_code(text: Any) -> None:
    units = {pid: p.unit for pid, p in LIB.parameters.items()}
    with pytest.raises(RuleProblem) as caught:
        parse({"expr": text}, LIB.datapoints, units)
    assert caught.value.code.startswith("expr_") and caught.value.path == ("expr",)
