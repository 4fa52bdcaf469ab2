"""Rules over `date` data points (issue 16): every form evaluates, identically on the single and the
columnar path, or is refused by the library check with file and place; never a traceback."""

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
from commonground.core.engine import Engine
from commonground.core.library import load_library
from commonground.core.logic import Status
from tests.conftest import FIXTURES, MINI
from tests.core.test_columnar import _same

DATES = FIXTURES / "dates"
LIB = load_library([MINI, DATES], shipped=False)
runner = CliRunner()


def _assessment(values: dict[str, Any]) -> Assessment:
    return Assessment({"name": "x"}, dt.date(2025, 1, 1), dt.date(2025, 12, 31), values)


def _statuses(values: dict[str, Any]) -> dict[str, Status]:
    """The date framework's statuses, after checking that both paths give the same evaluation."""
    a = _assessment(values)
    single = Engine(LIB, ["mini-dates"]).evaluate(a)
    (columnar,) = evaluate_many(LIB, [a], ["mini-dates"])
    assert single.targets == columnar.targets and single.findings == columnar.findings
    (fr,) = single.frameworks
    assert [r.status for r in fr.results] == [r.status for r in columnar.frameworks[0].results]
    return {r.requirement.key.split("/")[-1]: r.status for r in fr.results}


def test_each_operator_at_its_edge() -> None:
    met, not_met = Status.MET, Status.NOT_MET
    on_edge = _statuses({"work.audit_date": dt.date(2025, 5, 31)})
    after = _statuses({"work.audit_date": dt.date(2025, 6, 1)})
    assert (on_edge["lt"], on_edge["le"], after["lt"], after["le"]) == (met, met, not_met, not_met)
    new_year = _statuses({"work.audit_date": dt.date(2025, 1, 1)})
    old_year = _statuses({"work.audit_date": dt.date(2024, 12, 31)})
    assert (new_year["gt"], new_year["ge"], old_year["gt"], old_year["ge"]) == (met, met, not_met, not_met)
    day = _statuses({"work.audit_date": dt.date(2025, 3, 1)})
    assert (day["eq"], day["ne"], new_year["eq"], new_year["ne"]) == (met, not_met, not_met, met)


def test_between_reference_and_nested_forms() -> None:
    s = _statuses({"work.audit_date": dt.date(2025, 3, 1), "drill.last": dt.date(2025, 12, 31)})
    assert (s["between"], s["ref"], s["nested"], s["conditional"], s["negated"]) == (Status.MET,) * 5
    s = _statuses({"work.audit_date": dt.date(2025, 3, 1), "drill.last": dt.date(2025, 2, 28)})
    assert (s["ref"], s["nested"], s["negated"]) == (Status.NOT_MET, Status.UNKNOWN, Status.MET)
    s = _statuses(
        {"work.audit_date": dt.date(2025, 3, 1), "drill.last": dt.date(2023, 12, 31), "work.ot_month": 21.0}
    )
    assert (s["nested"], s["negated"], s["conditional"]) == (Status.NOT_MET, Status.NOT_MET, Status.MET)
    s = _statuses({"drill.last": dt.date(2026, 1, 1)})
    assert (s["between"], s["ref"], s["nested"]) == (Status.NOT_MET, Status.UNKNOWN, Status.MET)


def test_date_targets_take_the_strictest_day() -> None:
    a = _assessment({"work.audit_date": dt.date(2025, 2, 1)})
    targets = {(t.datapoint, t.operator): t for t in Engine(LIB, ["mini-dates"]).evaluate(a).targets}
    lower = targets[("work.audit_date", ">=")]
    assert lower.value == dt.date(2025, 1, 1)
    assert [o.value for o in lower.others] == [dt.date(2024, 12, 31)]  # "> 2024-12-31": one day looser
    assert targets[("work.audit_date", "<=")].value == dt.date(2025, 5, 31)
    assert targets[("drill.last", "<=")].value == dt.date(2025, 12, 31)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "work.audit_date": st.dates(dt.date(2024, 12, 25), dt.date(2025, 7, 5)),
                "drill.last": st.dates(dt.date(2023, 12, 25), dt.date(2026, 1, 5)),
                "work.ot_month": st.sampled_from([19.0, 20.0, 21.0]),
            },
        ),
        min_size=1,
        max_size=6,
    )
)
def test_both_paths_agree_on_date_rules(batch: list[dict[str, Any]]) -> None:
    _same(LIB, [_assessment(values) for values in batch])


def _library_with_rule(tmp_path: Path, rule: str) -> Path:
    lib = tmp_path / "code"
    lib.mkdir()
    (lib / "code.yaml").write_text(
        "id: my-code\nversion: '1'\nkind: buyer_code\nname: {en: My code, vi: Bộ quy tắc}\n"
        "source: {title: t}\nrequirements:\n  - id: drill\n    title: {en: a, vi: a}\n"
        "    text: {en: a, vi: a}\n    citation: '1'\n    severity: minor\n    accountable: factory\n"
        f"    rule: {rule}\n",
        encoding="utf-8",
    )
    return lib


@pytest.mark.parametrize(
    ("rule", "en", "vi"),
    [
        (
            "{dp: fire_safety.last_drill_date, op: '>=', value: 2025-02-30}",
            "requirements[0].rule.value: the constant '2025-02-30' does not suit the date data point",
            "hằng số '2025-02-30' không phù hợp với điểm dữ liệu kiểu date",
        ),
        (
            "{dp: fire_safety.last_drill_date, op: '>=', value: 30}",
            "requirements[0].rule.value: the constant 30 does not suit the date data point",
            "không phù hợp",
        ),
        (
            "{dp: fire_safety.last_drill_date, op: '>=', param: vn.overtime_month_max}",
            "requirements[0].rule.param: the operator '>=' cannot be used with the date data point",
            "fire_safety.last_drill_date",
        ),
        (
            "{dp: fire_safety.last_drill_date, op: '>=', ref: working_time.overtime_hours_month_max}",
            "requirements[0].rule.ref: invalid rule",
            "quy tắc không hợp lệ",
        ),
        (
            "{dp: fire_safety.last_drill_date, op: in, value: [2025-01-01]}",
            "requirements[0].rule",
            "fire_safety.last_drill_date",
        ),
    ],
)
def test_the_check_refuses_what_cannot_be_evaluated(tmp_path: Path, rule: str, en: str, vi: str) -> None:
    lib = _library_with_rule(tmp_path, rule)
    for lang, expected in (("en", en), ("vi", vi)):
        result = runner.invoke(app, ["library", "check", str(lib), "--lang", lang])
        assert result.exit_code == 2
        assert "code.yaml:13:" in result.stderr and expected in result.stderr
        assert "Traceback" not in result.stderr


def test_a_checked_date_rule_evaluates_from_the_command_line(tmp_path: Path) -> None:
    lib = _library_with_rule(tmp_path, "{dp: fire_safety.last_drill_date, op: '>=', value: 2025-07-01}")
    assert runner.invoke(app, ["library", "check", str(lib)]).exit_code == 0
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "facility: {name: X}\nperiod: {start: 2025-01-01, end: 2025-12-31}\n"
        "values: {fire_safety.last_drill_date: 2025-06-30}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["evaluate", str(answers), "-l", str(lib), "-f", "my-code", "--format", "text"]
    )
    assert result.exit_code == 0, result.stderr
    assert "0 met, 1 not met" in result.stdout and ">= 2025-07-01" in result.stdout
