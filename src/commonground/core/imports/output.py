"""What an import gives back: the assessment file (YAML or JSON, each answer with its source) and
the report of every row (text or JSON), in the reader's language."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..catalogue import Value
from ..errors import Lang
from ..i18n import gettext, gettext_noop
from ..library import Library
from ..numbers import echo
from .run import ImportResult, RowOutcome


def plain(value: Value | Any) -> Any:
    """A canonical value as a YAML/JSON value: 44.0 -> 44, a set -> a sorted list, a date -> ISO."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def assessment_dict(result: ImportResult, lib: Library) -> dict[str, Any]:
    """The assessment file `commonground evaluate` reads: each answer `{value, unit, source}`."""
    assert result.start is not None and result.end is not None
    values: dict[str, Any] = {}
    for dp_id, value in result.values.items():
        answer: dict[str, Any] = {"value": plain(value)}
        unit = lib.datapoints[dp_id].unit
        if unit and unit != "count":
            answer["unit"] = unit
        answer["source"] = result.sources[dp_id]
        values[dp_id] = answer
    return {
        "facility": dict(result.facility),
        "period": {"start": result.start.isoformat(), "end": result.end.isoformat()},
        "values": values,
    }


def dump(data: dict[str, Any], kind: str) -> str:
    """The file's text: JSON, or YAML (the same every time for the same data: idempotent)."""
    if kind == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def output_kind(target: str) -> str | None:
    """json | yaml for a target path (`-`: YAML on the standard output); None when neither."""
    if target == "-":
        return "yaml"
    suffix = Path(target).suffix.lower()
    return {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(suffix)


def write_atomically(path: Path, text: str) -> bool:
    """Write `text` to `path` in one step (a temporary file renamed over it); False, and nothing
    touched, when the file already holds exactly this text (importing the same file twice)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".import-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


# ---- the report ---------------------------------------------------------------------------------

STATUS_WORDS = {
    "ok": gettext_noop("ok"),
    "unmapped": gettext_noop("skipped (unmapped)"),
    "blank": gettext_noop("skipped (no answer)"),
    "not_applicable": gettext_noop("skipped (not applicable)"),
    "error": gettext_noop("error"),
}
_HEAD = gettext_noop("{file}: profile {profile}; {ok} ok, {skipped} skipped, {errors} errors")
_META = {
    "facility": gettext_noop("facility"),
    "period_start": gettext_noop("period start"),
    "period_end": gettext_noop("period end"),
}


def _status(row: RowOutcome) -> str:
    return row.why if row.status == "skipped" else row.status


def _counts(result: ImportResult) -> dict[str, int]:
    counts = {"ok": 0, "skipped": 0, "error": 0}
    for row in result.rows:
        counts[row.status] += 1
    counts["error"] += sum(1 for p in result.problems if p.code not in ("import_cell", "import_cell_sheet"))
    return counts


def report_dict(result: ImportResult, lang: Lang) -> dict[str, Any]:
    return {
        "file": result.file,
        "profile": result.profile.id,
        "facility": result.facility.get("name"),
        "period": {
            "start": result.start.isoformat() if result.start else None,
            "end": result.end.isoformat() if result.end else None,
        },
        "counts": _counts(result),
        "fills": list(result.profile.filled()),  # what the profile can fill, and leaves out
        "unmapped": [u.key for u in result.profile.unmapped],
        "rows": [_row_dict(row, lang) for row in result.rows],
        "problems": [p.render(lang) for p in result.problems],
    }


def _row_dict(row: RowOutcome, lang: Lang) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sheet": row.sheet or None,
        "row": row.row,
        "key": row.key,
        "datapoint": row.datapoint or None,
        "read": plain(row.read),
        "status": row.status,
    }
    if row.status == "ok":
        out["value"] = plain(row.value)
    if row.status == "skipped":
        out["reason"] = row.why
    if row.problem is not None:
        out["column"] = row.problem.params.get("column")
        out["message"] = row.problem.params["reason"].in_lang(lang)
    return out


def report_text(result: ImportResult, lang: Lang) -> str:
    counts = _counts(result)
    lines = [
        gettext(_HEAD, lang).format(
            file=result.file,
            profile=result.profile.id,
            ok=counts["ok"],
            skipped=counts["skipped"],
            errors=counts["error"],
        )
    ]
    for row in result.rows:
        place = f"{row.sheet}!{row.row}" if row.sheet else str(row.row)
        target = gettext(_META[row.datapoint], lang) if row.datapoint in _META else (row.datapoint or "–")
        read = "" if row.read is None else echo(str(plain(row.read)))
        status = gettext(STATUS_WORDS[_status(row)], lang)
        if row.status == "ok":
            status += f" → {echo(str(plain(row.value)))}"
        if row.problem is not None:
            column = row.problem.params.get("column", "")
            status += f" [{column}]: " + row.problem.params["reason"].in_lang(lang)
        lines.append(f"{place:>8}  {row.key:<28} {target:<48} {read!r:<24} {status}")
    lines += [p.render(lang) for p in result.problems if p.code not in ("import_cell", "import_cell_sheet")]
    return "\n".join(lines)


_DONE = gettext_noop("{answers} answers from {file} (profile {profile}) → {target}")
_SAME = gettext_noop(
    "{answers} answers from {file} (profile {profile}): {target} already holds them, unchanged"
)


def summary_text(outcome: Any, lang: Lang) -> str:
    """One line after a real import: how many answers went where (or that nothing changed)."""
    result = outcome.result
    message = _DONE if outcome.changed else _SAME
    return gettext(message, lang).format(
        answers=len(result.values), file=result.file, profile=result.profile.id, target=outcome.written_to
    )
