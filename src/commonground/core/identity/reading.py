"""Facility lists as people hold them: CSV (UTF-8 with or without a byte-order mark, UTF-16 as Excel
writes "Unicode text", or Windows-1258) or XLSX, with the Open Supply Hub upload columns."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import CommonGroundError, fail
from .scoring import Facility

REQUIRED = ("name", "address", "country")
OPTIONAL = ("os_id", "tax_code", "sector", "number_of_workers", "lat", "lng")
MAX_BYTES = 50 * 1024 * 1024


def read_facilities(path: Path) -> list[Facility]:
    """The rows of a facility list, numbered from 1 for the first data row (blank rows are skipped
    but keep their number)."""
    return [facility for facility, _ in read_list(path)]


def read_list(path: Path, extra: Sequence[str] = ()) -> list[tuple[Facility, dict[str, str]]]:
    """The rows of a facility list, each with the values of the `extra` columns the file has (a
    supplier list's contact, say; "" where a column is absent)."""
    data = _bytes(path)
    table = _xlsx_rows(data, path) if data[:4] == b"PK\x03\x04" else _csv_rows(_text(data, path))
    return _facilities(table, path, extra)


def _bytes(path: Path) -> bytes:
    if not path.is_file():
        raise fail("file_missing", file=str(path))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise fail("list_too_large", file=str(path), size=size, max=MAX_BYTES)
    return path.read_bytes()


def _text(data: bytes, path: Path) -> str:
    """The text of a CSV file in whichever of our encodings decodes it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data[:4096]:
        encodings = ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be",)
    else:
        encodings = ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise fail("encoding_unknown", file=str(path))


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(data: bytes, path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise fail("file_unreadable", file=str(path), detail=type(exc).__name__) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value))


def _header(cells: Sequence[str], path: Path) -> dict[str, int]:
    columns = {"_".join(c.strip().casefold().split()): i for i, c in reversed(list(enumerate(cells)))}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(c for c in cells if c.strip()) or "—"
        raise fail("list_column_missing", file=str(path), line=1, column=missing[0], found=found)
    return columns


def _facilities(
    table: list[list[str]], path: Path, extra: Sequence[str]
) -> list[tuple[Facility, dict[str, str]]]:
    if not table or not any(c.strip() for c in table[0]):
        raise fail("list_empty", file=str(path))
    columns = _header(table[0], path)
    found: list[tuple[Facility, dict[str, str]]] = []
    problems = []
    for number, cells in enumerate(table[1:], start=1):
        if not any(c.strip() for c in cells):
            continue
        values = {k: cells[i].strip() if i < len(cells) else "" for k, i in columns.items()}
        if not values["name"]:
            problems.append(fail("cell_empty", file=str(path), row=number, column="name"))
            continue
        facility = Facility(row=number, **{k: values.get(k, "") for k in (*REQUIRED, *OPTIONAL)})
        found.append((facility, {k: values.get(k, "") for k in extra}))
    _raise_all(problems)
    if not found:
        raise fail("list_empty", file=str(path))
    return found


def _raise_all(errors: Iterable[CommonGroundError]) -> None:
    problems = [p for e in errors for p in e.problems]
    if problems:
        raise CommonGroundError(problems[:20])
