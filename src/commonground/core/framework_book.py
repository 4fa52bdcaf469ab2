"""A framework as an Excel workbook and back, without loss (`commonground library export|import`), so a
buyer's compliance officer can write a code of conduct in the tool they know.

The workbook has three sheets. `framework`: one row per field of the framework (key, what it means,
value). `sections` and `requirements`: one row per item, one column per field. In the item sheets
the first row names each column in the reader's language and the second row holds the field's key,
which is what the import reads (a column may be moved; a column whose key is unknown is refused).
Bilingual texts take two columns (`title.en`, `title.vi`); a field written as one text for both
languages (a citation) takes one column (`citation`). Structured fields
(`rule`, `applies_when`, `partial`, and any field this module does not know) are YAML in one cell,
their key marked `[yaml]`. No cell is a live formula: text stays text whatever it starts with.

Loss-free means: importing an exported framework gives the same framework — the same fields with
the same values — though not the same YAML layout, anchors or comments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import CommonGroundError, Lang, Problem, fail
from .i18n import gettext, gettext_noop
from .sources import parse_yaml
from .spreadsheet import put_text

FRAMEWORK_SHEET = "framework"
ITEM_SHEETS = ("sections", "requirements")
YAML_MARK = " [yaml]"
TEXT_KEYS = frozenset({"en", "vi"})
FLATTENED = frozenset({"source", "scoring"})  # mappings of scalars written one field a row
STRUCTURED = frozenset({"rule", "applies_when", "partial", "level_weights"})
HEADINGS: dict[str, str] = {
    "id": gettext_noop("Id"),
    "version": gettext_noop("Version"),
    "kind": gettext_noop("Kind (law, standard, buyer_code, improvement_index)"),
    "name": gettext_noop("Name"),
    "description": gettext_noop("Description"),
    "source.publisher": gettext_noop("Publisher"),
    "source.title": gettext_noop("Source document"),
    "source.url": gettext_noop("Source address"),
    "source.date": gettext_noop("Source date"),
    "effective_from": gettext_noop("In force from"),
    "scoring.method": gettext_noop("Scoring method"),
    "scoring.level_weights": gettext_noop("Weight of each level"),
    "notes": gettext_noop("Notes"),
    "title": gettext_noop("Title"),
    "text": gettext_noop("Requirement text"),
    "citation": gettext_noop("Citation"),
    "severity": gettext_noop("Severity (zero_tolerance, critical, major, minor)"),
    "accountable": gettext_noop("Who must act (factory, buyer, authority)"),
    "rule": gettext_noop("Rule"),
    "applies_when": gettext_noop("Applies when"),
    "partial": gettext_noop("Partly met when"),
    "section": gettext_noop("Section"),
    "level": gettext_noop("Level (1–3)"),
    "confidence": gettext_noop("Confidence"),
    "note": gettext_noop("Note"),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "severity": ("zero_tolerance", "critical", "major", "minor"),
    "accountable": ("factory", "buyer", "authority"),
    "level": ("1", "2", "3"),
    "confidence": ("confirmed", "secondary", "unverified", "uncertain"),
}


# ---- YAML data -> rows ------------------------------------------------------------------------


def builtin_data(data: Any) -> Any:
    """The YAML data as built-in dicts and lists (the reader's line-keeping kinds dropped)."""
    if isinstance(data, dict):
        return {k: builtin_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [builtin_data(v) for v in data]
    return data


def is_text(value: Any) -> bool:
    """A bilingual text: a mapping of `en` and/or `vi` to strings."""
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= TEXT_KEYS
        and all(isinstance(v, str) for v in value.values())
    )


def cells_of(key: str, value: Any) -> dict[str, Any]:
    """One field as column key -> cell value."""
    if key in FLATTENED and isinstance(value, dict):
        out: dict[str, Any] = {}
        for sub, inner in value.items():
            out.update(cells_of(f"{key}.{sub}", inner))
        return out
    if is_text(value):
        return {f"{key}.{lang}": value.get(lang) for lang in ("en", "vi")}
    if key.split(".")[-1] in STRUCTURED or isinstance(value, dict | list):
        return {key + YAML_MARK: yaml_cell(value)}
    return {key: value}


def yaml_cell(value: Any) -> str:
    """Structured data as YAML a person can read in one cell: on one line when short."""
    if value == "manual":
        return "manual"
    flow = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
    flow = flow.strip().removesuffix("...").strip()
    if len(flow) <= 100:
        return flow
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100).strip()


