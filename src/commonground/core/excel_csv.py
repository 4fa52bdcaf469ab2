"""CSV files a person opens in a spreadsheet: UTF-8 with a byte-order mark (without it Excel reads
Vietnamese as mojibake), and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@")
_CONTROL = ("\t", "\r", "\n")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (even after leading spaces) starts with an
    apostrophe; numbers are left as they are."""
    if not isinstance(value, str):
        return value
    if value[:1] in _CONTROL or value.lstrip()[:1] in _FORMULA:
        return "'" + value
    return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """One line at a time (a long file streams), the first preceded by the byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out)
    prefix = BOM
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([safe_cell(c) for c in row])
        yield prefix + out.getvalue()
        prefix = ""


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The whole file as one string."""
    return "".join(csv_lines(rows))


def csv_document(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The whole file as one string, its header first (the byte-order mark even when empty)."""
    return csv_text(itertools.chain([header], rows))
