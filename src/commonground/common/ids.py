"""An id typed into a query or a form: digits naming a row, within the database's integers."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest id PostgreSQL's bigint and SQLite's integer hold


def parse_id(raw: str) -> int:
    """The id in `raw`; ValueError for anything else (signs, spaces, 1e400, beyond 64 bits), so that
    no lookup ever sends the database a number it cannot hold (SQLite raises OverflowError)."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > MAX_ID:
        raise ValueError(f"not an id: {text[:30]!r}")
    return int(text)


def optional_id(raw: str) -> int | None:
    """The id in `raw`, or None when there is none (a filter that is not one is no filter)."""
    try:
        return parse_id(raw)
    except ValueError:
        return None
