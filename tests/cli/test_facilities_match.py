"""The command-line contract of `commonground facilities match FILE [--against FILE] [--format json|text]`."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from commonground.cli import app

runner = CliRunner()

HEADER = ["name", "address", "country", "os_id", "tax_code"]
ROWS = [
    [
        "Tổng Công ty Cổ phần Dệt May Hòa Thọ",
        "36 Ông Ích Đường, Phường Hòa Thọ Đông, Quận Cẩm Lệ, Đà Nẵng",
        "Việt Nam",
        "",
        "",
    ],
    ["Cty Cổ phần May Việt Tiến", "07 Lê Minh Xuân, P.7, Q. Tân Bình, TP.HCM", "Việt Nam", "", ""],
    ["HOA THO TEXTILE GARMENT JSC", "36 Ong Ich Duong, Cam Le District, Da Nang City", "Vietnam", "", ""],
    ["Công ty TNHH Hyosung Đồng Nai", "KCN Nhơn Trạch 5, Huyện Nhơn Trạch, Đồng Nai", "VN", "", ""],
    ["Công ty TNHH Hyosung Đồng An", "KCN Nhơn Trạch 5, Huyện Nhơn Trạch, Đồng Nai", "VN", "", ""],
    ["Tổng Công ty May 10", "765A Nguyễn Văn Linh, Long Biên, Hà Nội", "VN", "", "0100233488"],
    ["Garment 10 Corporation", "Sài Đồng, Hà Nội", "VN", "", "0100233488"],
]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["facilities", "match", *args])
    return result.exit_code, result.stdout, result.stderr


def csv_file(
    path: Path,
    rows: list[list[str]],
    header: list[str] = HEADER,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    path.write_bytes(_windows_1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 holds it: letters with circumflex, breve or horn precomposed, the
    tone a combining mark after them."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)))
        out.append("".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def test_json_gives_groups_and_suggestions_exactly(tmp_path: Path) -> None:
    code, out, _ = run(str(csv_file(tmp_path / "list.csv", ROWS)))
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"groups", "suggestions"}
    assert data["groups"] == [[1, 3], [6, 7]]  # rows from 1 for the first data row; a lone row in none
    assert data["suggestions"] == [{"rows": [4, 5], "score": data["suggestions"][0]["score"]}]
    assert 0 < data["suggestions"][0]["score"] < 1


def test_blank_rows_are_skipped_but_keep_their_number(tmp_path: Path) -> None:
    rows = [ROWS[0], ["", "", "", "", ""], ROWS[2]]
    code, out, _ = run(str(csv_file(tmp_path / "list.csv", rows)))
    assert code == 0 and json.loads(out)["groups"] == [[1, 3]]


def test_against_gives_matches_and_suggestions_exactly(tmp_path: Path) -> None:
    mine = csv_file(
        tmp_path / "mine.csv", [ROWS[2], ROWS[4], ["Công ty TNHH Không Đâu", "Cà Mau", "VN", "", ""]]
    )
    theirs = csv_file(tmp_path / "theirs.csv", [ROWS[3], ROWS[0]])
    code, out, _ = run(str(mine), "--against", str(theirs))
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"matches", "suggestions"}
    assert [{k: m[k] for k in ("row", "against_row")} for m in data["matches"]] == [
        {"row": 1, "against_row": 2}
    ]
    assert set(data["matches"][0]) == {"row", "against_row", "score"}
    assert [s["rows"] for s in data["suggestions"]] == [[2, 1]]  # [row, against_row]


def test_xlsx_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Address", "Country", "Tax code"])
    for row in ROWS:
        sheet.append([row[0], row[1], row[2], row[4] or None])
    path = tmp_path / "list.xlsx"
    book.save(path)
    code, out, _ = run(str(path))
    assert code == 0 and json.loads(out)["groups"] == [[1, 3], [6, 7]]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-16", "\t"), ("cp1258", ","), ("utf-8", ";")]
)
def test_csv_in_the_encodings_and_separators_spreadsheets_write(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = csv_file(tmp_path / "list.csv", ROWS[:3], encoding=encoding, delimiter=delimiter)
    code, out, err = run(str(path))
    assert code == 0, err
    assert json.loads(out)["groups"] == [[1, 3]]


def test_text_is_a_table_in_either_language(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "list.csv", ROWS)
    code, out, _ = run(str(path), "--format", "text", "--lang", "vi")
    assert code == 0
    assert "Cùng một cơ sở, ghép tự động (số nhóm): 2" in out and "Cần xác nhận (gợi ý): 1" in out
    assert "HOA THO TEXTILE GARMENT JSC" in out
    code, out, _ = run(str(path), "--format", "text", "--lang", "en")
    assert "Same facility, matched automatically (groups): 2" in out


def test_text_against_names_both_rows(tmp_path: Path) -> None:
    mine = csv_file(tmp_path / "mine.csv", [ROWS[2]])
    theirs = csv_file(tmp_path / "theirs.csv", [ROWS[0]])
    code, out, _ = run(str(mine), "--against", str(theirs), "--format", "text", "--lang", "vi")
    assert code == 0 and "Ghép tự động (số dòng): 1" in out and "Dệt May Hòa Thọ" in out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "list.csv:1: the column 'country' is missing (the columns found: name, address)"),
        ("vi", "list.csv:1: thiếu cột 'country' (các cột có trong tệp: name, address)"),
    ],
)
def test_a_missing_column_is_named_in_the_readers_language(tmp_path: Path, lang: str, expected: str) -> None:
    path = csv_file(tmp_path / "list.csv", [["A", "B"]], header=["name", "address"])
    code, out, err = run(str(path), "--lang", lang)
    assert code == 2 and out == ""
    assert expected in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "row 2: the column 'name' is empty"), ("vi", "dòng 2: cột 'name' bị để trống")],
)
def test_a_row_without_a_name_is_named(tmp_path: Path, lang: str, expected: str) -> None:
    path = csv_file(tmp_path / "list.csv", [ROWS[0], ["", "Hà Nội", "VN", "", ""]])
    code, _, err = run(str(path), "--lang", lang)
    assert code == 2 and expected in err


@pytest.mark.parametrize(
    ("content", "lang", "expected"),
    [
        (b"", "en", "the file has no rows of data under its header"),
        (b"name,address,country\n", "vi", "tệp không có dòng dữ liệu nào dưới dòng tiêu đề"),
        (
            b"name,address,country\n\x81\x8d\x8f,\x90,\x9d\n",
            "en",
            "not text in UTF-8, UTF-16 or Windows-1258",
        ),
        (b"PK\x03\x04 not really a workbook", "vi", "không đọc được tệp"),
        (
            b"name,address,country\n\x81\x8d,x,y\n",
            "vi",
            "tệp không phải văn bản UTF-8, UTF-16 hay Windows-1258",
        ),
    ],
)
def test_bad_files_give_a_message_and_exit_code_2(
    tmp_path: Path, content: bytes, lang: str, expected: str
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    code, out, err = run(str(path), "--lang", lang)
    assert code == 2 and out == ""
    assert expected in err and "Traceback" not in err


def test_a_missing_file_and_a_wrong_format_are_refused(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nowhere.csv"), "--lang", "vi")
    assert code == 2 and "nowhere.csv" in err
    path = csv_file(tmp_path / "list.csv", ROWS)
    code, _, err = run(str(path), "--format", "yaml")
    assert code == 2 and "--format" in err
    code, _, err = run(str(path), "--against", str(tmp_path / "none.xlsx"))
    assert code == 2 and "none.xlsx" in err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1258"])
def test_names_read_back_as_written_whatever_the_encoding(tmp_path: Path, encoding: str) -> None:
    from commonground.core.identity import read_facilities

    path = csv_file(tmp_path / "list.csv", ROWS[:2], encoding=encoding)
    assert [f.name for f in read_facilities(path)] == [ROWS[0][0], ROWS[1][0]]
