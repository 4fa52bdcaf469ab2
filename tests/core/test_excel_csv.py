"""CSV files a person opens in a spreadsheet: a byte-order mark first, no cell runs as a formula."""

from __future__ import annotations

import csv
import io

from commonground.core.excel_csv import BOM, csv_document, csv_lines, csv_text, safe_cell


def test_the_file_starts_with_one_byte_order_mark_and_reads_back() -> None:
    text = csv_text([("Tỉnh", "Giá trị"), ("Thành phố Hồ Chí Minh", 5200000)])
    assert text.startswith(BOM) and text.count(BOM) == 1
    assert list(csv.reader(io.StringIO(text.removeprefix(BOM)))) == [
        ["Tỉnh", "Giá trị"],
        ["Thành phố Hồ Chí Minh", "5200000"],
    ]
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_a_cell_that_would_be_a_formula_is_written_as_text() -> None:
    rows = list(csv_lines([("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "ok", -3)]))
    assert rows == [BOM + "'=HYPERLINK(1),'+1,'-2,'@SUM(A1),ok,-3\r\n"]
    assert safe_cell(5) == 5 and safe_cell("\tx") == "'\tx"
    assert safe_cell("  =1+1") == "'  =1+1" and safe_cell("\nx") == "'\nx" and safe_cell("a-b") == "a-b"


def test_a_document_is_its_header_then_its_rows() -> None:
    assert csv_document(["Tên", "Số"], [["=x", 1]]) == BOM + "Tên,Số\r\n'=x,1\r\n"
    assert csv_document(["Tên"], []) == BOM + "Tên\r\n"


def test_an_empty_file_is_empty_and_lines_stream_one_at_a_time() -> None:
    assert csv_text([]) == ""
    lines = csv_lines(iter([("a",), ("b",)]))
    assert next(lines) == BOM + "a\r\n" and next(lines) == "b\r\n"
