"""The facility's access log as CSV, for its own records: headers and labels in the reader's
language, UTF-8 with a byte-order mark, no cell that runs as a formula (core.excel_csv)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from commonground.core.excel_csv import csv_lines
from commonground.core.spreadsheet import Sheet
from commonground.sharing.models import AccessLogEntry


def header() -> tuple[str, ...]:
    return (
        _("Time (UTC)"),
        _("Reader"),
        _("Organisation"),
        _("Record as sealed"),
        _("What was read"),
        _("Channel"),
        _("Facility read"),  # this one, or one merged into it (decision 0040)
        _("Grant number"),
        _("Position in the sealed chain"),
    )


def _row(e: AccessLogEntry, typed: bool = False) -> tuple[object, ...]:
    read = e.read
    grant = "" if e.grant_id is None else e.grant_id
    return (
        read.at if typed else read.at.isoformat(),
        read.reader.get_username(),
        read.organisation.name,
        e.what,
        e.what_label,
        e.channel_label,
        e.facility_id,
        grant,
        "" if read.position is None else read.position,
    )


def log_csv(entries: Iterable[AccessLogEntry]) -> Iterator[str]:
    """One line at a time, so a long log streams instead of being built in memory; the description
    and channel in the active language, the record as it was sealed into the chain."""
    return csv_lines(_rows(entries))


def _rows(entries: Iterable[AccessLogEntry]) -> Iterator[tuple[object, ...]]:
    yield header()
    for e in entries:
        yield _row(e)


def log_sheet(entries: Iterable[AccessLogEntry]) -> Sheet:
    """The log as a spreadsheet sheet: the time a date-time cell (UTC), numbers as numbers."""
    return Sheet(_("Access log"), header(), (_row(e, typed=True) for e in entries))
