"""The thin spreadsheet writer: numbers as numbers, dates as dates, and text that looks like a
formula stored as text (never a live formula), in XLSX and in CSV."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import load_workbook

from commonground.core.spreadsheet import Sheet, csv_of, xlsx_bytes

HOSTILE = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x.test","y")', " =1"]


def _sheet() -> Sheet:
    rows = [[text, 12, 87.5, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, 30)] for text in HOSTILE]
    return Sheet("Phát hiện: [1]/2", ["Tên", "Số", "Tỷ lệ (%)", "Ngày", "Lúc"], rows)


def test_text_that_looks_like_a_formula_stays_text_in_xlsx() -> None:
    data = xlsx_bytes([_sheet()], "vi")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula element at all
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None and ws.title == "Phát hiện- -1--2"
    cells = list(ws.iter_rows(min_row=2, values_only=False))
    assert [row[0].value for row in cells] == HOSTILE
    assert all(row[0].data_type == "s" for row in cells)


def test_numbers_are_numbers_and_dates_are_dates() -> None:
    ws = load_workbook(io.BytesIO(xlsx_bytes([_sheet()], "vi"))).active
    assert ws is not None
    assert [c.value for c in ws[1]] == ["Tên", "Số", "Tỷ lệ (%)", "Ngày", "Lúc"]
    row = ws[2]
    assert row[1].value == 12 and row[1].data_type == "n"
    assert row[2].value == 87.5
    assert row[3].value == dt.datetime(2026, 3, 1) and row[3].is_date and row[3].number_format == "dd/mm/yyyy"
    assert row[4].value == dt.datetime(2026, 3, 1, 9, 30) and row[4].is_date


def test_the_csv_has_a_byte_order_mark_and_no_formula() -> None:
    text = csv_of(_sheet(), "en")
    assert text.startswith("\ufeffTên,")
    lines = text.splitlines()[1:]
    assert all(line.startswith(("'", "\"'")) for line in lines)
    assert lines[0] == "'=1+1,12,87.5,2026-03-01,2026-03-01 09:30"
