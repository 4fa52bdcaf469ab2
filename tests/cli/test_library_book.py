"""`commonground library export|import`: a framework as an Excel workbook and back, without loss, and
a workbook a person edited read back with its problems named by sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.errors import CommonGroundError
from commonground.core.framework_book import read_book, same_framework, write_book
from commonground.core.library import SHIPPED, load_library
from commonground.core.sources import load_document, parse_yaml

runner = CliRunner()
SHIPPED_FRAMEWORKS = sorted((SHIPPED / "frameworks").glob("*.yaml"))
MY_BRAND = Path(__file__).resolve().parents[2] / "docs" / "examples" / "my-brand" / "code.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["library", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("path", SHIPPED_FRAMEWORKS, ids=lambda p: p.stem)
def test_every_shipped_framework_comes_back_from_its_workbook_unchanged(path: Path, tmp_path: Path) -> None:
    original = load_document(path, trusted=True)
    book = tmp_path / "book.xlsx"
    write_book(original, book, "vi")
    again = read_book(book).raw
    assert same_framework(original, again)
    assert len(again["requirements"]) == len(original["requirements"])


def test_the_command_line_round_trip_writes_a_file_the_library_loads(tmp_path: Path) -> None:
    book, back = tmp_path / "code.xlsx", tmp_path / "my-brand" / "code.yaml"
    back.parent.mkdir()
    assert run("export", str(MY_BRAND), "-o", str(book), "--lang", "vi")[0] == 0
    code, out, err = run("import", str(book), "-o", str(back))
    assert (code, out, err) == (0, "", "")
    assert same_framework(load_document(MY_BRAND), parse_yaml(back.read_text(encoding="utf-8"), file="x"))
    assert "my-brand-code" in load_library([back.parent]).frameworks
    code, out, _ = run("import", str(book), "-o", "-")
    assert code == 0 and out.startswith("id: my-brand-code\n")


def test_a_framework_is_exported_by_its_id_with_headings_in_the_readers_language(tmp_path: Path) -> None:
    book = tmp_path / "law.xlsx"
    assert run("export", "vn-labour-code-2019", "-o", str(book), "--lang", "vi")[0] == 0
    wb = load_workbook(book)
    assert wb.sheetnames == ["framework", "sections", "requirements"]
    requirements = wb["requirements"]
    headings = [c.value for c in requirements[1]]
    keys = [c.value for c in requirements[2]]
    assert keys[:4] == ["id", "section", "title.en", "title.vi"] and "rule [yaml]" in keys
    assert headings[keys.index("title.vi")] == "Tiêu đề (Tiếng Việt)"
    severity = keys.index("severity") + 1
    assert any(f"{chr(64 + severity)}3" in str(v.sqref) for v in requirements.data_validations.dataValidation)


def _edited(tmp_path: Path, edit: dict[str, object], *, row: int = 3) -> Path:
    book = tmp_path / "code.xlsx"
    write_book(load_document(MY_BRAND), book, "en")
    wb = load_workbook(book)
    ws = wb["requirements"]
    keys = [c.value for c in ws[2]]
    for key, value in edit.items():
        ws.cell(row, keys.index(key) + 1, value)
    wb.save(book)
    return book


def test_a_threshold_changed_in_excel_is_read_back(tmp_path: Path) -> None:
    book = _edited(
        tmp_path, {"rule [yaml]": "{dp: working_time.overtime_hours_month_max, op: <=, value: 30}"}
    )
    raw = read_book(book).raw
    assert raw["requirements"][0]["rule"] == {
        "dp": "working_time.overtime_hours_month_max",
        "op": "<=",
        "value": 30,
    }


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    raw = load_document(MY_BRAND)
    raw["requirements"][0]["title"]["en"] = '=HYPERLINK("http://x")'
    book = tmp_path / "code.xlsx"
    write_book(raw, book, "en")
    cell = load_workbook(book)["requirements"]["C3"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert read_book(book).raw["requirements"][0]["title"]["en"] == '=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("edit", "lang", "expected"),
    [
        ({"severity": "terrible"}, "en", "requirements › E3 › severity"),
        ({"rule [yaml]": "{dp: [unclosed"}, "en", "requirements › G3: the rule cell is not valid YAML"),
        (
            {"rule [yaml]": "{dp: working_time.overtime_month, op: <=, value: 30}"},
            "vi",
            "không có điểm dữ liệu",
        ),
    ],
)
def test_problems_name_the_sheet_and_row_and_nothing_is_written(
    tmp_path: Path, edit: dict[str, object], lang: str, expected: str
) -> None:
    book = _edited(tmp_path, edit)
    out = tmp_path / "out.yaml"
    code, _, err = run("import", str(book), "-o", str(out), "--lang", lang)
    assert code == 2 and expected in err and "code.xlsx" in err
    assert not out.exists()


def test_a_workbook_of_another_shape_is_refused_with_a_message(tmp_path: Path) -> None:
    from openpyxl import Workbook

    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    with pytest.raises(CommonGroundError) as caught:
        read_book(other)
    assert "has no sheet 'framework'" in caught.value.problems[0].render("en")
    code, _, err = run("import", str(MY_BRAND), "-o", str(tmp_path / "x.yaml"), "--lang", "vi")
    assert code == 2 and "không phải là sổ tính Excel" in err
    code, _, err = run("export", "no-such-framework", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "neither a framework file nor a framework id" in err
    code, _, err = run("import", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "x.txt"))
    assert code == 2 and "-o must end in .yaml" in err
