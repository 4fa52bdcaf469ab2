"""CSV for people: UTF-8 with a byte-order mark (so that Excel reads the diacritics), and no cell
that a spreadsheet would run as a formula.

Kept small and separate so that it can be folded into the shared CSV module of the web layer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
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


def csv_document(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([safe_cell(c) for c in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()
