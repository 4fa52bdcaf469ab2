"""The library's parameters as a reader lists them: each value with the dates it holds, its source and
how sure we are of it (`commonground library params`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import numbers
from .errors import Lang
from .i18n import gettext, pgettext
from .report import json_value
from .text import text_in
from .units import unit_word

if TYPE_CHECKING:
    from .library import Library
    from .parameters import Parameter, ParameterRow


def chosen(lib: Library, prefixes: list[str] | None = None) -> list[Parameter]:
    """The parameters whose id starts with one of `prefixes` (all when none)."""
    wanted = prefixes or []
    return [p for pid, p in sorted(lib.parameters.items()) if not wanted or pid.startswith(tuple(wanted))]


def rows_of(parameter: Parameter, on: dt.date | None) -> list[ParameterRow]:
    """Every row, or only the row in force on `on`."""
    if on is None:
        return list(parameter.values)
    row = parameter.row_on(on)
    return [row] if row is not None else []


def last_day(parameter: Parameter, index: int) -> dt.date | None:
    """The last day row `index` holds: its `until`, else the day before the next row, else open."""
    row = parameter.values[index]
    if row.until is not None:
        return row.until
    if index + 1 < len(parameter.values):
        return parameter.values[index + 1].from_ - dt.timedelta(days=1)
    return None


def parameters_dict(
    lib: Library, lang: Lang, prefixes: list[str] | None = None, on: dt.date | None = None
) -> dict[str, Any]:
    """JSON: `{"on": date|null, "parameters": [{id, label, unit, key, rows: [{from, until, value|by_key,
    confidence, source, note}]}]}`; `until` is the last day a row holds (null: still in force)."""
    out = []
    for p in chosen(lib, prefixes):
        rows = []
        for row in rows_of(p, on):
            until = last_day(p, p.values.index(row))
            entry: dict[str, Any] = {"from": row.from_.isoformat(), "until": until and until.isoformat()}
            entry.update(
                {"by_key": {k: json_value(v) for k, v in row.by_key.items()}}
                if row.by_key is not None
                else {"value": json_value(row.value)}
            )
            entry.update(confidence=row.confidence, source=text_in(row.source, lang), note=row.note)
            rows.append(entry)
        out.append({"id": p.id, "label": text_in(p.label, lang), "unit": p.unit, "key": p.key, "rows": rows})
    return {"on": on and on.isoformat(), "parameters": out}


def parameters_text(
    lib: Library, lang: Lang, prefixes: list[str] | None = None, on: dt.date | None = None
) -> str:
    """A readable listing: each parameter, then one line per dated value (keyed values indented)."""
    blocks = []
    for p in chosen(lib, prefixes):
        unit = unit_word(p.unit, lang)
        head = f"{p.id} — {text_in(p.label, lang)}" + (f" ({unit})" if unit else "")
        lines = [head]
        if p.key:
            point = lib.datapoints.get(p.key)
            by = text_in(point.label, lang) if point is not None else p.key
            lines.append("  " + gettext("by {answer} ({id})", lang).format(answer=by, id=p.key))
        for row in rows_of(p, on):
            lines.extend(_row_lines(p, row, lang))
        if len(lines) == 1 + bool(p.key):
            lines.append("  " + gettext("no value in force on that day", lang))
        blocks.append("\n".join(lines))
    if not blocks:
        return gettext("No parameter has that id.", lang)
    return "\n\n".join(blocks)


def _row_lines(p: Parameter, row: ParameterRow, lang: Lang) -> list[str]:
    until = last_day(p, p.values.index(row))
    span = f"{_day(row.from_, lang)} → {_day(until, lang) if until else '…'}"
    sure = pgettext("confidence", row.confidence, lang)
    source = text_in(row.source, lang)
    if row.by_key is None:
        return [f"  {span}  {_value(row.value, lang)}  [{sure}]  {source}"]
    keyed = [f"    {key}: {_value(value, lang)}" for key, value in row.by_key.items()]
    return [f"  {span}  [{sure}]  {source}", *keyed]


def _value(value: float | None, lang: Lang) -> str:
    return "—" if value is None else numbers.format_number(value, lang)


def _day(day: dt.date, lang: Lang) -> str:
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()
