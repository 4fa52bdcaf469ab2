"""The import: a file read through a profile into answers, one outcome per row.

`import_file` never writes anything; it returns every row's outcome (ok, skipped, error) and the
assessment the rows make. The caller writes the assessment only when there is no error (all or
nothing).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..catalogue import Value, ValueProblem
from ..errors import CommonGroundError, Lang, Problem, fail
from ..library import Library
from ..numbers import echo
from . import transforms
from .profile import ImportProfile, Mapping, Place, normal_key
from .reading import Document, Table, read_csv, read_document

Status = Literal["ok", "skipped", "error"]


@dataclass(frozen=True)
class Reason:
    """A problem's message as part of another message, in the reader's language."""

    code: str
    params: dict[str, Any]

    def in_lang(self, lang: Lang) -> str:
        return Problem(self.code, params=self.params).message(lang)


@dataclass(frozen=True)
class RowOutcome:
    sheet: str
    row: int
    key: str
    read: Any  # the answer as the file holds it
    status: Status
    datapoint: str = ""
    value: Value | None = None
    why: str = ""  # skipped: unmapped | blank | not_applicable; ok: facility | period_start | period_end
    problem: Problem | None = None


@dataclass
class ImportResult:
    file: str
    profile: ImportProfile
    facility: dict[str, Any] = field(default_factory=dict)
    start: dt.date | None = None
    end: dt.date | None = None
    rows: list[RowOutcome] = field(default_factory=list)
    values: dict[str, Value] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Columns:
    key: int
    answer: int
    unit: int | None
    headings: list[str]


def import_file(
    path: Path | str,
    lib: Library,
    profile_id: str | None = None,
    *,
    facility: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    name: str = "",
) -> ImportResult:
    """Read `path` through the profile named (or the one that recognises the file); `facility` and
    `period` fill what the file does not say. Raises CommonGroundError only when the file cannot be
    read at all (wrong format, wrong sheet, missing columns); row problems are in the result."""
    doc = read_document(Path(path), name)
    profile = lib_profile(lib, profile_id) if profile_id else detect(doc, lib)
    table = _table(doc, profile)
    columns = _columns(doc, profile, table)
    result = ImportResult(doc.name, profile)
    _read_rows(result, doc, profile, table, columns, lib)
    _meta(result, doc, profile, table, columns, facility, period)
    result.rows.sort(key=lambda r: (r.sheet == table.sheet, r.row))  # the facility sheet first
    result.problems = [r.problem for r in result.rows if r.problem is not None] + result.problems
    return result


def lib_profile(lib: Library, profile_id: str) -> ImportProfile:
    if profile_id not in lib.imports:
        raise fail("unknown_profile", id=profile_id, known=", ".join(sorted(lib.imports)))
    return lib.imports[profile_id]


# ---- which profile, which sheet, which columns --------------------------------------------------


def detect(doc: Document, lib: Library) -> ImportProfile:
    """The one profile whose sheet and column headings the file has."""
    found = [p for _, p in sorted(lib.imports.items()) if _recognises(doc, p)]
    named = [p for p in found if p.layout.sheet]  # a named sheet is the stronger sign
    if len(found) == 1 or len(named) == 1:
        return found[0] if len(found) == 1 else named[0]
    if found:
        raise fail("import_ambiguous", file=doc.name, ids=", ".join(p.id for p in found))
    known = ", ".join(p.id for p in lib.imports.values() if p.layout.format in (doc.kind, "any"))
    raise fail("import_no_profile", file=doc.name, known=known or "–")


def _recognises(doc: Document, profile: ImportProfile) -> bool:
    if profile.layout.format not in (doc.kind, "any"):
        return False
    try:
        table = _table(doc, profile)
        _columns(doc, profile, table)
    except CommonGroundError:
        return False
    return True


def _table(doc: Document, profile: ImportProfile) -> Table:
    layout = profile.layout
    if layout.format not in (doc.kind, "any"):
        raise fail("import_wrong_kind", file=doc.name, id=profile.id, expected=layout.format, kind=doc.kind)
    if doc.kind == "csv":
        if not layout.delimiter:
            return doc.first
        try:
            return read_csv(doc.text, layout.delimiter)
        except csv.Error as exc:
            raise fail("file_unreadable", file=doc.name, detail=str(exc)[:120]) from None
    if layout.sheet is None:
        return doc.first
    wanted = normal_key(layout.sheet)
    for title, table in doc.tables.items():
        if normal_key(title) == wanted:
            return table
    raise fail("sheet_missing", file=doc.name, sheet=layout.sheet, sheets=", ".join(doc.tables))


def _columns(doc: Document, profile: ImportProfile, table: Table) -> Columns:
    layout = profile.layout
    headings = ["" if c is None else str(c) for c in table.row(layout.header_row)]
    if layout.shape == "wide":
        return _wide_columns(doc, profile, table, headings)
    found = {normal_key(h): k for k, h in reversed(list(enumerate(headings))) if h}
    indexes: dict[str, int | None] = {}
    for role, heading in (("key", layout.key), ("answer", layout.answer), ("unit", layout.unit)):
        if heading is None:
            indexes[role] = None
            continue
        if normal_key(heading) not in found:
            raise fail(
                "column_missing",
                file=doc.name,
                heading=heading,
                row=layout.header_row,
                sheet=table.sheet or "–",
            )
        indexes[role] = found[normal_key(heading)]
    key, answer = indexes["key"], indexes["answer"]
    assert key is not None and answer is not None
    return Columns(key, answer, indexes["unit"], headings)


def _wide_columns(doc: Document, profile: ImportProfile, table: Table, headings: list[str]) -> Columns:
    """A wide file is recognised by a heading that is one of the questions the profile maps; the
    facility's and the period's columns may be missing (then --facility and --period say them)."""
    known = _known_keys(profile)
    mapped = frozenset(profile.by_key()) | profile.meta_keys()
    if not any(_wide_key(h, known) in mapped for h in headings if h):
        raise fail(
            "column_missing",
            file=doc.name,
            heading=profile.mappings[0].key if profile.mappings else "–",
            row=profile.layout.header_row,
            sheet=table.sheet or "–",
        )
    return Columns(0, 0, None, headings)


def _known_keys(profile: ImportProfile) -> frozenset[str]:
    return frozenset(profile.by_key()) | profile.unmapped_keys() | profile.meta_keys()


def _wide_key(heading: str, known: frozenset[str]) -> str:
    """A wide file's column heading as a key: the heading, or its part after a group prefix
    (`labour/wages__paid_on_time` as Kobo writes it, `labour-wages__paid_on_time` as ODK Central
    does) when that part is a key the profile knows."""
    whole = normal_key(heading)
    if whole in known:
        return whole
    for k, char in enumerate(whole):
        if char in "/-" and whole[k + 1 :] in known:
            return whole[k + 1 :]
    return whole


def _submission(doc: Document, profile: ImportProfile, table: Table) -> tuple[int, list[Any]] | None:
    """The one submission a wide file holds (its row number and cells); a file with several is
    refused: one assessment is one submission."""
    rows = [
        (n, cells)
        for n, cells in table.rows
        if n > profile.layout.header_row and not all(transforms.blank(c) for c in cells)
    ]
    if len(rows) > 1:
        raise fail(
            "import_many_submissions", file=doc.name, count=len(rows), rows=f"{rows[0][0]}–{rows[-1][0]}"
        )
    return rows[0] if rows else None


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


# ---- the rows -----------------------------------------------------------------------------------


def _cell_problem(
    doc: Document, table: Table, row: int, column: int, headings: list[str], code: str, params: dict[str, Any]
) -> Problem:
    heading = headings[column] if column < len(headings) else ""
    where = {
        "row": row,
        "column": column_letter(column),
        "heading": heading or "–",
        "reason": Reason(code, params),
    }
    if table.sheet:
        return Problem("import_cell_sheet", doc.name, params={"sheet": table.sheet, **where})
    return Problem("import_cell", doc.name, params=where)


def _read_rows(
    result: ImportResult, doc: Document, profile: ImportProfile, table: Table, columns: Columns, lib: Library
) -> None:
    if profile.layout.shape == "wide":
        _read_submission(result, doc, profile, table, columns, lib)
        return
    by_key = profile.by_key()
    unmapped, meta = profile.unmapped_keys(), profile.meta_keys()
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        if number <= profile.layout.header_row:
            continue
        key_cell = cells[columns.key] if columns.key < len(cells) else None
        if transforms.blank(key_cell):
            continue  # not a question: a title, a section heading's blank key, an empty line
        key = str(key_cell).strip()
        read = cells[columns.answer] if columns.answer < len(cells) else None
        norm = normal_key(key)
        if norm in meta:
            continue  # read by _meta
        mappings = by_key.get(norm) or _auto(profile, key, lib)
        if not mappings:
            outcome = _unmatched(doc, table, number, key, read, columns, profile, norm in unmapped)
            result.rows.append(outcome)
            continue
        for m in mappings:
            result.rows.append(_one(result, doc, table, number, key, cells, columns, m, lib, first_row))


def _read_submission(
    result: ImportResult, doc: Document, profile: ImportProfile, table: Table, columns: Columns, lib: Library
) -> None:
    """A wide file: each column of its one submission row is a question, its heading the key."""
    found = _submission(doc, profile, table)
    if found is None:
        return
    number, cells = found
    by_key, unmapped, meta = profile.by_key(), profile.unmapped_keys(), profile.meta_keys()
    known = _known_keys(profile)
    first_row: dict[str, int] = {}
    for k, heading in enumerate(columns.headings):
        if not heading.strip():
            continue
        key = _wide_key(heading, known)
        if key in meta:
            continue  # read by _meta
        here = Columns(k, k, None, columns.headings)
        read = cells[k] if k < len(cells) else None
        mappings = by_key.get(key) or _auto(profile, heading.strip(), lib)
        if not mappings:
            result.rows.append(_unmatched(doc, table, number, heading, read, here, profile, key in unmapped))
            continue
        for m in mappings:
            result.rows.append(_one(result, doc, table, number, heading, cells, here, m, lib, first_row))


def _auto(profile: ImportProfile, key: str, lib: Library) -> list[Mapping]:
    if profile.keys_are_datapoints and key in lib.datapoints:
        return [Mapping(key=key, datapoint=key)]
    return []


def _unmatched(
    doc: Document,
    table: Table,
    number: int,
    key: str,
    read: Any,
    columns: Columns,
    profile: ImportProfile,
    listed: bool,
) -> RowOutcome:
    if listed or profile.unknown_keys == "skip":
        return RowOutcome(table.sheet, number, key, read, "skipped", why="unmapped")
    problem = _cell_problem(
        doc, table, number, columns.key, columns.headings, "key_unknown", {"key": echo(key), "id": profile.id}
    )
    return RowOutcome(table.sheet, number, key, read, "error", problem=problem)


def _one(
    result: ImportResult,
    doc: Document,
    table: Table,
    number: int,
    key: str,
    cells: list[Any],
    columns: Columns,
    m: Mapping,
    lib: Library,
    first_row: dict[str, int],
) -> RowOutcome:
    dp = lib.datapoints[m.datapoint]
    read = cells[columns.answer] if columns.answer < len(cells) else None

    def error(column: int, code: str, **params: Any) -> RowOutcome:
        problem = _cell_problem(doc, table, number, column, columns.headings, code, params)
        return RowOutcome(table.sheet, number, key, read, "error", dp.id, problem=problem)

    if (number, columns.answer) in table.formulas:
        return error(columns.answer, "formula_unstored")
    unit, unit_problem = _unit(result.profile, cells, columns)
    if unit_problem is not None:
        assert columns.unit is not None
        return error(columns.unit, "unknown_unit", unit=unit_problem)
    try:
        value = transforms.apply(m, dp, read, unit, result.profile.numbers)
    except ValueProblem as exc:
        column = columns.unit if exc.code.startswith("unit_") and columns.unit is not None else columns.answer
        return error(column, exc.code, **exc.params)
    if value is None:
        why = "not_applicable" if transforms.not_applicable(read) else "blank"
        return RowOutcome(table.sheet, number, key, read, "skipped", dp.id, why=why)
    if dp.id in result.values:
        if m.transform != "mark_x" or dp.type != "multi-enum":
            return error(columns.key, "answered_twice", id=dp.id, first=first_row[dp.id])
        value = frozenset(result.values[dp.id]) | frozenset(value)  # type: ignore[arg-type]
    else:
        first_row[dp.id] = number
        result.sources[dp.id] = _source(doc, table, number)
    result.values[dp.id] = value
    return RowOutcome(table.sheet, number, key, read, "ok", dp.id, value)


def _source(doc: Document, table: Table, number: int) -> dict[str, Any]:
    source: dict[str, Any] = {"file": doc.name}
    if table.sheet:
        source["sheet"] = table.sheet
    source["row"] = number
    return source


def _unit(profile: ImportProfile, cells: list[Any], columns: Columns) -> tuple[str | None, str | None]:
    """(the unit the row gives, or None; the unit word when it is unknown)."""
    from .. import units

    if columns.unit is None or columns.unit >= len(cells) or transforms.blank(cells[columns.unit]):
        return None, None
    word = str(cells[columns.unit]).strip()
    table = {normal_key(k): v for k, v in profile.units.items()}
    unit = table.get(normal_key(word)) or units.parse_unit_word(word)
    if unit is None or unit == "count":
        return (None, None) if unit == "count" else (None, echo(word))
    return unit, None


# ---- the facility and the period ----------------------------------------------------------------


def _meta(
    result: ImportResult,
    doc: Document,
    profile: ImportProfile,
    table: Table,
    columns: Columns,
    facility: str | None,
    period: tuple[dt.date, dt.date] | None,
) -> None:
    name = _place(result, doc, profile, table, columns, profile.facility, "facility")
    result.facility = {"name": str(name).strip()} if not transforms.blank(name) else {}
    if not result.facility and facility:
        result.facility = {"name": facility}
    dates = [
        _place(result, doc, profile, table, columns, place, why)
        for place, why in ((profile.period_start, "period_start"), (profile.period_end, "period_end"))
    ]
    start, end = (d if isinstance(d, dt.date) else None for d in dates)
    if (start is None or end is None) and period is not None:
        start, end = start or period[0], end or period[1]
    result.start, result.end = start, end
    if not result.facility:
        result.problems.append(Problem("import_facility_missing", doc.name))
    if start is None or end is None:
        result.problems.append(Problem("import_period_missing", doc.name))
    elif start > end:
        result.problems.append(Problem("period_invalid", doc.name))


def _place(
    result: ImportResult,
    doc: Document,
    profile: ImportProfile,
    table: Table,
    columns: Columns,
    place: Place | None,
    why: str,
) -> Any:
    """The facility's name or a period date where the profile says the file gives it; None when
    the file leaves it blank; a date is read (dd/mm/yyyy or a date cell)."""
    if place is None:
        return None
    found = _locate(doc, profile, table, columns, place)
    if found is None:
        return None
    where, number, column, raw = found
    if transforms.blank(raw):
        return None
    if why == "facility":
        result.rows.append(
            RowOutcome(where.sheet, number, place.key or place.cell or "", raw, "ok", why, raw)
        )
        return raw
    try:
        day = transforms.read_date(raw)
    except ValueProblem as exc:
        problem = _cell_problem(
            doc, where, number, column, columns.headings if where is table else [], exc.code, exc.params
        )
        result.rows.append(
            RowOutcome(where.sheet, number, place.key or place.cell or "", raw, "error", why, problem=problem)
        )
        return None
    result.rows.append(RowOutcome(where.sheet, number, place.key or place.cell or "", raw, "ok", why, day))
    return day


def _locate(
    doc: Document, profile: ImportProfile, table: Table, columns: Columns, place: Place
) -> tuple[Table, int, int, Any] | None:
    if place.key is not None and profile.layout.shape == "wide":
        found = _submission(doc, profile, table)
        known = _known_keys(profile)
        for k, heading in enumerate(columns.headings):
            if found is not None and heading and _wide_key(heading, known) == normal_key(place.key):
                number, cells = found
                return table, number, k, cells[k] if k < len(cells) else None
        return None
    if place.key is not None:
        wanted = normal_key(place.key)
        for number, cells in table.rows:
            key = (
                cells[columns.key]
                if number > profile.layout.header_row and columns.key < len(cells)
                else None
            )
            if not transforms.blank(key) and normal_key(key) == wanted:
                raw = cells[columns.answer] if columns.answer < len(cells) else None
                return table, number, columns.answer, raw
        return None
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    assert place.cell is not None
    letters, number = coordinate_from_string(place.cell)
    column = column_index_from_string(letters) - 1
    sheet = _sheet(doc, place.sheet) if place.sheet else table
    return sheet, number, column, sheet.cell(number, column)


def _sheet(doc: Document, name: str) -> Table:
    for title, table in doc.tables.items():
        if normal_key(title) == normal_key(name):
            return table
    raise fail("sheet_missing", file=doc.name, sheet=name, sheets=", ".join(doc.tables))
