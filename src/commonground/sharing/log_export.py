"""The facility's access log as CSV, for its own records (Excel opens it; cells cannot be formulas)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from commonground.core.questionnaire_out import safe_cell
from commonground.sharing.models import AccessLogEntry

HEADER = ("at_utc", "reader", "organisation", "what", "description", "channel", "grant_id")


def log_csv(entries: Iterable[AccessLogEntry]) -> Iterator[str]:
    """One line at a time, so a long log streams instead of being built in memory; `description`
    is in the active language, `what` as recorded."""
    out = io.StringIO()
    writer = csv.writer(out)

    def line(cells: Iterable[object]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow([safe_cell(c) for c in cells])
        return out.getvalue()

    yield "\ufeff" + line(HEADER)  # the byte-order mark makes Excel read the file as UTF-8
    for e in entries:
        read = e.read
        yield line(
            (
                read.at.isoformat(),
                read.reader.get_username(),
                read.organisation.name,
                e.what,
                e.what_label,
                e.channel_label,
                "" if e.grant_id is None else e.grant_id,
            )
        )
