"""Assessments as files: a facility, a period and the answers, checked against the catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import Value, ValueProblem, normalise
from .errors import CommonGroundError, Problem
from .library import Library
from .sources import line_of, load_document


@dataclass(frozen=True)
class Assessment:
    """One facility's answers for one period. Values are canonical (see catalogue.normalise)."""

    facility: dict[str, Any]
    start: dt.date
    end: dt.date
    values: dict[str, Value] = field(default_factory=dict)
    source: str = ""
    # Where an answer came from when a file was imported: {file, sheet, row} (core/imports).
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.facility.get("name", self.source or "?"))

    def name_in(self, lang: str) -> str:
        """The facility's name in that language where the file gives one (`name_vi`, `name_en`)."""
        return str(self.facility.get(f"name_{lang}") or self.name)


def read_assessment(path: Path | str, lib: Library) -> Assessment:
    """Read and check an assessment file (YAML or JSON); raise CommonGroundError listing every problem."""
    path = Path(path)
    raw = load_document(path)
    return build_assessment(raw, lib, file=str(path))


def build_assessment(raw: Any, lib: Library, *, file: str = "") -> Assessment:
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise CommonGroundError([Problem("not_a_mapping", file, getattr(raw, "line", None))])
    for key in ("facility", "period", "values"):
        if key not in raw:
            problems.append(Problem("field_missing", file, line_of(raw, ()), "", {"field": key}))
    for key in sorted(set(raw) - {"facility", "period", "values"}):
        problems.append(Problem("field_unknown", file, line_of(raw, (key,)), "", {"field": key}))
    if problems:
        raise CommonGroundError(problems)
    facility = _facility(raw, file, problems)
    start, end = _period(raw, file, problems)
    provenance: dict[str, dict[str, Any]] = {}
    values = _values(raw, lib, file, problems, provenance)
    if problems:
        raise CommonGroundError(problems)
    assert start is not None and end is not None
    return Assessment(facility, start, end, values, file, provenance)


def _facility(raw: dict[str, Any], file: str, problems: list[Problem]) -> dict[str, Any]:
    facility = raw["facility"]
    if isinstance(facility, str):
        return {"name": facility}
    if not isinstance(facility, dict) or "name" not in facility:
        problems.append(
            Problem("field_missing", file, line_of(raw, ("facility",)), "facility", {"field": "name"})
        )
        return {}
    return dict(facility)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _period(raw: dict[str, Any], file: str, problems: list[Problem]) -> tuple[dt.date | None, dt.date | None]:
    period = raw["period"]
    line = line_of(raw, ("period",))
    if not isinstance(period, dict):
        problems.append(Problem("period_invalid", file, line, "period"))
        return None, None
    start, end = _date(period.get("start")), _date(period.get("end"))
    if start is None or end is None or start > end:
        problems.append(Problem("period_invalid", file, line, "period"))
    return start, end


def _values(
    raw: dict[str, Any],
    lib: Library,
    file: str,
    problems: list[Problem],
    provenance: dict[str, dict[str, Any]],
) -> dict[str, Value]:
    given = raw["values"]
    if not isinstance(given, dict):
        problems.append(Problem("not_a_mapping", file, line_of(raw, ("values",)), "values"))
        return {}
    values: dict[str, Value] = {}
    for dp_id, answer in given.items():
        where, line = f"values.{dp_id}", _line_of_key(raw, dp_id)
        dp = lib.datapoints.get(str(dp_id))
        if dp is None:
            problems.append(Problem("unknown_datapoint", file, line, where, {"id": dp_id}))
            continue
        value, unit = _split(answer)
        if isinstance(answer, dict) and "value" in answer:
            if not _answer_keys_ok(answer, file, line, where, problems):
                continue
            if "source" in answer:
                provenance[dp.id] = dict(answer["source"])
        if value is None:
            continue  # an explicit blank is "not answered"
        try:
            values[dp.id] = normalise(dp, value, unit)
        except ValueProblem as exc:
            problems.append(Problem(exc.code, file, line, where, exc.params))
    return values


_ANSWER_KEYS = ("value", "unit", "source")


def _answer_keys_ok(
    answer: dict[str, Any], file: str, line: int | None, where: str, problems: list[Problem]
) -> bool:
    """`{value, unit, source}` and nothing else; a source is `{file, sheet, row}` (sheet and row optional)."""
    before = len(problems)
    for key in sorted(set(answer) - set(_ANSWER_KEYS), key=str):
        problems.append(Problem("field_unknown", file, line, where, {"field": key}))
    if "source" in answer and not _source_ok(answer["source"]):
        problems.append(Problem("source_invalid", file, line, f"{where}.source"))
    return len(problems) == before


def _source_ok(source: Any) -> bool:
    if not isinstance(source, dict) or not isinstance(source.get("file"), str):
        return False
    if set(source) - {"file", "sheet", "row"}:
        return False
    row = source.get("row")
    sheet_ok = isinstance(source.get("sheet", ""), str)
    return sheet_ok and (row is None or (isinstance(row, int) and not isinstance(row, bool) and row >= 1))


def _split(answer: Any) -> tuple[Any, str | None]:
    """`44` -> (44, None); `{value: 44, unit: h}` -> (44, 'h')."""
    if isinstance(answer, dict) and "value" in answer:
        unit = answer.get("unit")
        return answer["value"], None if unit is None else str(unit)
    return answer, None


def _line_of_key(raw: dict[str, Any], dp_id: Any) -> int | None:
    return line_of(raw, ("values", dp_id))
