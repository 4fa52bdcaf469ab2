"""`commonground import` and the xlsx template, end to end: every shipped profile's sample, the
template round trip, and bad files that write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from commonground.cli import app
from commonground.samples.imports import make_samples

runner = CliRunner()
SAMPLES = Path(make_samples.__file__).resolve().parent


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _import(path: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run("import", str(path), "-o", str(out), *extra)


def _values(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["values"]  # type: ignore[no-any-return]


def _evaluates(path: Path) -> dict[str, object]:
    code, out, err = run("evaluate", str(path), "--format", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


# ---- each shipped profile imports its sample ------------------------------------------------------


def test_the_slcp_style_workbook_imports_and_evaluates(tmp_path: Path) -> None:
    out = tmp_path / "slcp.yaml"
    code, stdout, err = _import(SAMPLES / "slcp-style-workbook.xlsx", out)
    assert code == 0, err
    assert "profile slcp-style-workbook" in stdout  # found without naming it
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["facility"] == {"name": "Công ty TNHH May Sông Lam (fictional)"}
    assert data["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    values = data["values"]
    assert values["facility.workers_total"]["value"] == 1240  # "1.240"
    assert values["working_time.overtime_hours_month_max"] == {
        "value": 38.5,
        "unit": "h",
        "source": {"file": "slcp-style-workbook.xlsx", "sheet": "Data Collection", "row": 17},
    }
    assert values["wages.lowest_base_wage_month_vnd"]["value"] == 4_980_000  # "4.980.000 đ"
    assert values["wages.paid_by_bank_transfer_pct"]["value"] == 96  # a 96 % cell
    assert values["fire_safety.last_drill_date"]["value"] == "2026-10-15"
    assert values["facility.processes"]["value"] == ["cutting", "embroidery", "sewing"]  # marked X
    assert values["grievance.channels"]["value"] == ["hotline", "suggestion_box", "union"]
    assert "fp-bi-2" not in json.dumps(values)  # the address is listed as unmapped
    assert _evaluates(out)["frameworks"]


def test_the_higg_style_csv_converts_units(tmp_path: Path) -> None:
    out = tmp_path / "fem.json"
    code, _, err = _import(SAMPLES / "higg-style-fem.csv", out, "--profile", "higg-style-fem-csv")
    assert code == 0, err
    values = json.loads(out.read_text(encoding="utf-8"))["values"]
    assert values["energy.electricity_kwh"]["value"] == 1_850_000  # 1,850 MWh
    assert values["energy.diesel_l"]["value"] == pytest.approx(9085.0, rel=1e-3)  # 2,400 US gallons
    assert values["water.municipal_m3"]["value"] == 185_000  # "Cubic meters"
    assert values["energy.renewable_share_pct"]["value"] == 6  # 0.06
    assert values["env_management.legal_register"]["value"] == "partial"
    assert "water.groundwater_m3" not in values  # N/A
    assert values["waste.hazardous_t"]["source"] == {"file": "higg-style-fem.csv", "row": 20}
    assert _evaluates(out)["frameworks"]


def test_the_brand_audit_sheet_reads_vietnamese_answers(tmp_path: Path) -> None:
    out = tmp_path / "audit.yaml"
    code, _, err = _import(SAMPLES / "brand-audit-sheet.xlsx", out)
    assert code == 0, err
    values = _values(out)
    assert values["child_labour.age_verification_at_hiring"]["value"] is True  # type: ignore[index]
    assert values["forced_labour.identity_documents_retained"]["value"] is False  # type: ignore[index]
    assert values["contracts.written_contracts_pct"]["value"] == 98  # type: ignore[index]
    assert values["chemicals.inventory_complete"]["value"] == "partial"  # type: ignore[index]
    assert values["wages.pay_forms"]["value"] == ["piece_rate"]  # type: ignore[index]
    assert _evaluates(out)["frameworks"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1258"])
def test_the_csv_imports_in_the_encodings_excel_and_older_tools_write(tmp_path: Path, encoding: str) -> None:
    from tests.core.test_imports import cp1258

    text = (SAMPLES / "higg-style-fem.csv").read_text(encoding="utf-8")
    source = tmp_path / "fem.csv"
    if encoding == "utf-16":  # Excel's "Unicode text": UTF-16 and tab-separated
        source.write_bytes(text.replace(",", "\t").replace("\t000", ",000").encode("utf-16"))
    else:
        source.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    out = tmp_path / "fem.yaml"
    code, _, err = _import(source, out)
    assert code == 0, err
    values = _values(out)
    assert values["energy.electricity_kwh"]["value"] == 1_850_000  # type: ignore[index]
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["facility"]["name"].startswith("Tan Phu")


# ---- the contract: stdout, dry run, idempotence ---------------------------------------------------


def test_standard_output_and_idempotence(tmp_path: Path) -> None:
    sample = SAMPLES / "slcp-style-workbook.xlsx"
    code, stdout, _ = run("import", str(sample), "-o", "-")
    assert code == 0 and yaml.safe_load(stdout)["values"]["facility.workers_total"]["value"] == 1240
    out = tmp_path / "a.yaml"
    assert _import(sample, out)[0] == 0
    first = out.read_bytes()
    assert first.decode("utf-8") == stdout
    mtime = out.stat().st_mtime_ns
    code, message, _ = _import(sample, out, "--lang", "vi")
    assert code == 0 and "không thay đổi" in message
    assert out.read_bytes() == first and out.stat().st_mtime_ns == mtime


def test_a_dry_run_reports_every_row_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "never.yaml"
    code, stdout, _ = run(
        "import", str(SAMPLES / "slcp-style-workbook.xlsx"), "--dry-run", "--format", "json", "-o", str(out)
    )
    assert code == 0 and not out.exists()
    report = json.loads(stdout)
    assert report["counts"] == {"ok": 24, "skipped": 4, "error": 0}
    rows = {r["key"]: r for r in report["rows"]}
    assert len(rows) == 28  # every question row of the sheet
    assert rows["fp-bi-2"]["status"] == "skipped" and rows["fp-bi-2"]["reason"] == "unmapped"
    assert rows["fp-pr-3"]["reason"] == "blank"
    assert rows["wh-ot-1"] == {
        "sheet": "Data Collection",
        "row": 17,
        "key": "wh-ot-1",
        "datapoint": "working_time.overtime_hours_month_max",
        "read": "38,5",
        "status": "ok",
        "value": 38.5,
    }
    code, text, _ = run("import", str(SAMPLES / "higg-style-fem.csv"), "--dry-run", "--lang", "vi")
    assert code == 0 and "bỏ qua (không áp dụng)" in text and "đọc được" in text


def test_facility_and_period_fill_what_the_file_does_not_say(tmp_path: Path) -> None:
    wb = load_workbook(SAMPLES / "slcp-style-workbook.xlsx")
    ws = wb["Data Collection"]
    for row in ws.iter_rows(min_row=3):
        if row[1].value in ("fp-bi-1", "fp-rp-1", "fp-rp-2"):
            row[3].value = None
    source = tmp_path / "blank.xlsx"
    wb.save(source)
    out = tmp_path / "a.yaml"
    code, _, err = _import(source, out, "--lang", "en")
    assert code == 2 and not out.exists()
    assert "give its name with --facility" in err and "--period START:END" in err
    code, _, err = _import(source, out, "--facility", "Xưởng B", "--period", "2025-01-01:2025-12-31")
    assert code == 0, err
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["facility"]["name"] == "Xưởng B" and data["period"]["end"] == "2025-12-31"
    code, _, err = _import(source, out, "--period", "2025-12-31")
    assert code == 2 and "--period must be START:END" in err


# ---- the template round trip ----------------------------------------------------------------------


def _fill(path: Path, answers: dict[str, object]) -> None:
    wb = load_workbook(path)
    ws = wb["Câu hỏi - Questions"]
    assert ws["H1"].value == "Trả lời / Answer"
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for dp, answer in answers.items():
        ws.cell(rows[dp], 8).value = answer
    wb.save(path)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_template_round_trip(tmp_path: Path, lang: str) -> None:
    template = tmp_path / "q.xlsx"
    code, _, err = run(
        "questionnaire",
        "--format",
        "xlsx",
        "-o",
        str(template),
        "--facility",
        "Xưởng may Minh Anh",
        "--period",
        "2026-01-01:2026-12-31",
        "--lang",
        lang,
    )
    assert code == 0, err
    wb = load_workbook(template)
    assert wb.sheetnames[:2] == ["Cơ sở - Facility", "Câu hỏi - Questions"]
    assert wb["Cơ sở - Facility"]["B3"].value == "Xưởng may Minh Anh"
    questions = wb["Câu hỏi - Questions"]
    ids = [questions.cell(r, 1).value for r in range(2, questions.max_row + 1)]
    assert len(ids) == len(set(ids)) > 300  # one row per data point
    rules = {dv.formula1 for dv in questions.data_validations.dataValidation}
    assert '"yes,partial,no,N.A."' in rules
    assert ('"Có,Không,N.A."' if lang == "vi" else '"Yes,No,N.A."') in rules
    _fill(
        template,
        {
            "facility.sector": "garment",
            "facility.minimum_wage_region": "1",
            "working_time.overtime_hours_month_max": "44 giờ",
            "working_time.overtime_voluntary": "Có" if lang == "vi" else "Yes",
            "wages.lowest_base_wage_month_vnd": "5.310.000",
            "fire_safety.evacuation_drills_year": 1,
            "env_management.ems_policy": "N.A.",
        },
    )
    out = tmp_path / "answers.yaml"
    code, stdout, err = _import(template, out)  # no --profile: the template is recognised
    assert code == 0, err
    assert "commonground-template" in stdout
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert data["values"]["working_time.overtime_hours_month_max"]["value"] == 44
    assert data["values"]["wages.lowest_base_wage_month_vnd"]["value"] == 5_310_000
    assert "env_management.ems_policy" not in data["values"]
    result = _evaluates(out)
    finding = next(f for f in result["findings"] if f["datapoint"] == "working_time.overtime_hours_month_max")
    assert finding["value"] == 44


# ---- bad files: the row and the column named, nothing written --------------------------------------


def _broken_slcp(tmp_path: Path, key: str, answer: object, new_key: str | None = None) -> Path:
    wb = load_workbook(SAMPLES / "slcp-style-workbook.xlsx")
    ws = wb["Data Collection"]
    for row in ws.iter_rows(min_row=3):
        if row[1].value == key:
            row[3].value = answer
            if new_key:
                row[1].value = new_key
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("key", "answer", "new_key", "en", "vi"),
    [
        (
            "wh-ot-1",
            "800",
            None,
            "sheet 'Data Collection', row 17, column D (Response): 800 is outside the allowed range 0 – 744 h",
            "trang 'Data Collection', dòng 17, cột D (Response):",
        ),
        (
            "fp-bi-7",
            "Maybe",
            None,
            "row 9, column D (Response): 'Maybe' is not an answer this profile reads",
            "dòng 9, cột D (Response): 'Maybe' không phải câu trả lời",
        ),
        (
            "wh-ot-2",
            "2 8 0 h",
            "zz-99",
            "row 18, column B (Question Key): the question 'zz-99' is neither mapped nor listed as unmapped",
            "dòng 18, cột B (Question Key): câu hỏi 'zz-99' không được ánh xạ",
        ),
        (
            "hs-fs-2",
            "31/02/2026",
            None,
            "row 27, column D (Response): '31/02/2026' is not a date (write dd/mm/yyyy)",
            "'31/02/2026' không phải là ngày",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    tmp_path: Path, key: str, answer: object, new_key: str | None, en: str, vi: str
) -> None:
    source = _broken_slcp(tmp_path, key, answer, new_key)
    out = tmp_path / "out.yaml"
    out.write_text("before\n", encoding="utf-8")
    code, _, err = _import(source, out, "--lang", "en")
    assert code == 2 and en in err, err
    assert out.read_text(encoding="utf-8") == "before\n"  # all or nothing
    code, _, err = _import(source, out, "--lang", "vi")
    assert code == 2 and vi in err, err
    code, stdout, _ = run("import", str(source), "--dry-run", "--format", "json", "--lang", "en")
    assert code == 2
    errors = [r for r in json.loads(stdout)["rows"] if r["status"] == "error"]
    assert len(errors) == 1 and errors[0]["column"] in ("B", "D")


def test_a_wrong_sheet_or_file_is_refused_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    audit = SAMPLES / "brand-audit-sheet.xlsx"
    code, _, err = _import(audit, out, "--profile", "slcp-style-workbook", "--lang", "en")
    assert code == 2 and "the sheet 'Data Collection' is not in the file (its sheets: Audit)" in err
    code, _, err = _import(audit, out, "--profile", "slcp-style-workbook", "--lang", "vi")
    assert code == 2 and "tệp không có trang 'Data Collection'" in err
    code, _, err = _import(audit, out, "--profile", "nope")
    assert code == 2 and "unknown import profile 'nope'" in err
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = _import(odd, out, "--lang", "en")
    assert code == 2 and "no import profile recognises this file" in err
    code, _, err = run("import", str(audit), "-o", str(tmp_path / "out.txt"))
    assert code == 2 and "-o must end in .yaml, .yml or .json" in err
    code, _, err = run("import", str(audit))
    assert code == 2 and "give the file to write with -o" in err
    assert not out.exists()


def test_a_formula_is_read_never_run(tmp_path: Path) -> None:
    source = _broken_slcp(tmp_path, "wh-ot-2", "=SUM(1,2)")  # written by a program: no stored result
    code, _, err = _import(source, tmp_path / "out.yaml", "--lang", "en")
    assert code == 2 and "row 18, column D (Response): the cell holds a formula" in err


EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import-profile"


def test_the_worked_example_of_the_library_guide_holds(tmp_path: Path) -> None:
    code, out, _ = run("library", "check", str(EXAMPLE))
    assert code == 0 and "5 import profiles" in out
    answers = tmp_path / "answers.yaml"
    code, _, err = run(
        "import", str(EXAMPLE / "minh-anh-audit.csv"), "--library", str(EXAMPLE), "-o", str(answers)
    )
    assert code == 0, err
    values = _values(answers)
    assert values["working_time.overtime_hours_month_max"] == {
        "value": 41,
        "unit": "h",
        "source": {"file": "minh-anh-audit.csv", "row": 5},
    }
    assert values["osh.workers_trained_pct"]["value"] == 90  # type: ignore[index]
    code, _, err = run(
        "evaluate", str(answers), "--library", str(EXAMPLE), "-f", "vn-labour-code-2019", "--format", "json"
    )
    assert code == 0, err