def item_rows(items: Iterable[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns (in the order fields first appear) and each item's cells."""
    rows = [{k: v for key, value in item.items() for k, v in cells_of(key, value).items()} for item in items]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return columns, rows


# ---- writing ----------------------------------------------------------------------------------


def write_book(raw: dict[str, Any], path: Path, lang: Lang) -> None:
    """The framework (its YAML data) as a workbook at `path`, headings in `lang`."""
    from openpyxl import Workbook

    data = builtin_data(raw)
    book = Workbook()
    _framework_sheet(book.active, data, lang)
    for name in ITEM_SHEETS:
        columns, rows = item_rows(data.get(name) or [])
        if name == "requirements":
            columns = _requirement_order(columns)
        _item_sheet(book.create_sheet(name), columns, rows, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _requirement_order(columns: list[str]) -> list[str]:
    """The columns a person reads first, first: id, section, level, title, severity, rule…"""
    first = ["id", "section", "level", "title.en", "title.vi", "severity", "accountable", "rule" + YAML_MARK]
    return [c for c in first if c in columns] + [c for c in columns if c not in first]


def heading(key: str, lang: Lang) -> str:
    base = key.removesuffix(YAML_MARK)
    field, _, sub = base.rpartition(".")
    if base in HEADINGS:
        return gettext(HEADINGS[base], lang)
    if sub in TEXT_KEYS and field in HEADINGS:
        return f"{gettext(HEADINGS[field], lang)} ({'English' if sub == 'en' else 'Tiếng Việt'})"
    return base


def _framework_sheet(ws: Any, data: dict[str, Any], lang: Lang) -> None:
    from openpyxl.styles import Alignment, Font

    ws.title = FRAMEWORK_SHEET
    ws.append([gettext("Field", lang), gettext("Meaning", lang), gettext("Value", lang)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for key, value in data.items():
        if key in ITEM_SHEETS:
            continue
        for column, cell_value in cells_of(key, value).items():
            ws.append([column, heading(column, lang), None])
            _put(ws.cell(ws.max_row, 3), cell_value)
            ws.cell(ws.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 100


def _item_sheet(ws: Any, columns: list[str], rows: list[dict[str, Any]], lang: Lang) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([heading(c, lang) for c in columns])
    ws.append(columns)
    grey = Font(color="808080", size=8)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[2]:
        cell.font = grey
    for row in rows:
        ws.append([None] * len(columns))
        for k, column in enumerate(columns, start=1):
            cell = ws.cell(ws.max_row, k)
            _put(cell, row.get(column))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B3"
    for k, column in enumerate(columns, start=1):
        wide = column.startswith(("text.", "rule", "applies_when", "partial", "description."))
        ws.column_dimensions[get_column_letter(k)].width = 60 if wide else 18 if column != "id" else 22
    _drop_downs(ws, columns, len(rows), lang)


def _put(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        put_text(cell, value)
        return
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def _drop_downs(ws: Any, columns: list[str], count: int, lang: Lang) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = max(count + 2, 3) + 200  # room for the rows a person adds
    for k, column in enumerate(columns, start=1):
        if column not in CHOICES:
            continue
        rule = DataValidation(type="list", formula1=f'"{",".join(CHOICES[column])}"', allow_blank=True)
        rule.error = gettext("Choose a value from the list.", lang)
        rule.showErrorMessage = True
        ws.add_data_validation(rule)
        letter = get_column_letter(k)
        rule.add(f"{letter}3:{letter}{last}")


# ---- reading ----------------------------------------------------------------------------------


@dataclass
class Book:
    """A framework read from a workbook: its YAML data, and the sheet row of each section and
    requirement (to name the row of a problem found later)."""

    name: str
    raw: dict[str, Any]
    rows: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> field key -> letter

    def placed(self, problems: Iterable[Problem]) -> list[Problem]:
        """Problems found in the data, named by the workbook's sheet and row instead of a YAML line:
        `requirements[3].rule.op` -> `requirements › G6 › rule.op` (the rule's cell)."""
        out = []
        for p in problems:
            match = _ITEM.match(p.where)
            where = p.where
            if match and match[1] in self.rows and int(match[2]) < len(self.rows[match[1]]):
                row, path = self.rows[match[1]][int(match[2])], match[3].lstrip(".")
                letter = self._column(match[1], path)
                where = " › ".join(
                    x for x in (match[1], f"{letter}{row}" if letter else f"#{row}", path) if x
                )
            elif not match:
                where = " › ".join(x for x in (FRAMEWORK_SHEET, p.where) if x)
            out.append(Problem(p.code, self.name, None, where, p.params))
        return out

    def _column(self, sheet: str, path: str) -> str:
        """The column of the field a problem's path is in (the longest key that starts it)."""
        keys = self.columns.get(sheet, {})
        fitting = [k for k in keys if path == k or path.startswith(k + ".")]
        return keys[max(fitting, key=len)] if fitting else ""


_ITEM = re.compile(r"^(sections|requirements)\[(\d+)\](.*)$")


def check_book(book: Book, extra: Sequence[Path | str] = ()) -> None:
    """Check the framework as `library check` would (with the library and `extra` directories;
    a framework of an id the library has is checked as its replacement); every problem named by
    sheet and row."""
    from .library import cached_library, load_library

    raw = book.raw
    if raw.get("id") in cached_library(tuple(str(e) for e in extra)).frameworks:
        raw = {**raw, "id": f"{raw['id']}--workbook"}  # checked in the place of the one it replaces
    try:
        load_library(extra, documents=[(book.name, as_yaml(raw))])
    except CommonGroundError as exc:
        raise CommonGroundError(book.placed(exc.problems)) from None


def read_book(path: Path, name: str = "") -> Book:
    """The framework from a workbook written by `write_book` (or by a person in its shape); a
    message naming the sheet, row and column for every cell that cannot be read."""
    from .imports.reading import read_document

    shown = name or path.name
    if path.suffix.lower() != ".xlsx":
        raise fail("book_format", file=shown, suffix=path.suffix or "?")
    document = read_document(path, shown)
    tables = document.tables
    if FRAMEWORK_SHEET not in tables:
        raise fail("book_sheet_missing", file=shown, sheet=FRAMEWORK_SHEET)
    problems: list[Problem] = []
    raw: dict[str, Any] = {}
    rows: dict[str, list[int]] = {}
    columns: dict[str, dict[str, str]] = {}
    for number, cells in tables[FRAMEWORK_SHEET].rows[1:]:
        key = cells[0] if cells else None
        value = cells[2] if len(cells) > 2 else None
        if isinstance(key, str) and key.strip():
            _set(raw, key.strip(), value, _Place(shown, FRAMEWORK_SHEET, number, "C"), problems)
    for sheet in ITEM_SHEETS:
        if sheet in tables:
            raw[sheet], rows[sheet], columns[sheet] = _items(tables[sheet].rows, shown, sheet, problems)
    if problems:
        raise CommonGroundError(problems)
    return Book(shown, _texts_as_labels(raw), rows, columns)


class _Place:
    def __init__(self, file: str, sheet: str, row: int, column: str) -> None:
        self.file, self.sheet, self.row, self.column = file, sheet, row, column

    def problem(self, code: str, **params: Any) -> Problem:
        return Problem(code, self.file, None, f"{self.sheet} › {self.column}{self.row}", params)


def _items(
    rows: list[tuple[int, list[Any]]], file: str, sheet: str, problems: list[Problem]
) -> tuple[list[Any], list[int], dict[str, str]]:
    from openpyxl.utils import get_column_letter

    keys_at = next((i for i, (_, cells) in enumerate(rows) if "id" in cells), None)
    if keys_at is None:
        problems.append(Problem("book_keys_missing", file, None, sheet, {"sheet": sheet}))
        return [], [], {}
    keys = [k.strip() if isinstance(k, str) else None for k in rows[keys_at][1]]
    letters = {k.removesuffix(YAML_MARK): get_column_letter(i + 1) for i, k in enumerate(keys) if k}
    items, numbers = [], []
    for number, cells in rows[keys_at + 1 :]:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        item: dict[str, Any] = {}
        for k, value in enumerate(cells):
            key = keys[k] if k < len(keys) else None
            if key:
                _set(item, key, value, _Place(file, sheet, number, get_column_letter(k + 1)), problems)
            elif value not in (None, ""):
                where = _Place(file, sheet, number, get_column_letter(k + 1))
                problems.append(where.problem("book_column_unnamed"))
        items.append(item)
        numbers.append(number)
    return items, numbers, letters


def _set(target: dict[str, Any], key: str, value: Any, place: _Place, problems: list[Problem]) -> None:
    """Put a cell's value at its dotted key (`source.title`, `title.vi`); YAML cells are parsed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    structured = key.endswith(YAML_MARK)
    key = key.removesuffix(YAML_MARK)
    if structured:
        try:
            value = builtin_data(parse_yaml(str(value), file=place.file))
        except CommonGroundError as exc:
            detail = exc.problems[0].params.get("detail", "") if exc.problems else ""
            problems.append(place.problem("book_yaml", key=key, detail=detail))
            return
    elif isinstance(value, str):
        value = value.strip()
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    parts = key.split(".")
    node = target
    for part in parts[:-1]:
        inner = node.setdefault(part, {})
        if not isinstance(inner, dict):
            problems.append(place.problem("book_key_clash", key=key))
            return
        node = inner
    node[parts[-1]] = value


def _texts_as_labels(data: Any) -> Any:
    """Texts keep the order `en`, `vi` whatever the columns' order."""
    if isinstance(data, list):
        return [_texts_as_labels(v) for v in data]
    if not isinstance(data, dict):
        return data
    if is_text(data):
        return {lang: data[lang] for lang in ("en", "vi") if lang in data}
    return {k: _texts_as_labels(v) for k, v in data.items()}


def as_yaml(raw: dict[str, Any]) -> str:
    """The framework data as a library YAML file."""
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=110)


def same_framework(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two frameworks' data are the same: every field with the same value (key order aside)."""
    return bool(builtin_data(a) == builtin_data(b))
