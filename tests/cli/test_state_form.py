"""`commonground state-form FILE --form ID -o OUT.xlsx|OUT.pdf`: the labour-law self-inspection
form from a sample assessment, read back with openpyxl and pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from commonground.cli import app

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[2] / "src/commonground/samples/01-garment-hcmc-2026.yaml"


def test_the_form_as_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = runner.invoke(
        app, ["state-form", str(SAMPLE), "--form", "vn-labour-self-inspection", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert str(out) in result.stdout and not (tmp_path / "form.xlsx.part").exists()
    book = load_workbook(out)
    rows = {r[0]: r for r in book["Phiếu tự kiểm tra"].iter_rows(min_row=2, values_only=True)}
    assert rows["0.1"][2] == "Công ty TNHH May xuất khẩu Hưng Thịnh Phát"
    assert rows["5.4"][2] == "Không"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils: make pdf-tools")
def test_the_form_as_pdf_keeps_its_diacritics(tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    result = runner.invoke(app, ["state-form", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("PHIẾU TỰ KIỂM TRA", "Tổng số lao động", "chưa có dữ liệu", "Các mục chưa có dữ liệu"):
        assert words in text


def test_a_wrong_output_or_form_is_refused_in_the_readers_language(tmp_path: Path) -> None:
    result = runner.invoke(app, ["state-form", str(SAMPLE), "-o", str(tmp_path / "form.txt")])
    assert result.exit_code == 2 and "OUT.xlsx, OUT.pdf, OUT.html" in result.stderr
    result = runner.invoke(app, ["state-form", str(SAMPLE), "--form", "nope", "-o", str(tmp_path / "f.xlsx")])
    assert result.exit_code == 2 and "không có biểu mẫu 'nope'" in result.stderr
    assert not list(tmp_path.iterdir())
