"""Reading the file to import: the rows of an .xlsx sheet or of a .csv file, in whatever encoding
Excel or an older tool wrote it.

Spreadsheet cells are read as the values the spreadsheet stored (`data_only`): a formula is never
run here; a formula whose result was never stored is reported. A percentage cell is read as the
per cent it shows (0.875 formatted as % reads 87.5).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import fail

MAX_BYTES = 20_000_000  # a questionnaire is small; a larger upload is refused before it is read
MAX_ROWS = 20_000
MAX_COLUMNS = 200  # a question-per-row sheet has a handful; a wider one is read up to here


@dataclass
class Table:
    """One sheet: its name ("" for a CSV file) and its rows, numbered as the spreadsheet numbers them."""

    sheet: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column) with an unstored result

    def row(self, number: int) -> list[Any]:
        for n, cells in self.rows:
            if n == number:
                return cells
        return []

    def cell(self, number: int, column: int) -> Any:
        cells = self.row(number)
        return cells[column] if column < len(cells) else None


@dataclass
class Document:
    """The file: its kind (xlsx or csv), its name for messages and its tables by sheet name."""

    name: str
    kind: str
    tables: dict[str, Table]
    encoding: str = ""
    text: str = ""  # a CSV file's text, to read again with a profile's delimiter

    @property
    def first(self) -> Table:
        return next(iter(self.tables.values()))


def read_document(path: Path, name: str = "") -> Document:
    """The file's tables; a message naming the file when it cannot be read."""
    shown = name or path.name
    if not path.exists():
        raise fail("file_missing", file=shown)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise fail("import_too_large", file=shown, size=size, max=MAX_BYTES)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return Document(shown, "xlsx", _read_xlsx(path, shown))
    if suffix in (".csv", ".txt", ".tsv"):
        text, encoding = decode(path.read_bytes(), shown)
        try:
            return Document(shown, "csv", {"": read_csv(text)}, encoding, text)
        except csv.Error as exc:  # a field over the csv module's limit, a stray NUL
            raise fail("file_unreadable", file=shown, detail=str(exc)[:120]) from None
    raise fail("import_format", file=shown, suffix=suffix or "?")


# ---- xlsx ---------------------------------------------------------------------------------------


def _read_xlsx(path: Path, shown: str) -> dict[str, Table]:
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = load_workbook(path, read_only=True, data_only=True)
        try:
            tables = {ws.title: _table(ws) for ws in values.worksheets}
        finally:
            values.close()
        _mark_unstored_formulas(path, tables)
    except (BadZipFile, OSError, KeyError, ValueError, TypeError, ParseError, InvalidFileException) as exc:
        raise fail("file_unreadable", file=shown, detail=type(exc).__name__) from None
    return tables


def _table(ws: Any) -> Table:
    table = Table(ws.title)
    # Rows come in order from the first, missing ones as empty: the count is the row's number (a
    # cell of a read-only sheet that is empty does not know its row).
    for number, cells in enumerate(ws.iter_rows(min_row=1), start=1):
        if number > MAX_ROWS:
            break
        if cells:
            table.rows.append((number, [_value(c) for c in cells[:MAX_COLUMNS]]))
    return table


def _value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    percent = "%" in str(getattr(cell, "number_format", "") or "")
    if isinstance(value, int | float) and not isinstance(value, bool) and percent:
        return round(float(value) * 100, 9)  # what the sheet shows: 0.875 as 87.5 %
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def _mark_unstored_formulas(path: Path, tables: dict[str, Table]) -> None:
    """Cells holding a formula whose result the file does not store (written by a program, never
    opened in a spreadsheet): their value would silently read as blank, so they are recorded."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        for ws in formulas.worksheets:
            table = tables.get(ws.title)
            if table is None:
                continue
            stored = {n: cells for n, cells in table.rows}
            for cells in ws.iter_rows(max_row=MAX_ROWS):
                for k, cell in enumerate(cells[:MAX_COLUMNS]):
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.startswith("="):
                        row = stored.get(cell.row, [])
                        if k >= len(row) or row[k] is None:
                            table.formulas.add((cell.row, k))
    finally:
        formulas.close()


# ---- csv ----------------------------------------------------------------------------------------

# Tried in this order: a byte-order mark decides; then UTF-8; then UTF-16 without a mark (every
# other byte zero); then Windows-1258, the Vietnamese code page of older Windows tools (any byte
# decodes there, so it comes last).
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, shown: str = "") -> tuple[str, str]:
    """The text of `data` and the encoding it was written in (NFC: Windows-1258 writes tone marks
    as combining characters)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decoded(data, encoding, shown), encoding
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) >= 2 and data.count(b"\x00") * 3 >= len(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _decoded(data, encoding, shown), encoding
    return _decoded(data, "cp1258", shown), "cp1258"


def _decoded(data: bytes, encoding: str, shown: str) -> str:
    try:
        return unicodedata.normalize("NFC", data.decode(encoding))
    except UnicodeDecodeError as exc:
        raise fail("import_encoding", file=shown, encoding=encoding, position=exc.start) from None


def read_csv(text: str, delimiter: str | None = None) -> Table:
    """The rows of a CSV text; the delimiter (comma, semicolon or tab: Excel's "Unicode text" is
    tab-separated) is the one the first lines use most, unless a profile names it."""
    if delimiter is None:
        head = "\n".join(text.splitlines()[:5])
        delimiter = max(",;\t", key=head.count)
    table = Table("")
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if number > MAX_ROWS:
            break
        table.rows.append((number, [c if c.strip() else None for c in cells[:MAX_COLUMNS]]))
    return table
