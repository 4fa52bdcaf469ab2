"""`commonground report FILE --format pdf|xlsx --lang vi|en -o OUT`: the facility report of an
assessment file, read back (pdftotext, openpyxl); a bad file or option is a message in the chosen
language, exit code 2, and nothing written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from commonground.cli import app
from tests.pdf_tools import require_poppler

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[2] / "src/commonground/samples/01-garment-hcmc-2026.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def pdf_text(path: Path) -> str:
    require_poppler()
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "vi",
            [
                "Báo cáo cơ sở",
                "Công ty TNHH May xuất khẩu Hưng Thịnh Phát",
                "01/01/2026 – 31/12/2026",
                "Bộ luật Lao động 2019 và các văn bản hướng dẫn",
                "Mức bao phủ và tuân thủ theo từng bộ tiêu chuẩn",
                "Số giờ làm thêm nhiều nhất trong một tháng = 48 giờ",
                "Mục tiêu ràng buộc",
                "Cấp độ theo từng phần",
                "Xếp hạng E (Không chấp nhận được)",  # the example buyer code's rating
            ],
        ),
        (
            "en",
            [
                "Facility report",
                "Hung Thinh Phat Export Garment Co., Ltd.",
                "1 Jan 2026 – 31 Dec 2026",
                "Labour Code 2019",
                "Coverage and compliance per framework",
                "Binding targets",
                "Rating E (Unacceptable)",
            ],
        ),
    ],
)
def test_the_pdf_reads_back_in_each_language(tmp_path: Path, lang: str, words: list[str]) -> None:
    out = tmp_path / f"report-{lang}.pdf"
    code, stdout, err = run("report", str(SAMPLE), "--format", "pdf", "--lang", lang, "-o", str(out))
    assert code == 0, err
    assert str(out) in stdout
    assert out.read_bytes().startswith(b"%PDF-")
    text = " ".join(pdf_text(out).split())
    for expected in words:
        assert expected in text, expected
    assert "Bộ luật Lao động" in text if lang == "vi" else "Bộ luật" not in text


def test_the_xlsx_has_the_results_export_and_the_levels_and_targets(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    code, _, err = run("report", str(SAMPLE), "--format", "xlsx", "--lang", "vi", "-o", str(out))
    assert code == 0, err
    book = load_workbook(out)
    assert book.sheetnames == [
        "Tổng quan",
        "Các yêu cầu",
        "Phát hiện",
        "Cấp độ theo từng phần",
        "Mục tiêu ràng buộc",
    ]
    summary = list(book["Tổng quan"].iter_rows(values_only=True))
    labour = next(r for r in summary if r[0] == "Bộ luật Lao động 2019 và các văn bản hướng dẫn")
    assert all(isinstance(x, int) for x in labour[1:5])  # met, not met, unknown, n/a: numbers
    targets = [r[0] for r in book["Mục tiêu ràng buộc"].iter_rows(min_row=2, values_only=True)]
    assert "Số giờ làm thêm nhiều nhất trong một tháng" in targets


@pytest.mark.parametrize(
    ("lang", "words"),
    [("vi", "Lỗi: "), ("en", "Error: ")],
)
def test_a_bad_file_is_a_message_in_the_language_and_nothing_is_written(
    tmp_path: Path, lang: str, words: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("facility: {name: X}\nperiod: {start: 2026-13-01, end: 2026-12-31}\nvalues: {}\n")
    out = tmp_path / "out.pdf"
    code, _, err = run("report", str(bad), "--format", "pdf", "--lang", lang, "-o", str(out))
    assert code == 2
    assert err.startswith(words) and "bad.yaml" in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_a_missing_file_a_wrong_format_and_an_unwritable_output(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    code, _, err = run("report", str(tmp_path / "none.yaml"), "--lang", "vi", "-o", str(out))
    assert code == 2 and "không tồn tại" in err and not out.exists()
    code, _, err = run("report", str(SAMPLE), "--format", "docx", "--lang", "en", "-o", str(out))
    assert code == 2 and "--format must be one of: pdf, xlsx (got 'docx')" in err and not out.exists()
    code, _, err = run("report", str(SAMPLE), "--format", "pdf", "--lang", "fr", "-o", str(out))
    assert code == 2 and "--lang" in err and not out.exists()
    missing = tmp_path / "no-such-folder" / "out.pdf"
    code, _, err = run("report", str(SAMPLE), "--format", "xlsx", "--lang", "en", "-o", str(missing))
    assert code == 2 and "Error: the file " in err and "cannot be written: No such file or directory" in err
    assert list(tmp_path.iterdir()) == []
