"""The thin writer of every spreadsheet export (decision 0029): rows a service built, written as
XLSX (numbers as numbers, dates as dates) or as CSV with a byte-order mark (core/excel_csv).

No cell is ever a live formula: text is stored as text whatever it starts with (`=`, `+`, `-`,
`@`), so a name or a note a person typed cannot run in the reader's spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import Lang
from .excel_csv import csv_document

DATE_FORMAT: dict[Lang, str] = {"vi": "dd/mm/yyyy", "en": "yyyy-mm-dd"}
DATETIME_FORMAT: dict[Lang, str] = {"vi": "dd/mm/yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass
class Sheet:
    """One sheet: its title (at most 31 characters), its header row and its rows of plain values
    (str, int, float, bool, date, datetime, None)."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def write_xlsx(sheets: Sequence[Sheet], target: Path | IO[bytes], lang: Lang = "en") -> None:
    """The workbook, written row by row (a long export never holds its cells twice)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(_title(sheet.title))
        header = []
        for value in sheet.header:
            cell = _cell(ws, WriteOnlyCell, value, lang)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append([value if _plain(value) else _cell(ws, WriteOnlyCell, value, lang) for value in row])
    book.save(target)


def xlsx_bytes(sheets: Sequence[Sheet], lang: Lang = "en") -> bytes:
    out = io.BytesIO()
    write_xlsx(sheets, out, lang)
    return out.getvalue()


def csv_of(sheet: Sheet, lang: Lang = "en") -> str:
    """One sheet as CSV (UTF-8 with the byte-order mark; dates as the reader writes them)."""
    return csv_document(sheet.header, ([_csv_value(v, lang) for v in row] for row in sheet.rows))


def _title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, "-")
    return title[:31] or "-"


_RISKY = ("=", "+", "-", "@")


def _plain(value: Any) -> bool:
    """A value the sheet can take as it is (faster than a styled cell): a number, a blank, or text
    that neither starts like a formula nor holds a character XML refuses."""
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return not value.startswith(_RISKY) and not ILLEGAL_CHARACTERS_RE.search(value)
    return False


def _cell(ws: Any, factory: Any, value: Any, lang: Lang) -> Any:
    if isinstance(value, dt.datetime):
        value = (
            value.replace(tzinfo=None)
            if value.tzinfo is None
            else value.astimezone(dt.UTC).replace(tzinfo=None)
        )
        cell = factory(ws, value=value)
        cell.number_format = DATETIME_FORMAT[lang]
        return cell
    if isinstance(value, dt.date):
        cell = factory(ws, value=value)
        cell.number_format = DATE_FORMAT[lang]
        return cell
    if isinstance(value, str):
        cell = factory(ws)
        put_text(cell, value)
        return cell
    return factory(ws, value=value)


def put_text(cell: Any, value: str) -> None:
    """Text into a cell as text, never a live formula (one starting with = stays text), without the
    control characters a workbook cannot hold. Every workbook this project writes uses it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def _csv_value(value: Any, lang: Lang) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d")
    return value
