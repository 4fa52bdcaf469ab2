"""The command-line contract: `evaluate`, `questionnaire`, `crosswalk`, `library check`, `demo`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from tests.conftest import FIXTURES, MINI

runner = CliRunner()
ANSWERS = FIXTURES / "answers" / "mini-a.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _mini_evaluate(path: Path, *extra: str) -> tuple[int, str, str]:
    return run("evaluate", str(path), "--library", str(MINI), "-f", "mini-law", "-f", "mini-buyer", *extra)


def test_evaluate_json_has_the_contract_keys() -> None:
    code, out, _ = _mini_evaluate(ANSWERS, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [f["id"] for f in data["frameworks"]] == ["mini-law", "mini-buyer"]
    law = data["frameworks"][0]
    assert {"id", "summary", "requirements"} <= set(law)
    month = next(r for r in law["requirements"] if r["id"] == "ot-month")
    assert month["status"] == "not_met" and month["datapoints"] == ["work.ot_month"]
    finding = next(f for f in data["findings"] if f["datapoint"] == "work.ot_month")
    assert finding["value"] == 41  # 2460 min converted to hours
    assert finding["severity"] == "zero_tolerance"
    assert set(finding["frameworks"]) == {"mini-law", "mini-buyer"}
    assert "mini-law/ot-month" in finding["requirements"]
    target = next(t for t in data["targets"] if t["datapoint"] == "work.ot_month")
    assert {"datapoint", "operator", "value", "frameworks"} <= set(target)
    # the year route of mini-buyer/combined is closed (250 h), so its 20-hour month bound binds
    assert (target["operator"], target["value"], target["frameworks"]) == ("<=", 20, ["mini-buyer"])
    assert {(o["requirement"], o["value"]) for o in target["others"]} == {
        ("mini-buyer/ot-month", 36),
        ("mini-law/ot-month", 40),
    }


def test_evaluate_reads_json_files(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(
            {
                "facility": {"name": "F"},
                "period": {"start": "2026-01-01", "end": "2026-12-31"},
                "values": {"work.ot_month": {"value": 44, "unit": "h"}},
            }
        ),
        encoding="utf-8",
    )
    code, out, _ = _mini_evaluate(path)
    assert code == 0 and json.loads(out)["findings"][0]["value"] == 44


def test_text_output_in_vietnamese() -> None:
    code, out, _ = _mini_evaluate(ANSWERS, "--format", "text", "--lang", "vi")
    assert code == 0
    assert "Kỳ đánh giá 2025-01-01 → 2025-12-31" in out and "Mục tiêu ràng buộc" in out


def _bad(tmp_path: Path, body: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


HEAD = "facility: {name: F}\nperiod: {start: 2025-01-01, end: 2025-12-31}\nvalues:\n"


@pytest.mark.parametrize(
    ("body", "en", "vi"),
    [
        (
            HEAD + "  work.ot_mont: 41\n",
            "bad.yaml:4: values.work.ot_mont: unknown data point 'work.ot_mont'",
            "không có điểm dữ liệu 'work.ot_mont'",
        ),
        (
            HEAD + "  work.ot_month: many\n",
            "bad.yaml:4: values.work.ot_month: expected a number, got 'many'",
            "cần một số, nhưng nhận được 'many'",
        ),
        (
            HEAD + "  work.ot_month: {value: 41, unit: kg}\n",
            "bad.yaml:4: values.work.ot_month: the unit 'kg' cannot be converted to 'h'",
            "không thể đổi đơn vị 'kg' sang 'h'",
        ),
        (
            HEAD + "  work.ot_month: 900\n",
            "900 is outside the allowed range 0 – 400 h",
            "nằm ngoài khoảng cho phép",
        ),
        (
            HEAD + "  site.sector: shipyard\n",
            "'shipyard' is not an option",
            "không phải là lựa chọn hợp lệ",
        ),
        (
            "facility: {name: F\nperiod: x\n",
            "bad.yaml:2: the file is not valid YAML",
            "tệp không phải YAML hợp lệ",
        ),
        (
            "facility: {name: F}\nperiod: {start: 2025-12-31, end: 2025-01-01}\nvalues: {}\n",
            "bad.yaml:2: period: the period must give 'start' and 'end' dates",
            "kỳ đánh giá phải có",
        ),
        (
            "facility: {name: F}\nvalues: {}\n",
            "the field 'period' is missing",
            "thiếu trường 'period'",
        ),
        ("- 1\n- 2\n", "expected a mapping", "cần một bảng khóa"),
    ],
)
def test_bad_input_gets_one_clear_message_and_no_traceback(
    tmp_path: Path, body: str, en: str, vi: str
) -> None:
    path = _bad(tmp_path, body)
    code, out, err = _mini_evaluate(path, "--lang", "en")
    assert code != 0 and out == ""
    assert en in err and "Traceback" not in err
    code, _, err = _mini_evaluate(path, "--lang", "vi")
    assert code != 0 and vi in err and err.startswith("Lỗi")


def test_missing_file_and_unknown_framework() -> None:
    code, _, err = run("evaluate", "no-such-file.yaml", "--lang", "en")
    assert code != 0 and "no-such-file.yaml: the file or directory does not exist" in err
    code, _, err = run("evaluate", str(ANSWERS), "--library", str(MINI), "-f", "mini-lawz")
    assert code != 0 and "unknown framework 'mini-lawz'" in err


def test_a_library_with_a_broken_rule_is_refused(tmp_path: Path) -> None:
    lib = tmp_path / "code"
    lib.mkdir()
    (lib / "code.yaml").write_text(
        "id: my-code\nversion: '1'\nkind: buyer_code\nname: {en: My code, vi: Bộ quy tắc}\n"
        "source: {title: t}\nrequirements:\n  - id: r1\n    title: {en: a, vi: a}\n    text: {en: a, vi: a}\n"
        "    citation: '1'\n    severity: minor\n    accountable: factory\n"
        "    rule: {dp: working_time.overtime_hours_monthly, op: '<=', value: 40}\n",
        encoding="utf-8",
    )
    code, _, err = run("library", "check", str(lib), "--lang", "en")
    assert code != 0
    assert (
        "code.yaml:13: requirements[0].rule.dp: unknown data point 'working_time.overtime_hours_monthly'"
        in err
    )


def test_questionnaire_formats(tmp_path: Path) -> None:
    code, out, _ = run("questionnaire", "--library", str(MINI), "-f", "mini-law", "--format", "json")
    assert code == 0 and json.loads(out)["burden"]["datapoints_asked"] == 8
    target = tmp_path / "q.xlsx"
    code, out, _ = run(
        "questionnaire",
        "--library",
        str(MINI),
        "--format",
        "xlsx",
        "-o",
        str(target),
        "--lang",
        "vi",
    )
    assert code == 0 and target.exists() and "bạn trả lời" in out
    code, out, _ = run("questionnaire", "--library", str(MINI), "-f", "mini-buyer")
    assert code == 0 and "work.ot_month" in out


def test_crosswalk_command() -> None:
    code, out, _ = run("crosswalk", "mini-law", "mini-buyer", "--library", str(MINI), "--on", "2026-01-01")
    assert code == 0 and "looser" in out
    code, out, _ = run("crosswalk", "mini-law", "mini-buyer", "--library", str(MINI), "--format", "json")
    assert code == 0 and json.loads(out)["counts"]["looser"] == 2
    code, _, err = run("crosswalk", "mini-law", "mini-buyer", "--library", str(MINI), "--on", "soon")
    assert code != 0 and "'soon' is not a date" in err


EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand"


def test_the_worked_example_of_the_library_guide_holds(tmp_path: Path) -> None:
    code, out, _ = run("library", "check", str(EXAMPLE))
    assert code == 0 and "Library OK" in out
    assert re.search(r"\b[4-9]\d solutions, \d+ training resources", out)  # the catalogue has 40 or more
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "facility: {name: Xưởng may Minh Anh}\nperiod: {start: 2026-01-01, end: 2026-12-31}\n"
        "values:\n  facility.sector: garment\n  facility.minimum_wage_region: '2'\n"
        "  working_time.overtime_hours_month_max: 38\n  wages.lowest_base_wage_month_vnd: 4800000\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        "evaluate",
        str(answers),
        "--library",
        str(EXAMPLE),
        "-f",
        "my-brand-code",
        "-f",
        "vn-labour-code-2019",
    )
    assert code == 0
    data = json.loads(out)
    overtime = [f for f in data["findings"] if f["datapoint"] == "working_time.overtime_hours_month_max"]
    assert len(overtime) == 1 and overtime[0]["requirements"] == ["my-brand-code/hours.overtime-month"]
    target = next(t for t in data["targets"] if t["datapoint"] == "working_time.overtime_hours_month_max")
    assert (target["operator"], target["value"], target["frameworks"]) == ("<=", 36, ["my-brand-code"])
    assert {"requirement": "vn-labour-code-2019/overtime.month", "operator": "<=", "value": 40} in target[
        "others"
    ]
    wage = next(t for t in data["targets"] if t["datapoint"] == "wages.lowest_base_wage_month_vnd")
    # the expression rules bind (decision 0037): region I's 5,310,000 everywhere; 105 % of region II's
    # 4,730,000 (4,966,500) and the law's minimum are looser
    assert (wage["value"], wage["frameworks"]) == (5_310_000, ["my-brand-code"])
    looser = {o["requirement"]: o["value"] for o in wage["others"]}
    assert looser["my-brand-code/wages.above-minimum"] == 4_966_500
    assert looser["vn-labour-code-2019/pay.minimum_wage_month"] == 4_730_000
    code, out, _ = run(
        "crosswalk", "my-brand-code", "vn-labour-code-2019", "--library", str(EXAMPLE), "--format", "json"
    )
    pairs = json.loads(out)["pairs"]
    relation = next(
        p["relation"]
        for p in pairs
        if (p["a"], p["b"]) == ("my-brand-code/hours.overtime-month", "vn-labour-code-2019/overtime.month")
    )
    assert relation == "stricter"


def test_demo_evaluates_every_sample_in_both_languages() -> None:
    code, out, _ = run("demo", "--lang", "en")
    assert code == 0 and "4 sample assessments against 10 frameworks" in out
    assert "ZERO TOLERANCE" in out  # the small workshop's child labour and retained documents
    code, out, _ = run("demo", "--lang", "vi")
    assert code == 0 and "KHÔNG KHOAN NHƯỢNG" in out and "bớt" in out


def test_the_language_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    monkeypatch.delenv("COMMONGROUND_LANG", raising=False)
    code, _, err = run("evaluate", "missing.yaml")
    assert code != 0 and "tệp hoặc thư mục không tồn tại" in err


def test_every_sample_is_valid_and_evaluates(tmp_path: Path) -> None:
    samples = sorted(
        (Path(__file__).resolve().parents[2] / "src" / "commonground" / "samples").glob("*.yaml")
    )
    assert len(samples) >= 4
    for sample in samples:
        code, out, err = run("evaluate", str(sample))
        assert code == 0, err
        assert json.loads(out)["frameworks"]


def test_a_wage_per_hour_is_not_turned_into_a_wage_per_month_by_calendar_time(tmp_path: Path) -> None:
    path = _bad(tmp_path, HEAD.replace("values:\n", "values:\n  work.wage: {value: 25500, unit: VND/h}\n"))
    code, _, err = _mini_evaluate(path, "--lang", "en")
    assert code != 0 and "'VND/h' is not converted to 'VND/month'" in err
    path = _bad(tmp_path, HEAD + "  work.wage: {value: 63720000, unit: VND/year}\n", "year.yaml")
    assert _mini_evaluate(path)[0] != 0


def test_an_answer_given_twice_is_refused(tmp_path: Path) -> None:
    path = _bad(tmp_path, HEAD + "  work.ot_month: 30\n  work.ot_month: 50\n")
    code, _, err = _mini_evaluate(path, "--lang", "vi")
    assert code != 0 and "bad.yaml:5: 'work.ot_month' được ghi hai lần ở cùng một chỗ" in err


def test_unknown_format_or_language_is_refused() -> None:
    code, _, err = _mini_evaluate(ANSWERS, "--format", "xml", "--lang", "en")
    assert code != 0 and "--format must be one of: json, text (got 'xml')" in err
    code, _, err = _mini_evaluate(ANSWERS, "--lang", "fr")
    assert code != 0 and "--lang must be one of: en, vi" in err
    code, _, err = run("questionnaire", "--format", "pdf")
    assert code != 0 and "pdf" in err
    code, _, err = run("crosswalk", "a", "b", "--format", "pdf")
    assert code != 0 and "pdf" in err


def test_the_json_names_each_parameter_value_used_with_its_source() -> None:
    code, out, _ = _mini_evaluate(ANSWERS)
    assert code == 0
    params = {p["id"]: p for p in json.loads(out)["parameters"]}
    wage = params["mini.min_wage"]
    assert (wage["value"], wage["in_force_from"], wage["source"]) == (
        4_960_000,
        "2024-07-01",
        "Decree 74/2024",
    )
    assert params["mini.ot_month"]["value"] == 40
