"""Import profiles: library files that map an external file's questions to data points.

A profile says where the answers are (the sheet, the heading of the key column and of the answer
column), which key fills which data point through which value transform, and which keys it leaves
unmapped on purpose. `check_profiles` checks every reference against the catalogue, so
`commonground library check` reports a profile's mistakes with file and line like a framework's.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

from pydantic import Field

from .. import units
from ..catalogue import DataPoint
from ..errors import Problem
from ..sources import format_loc, line_of
from ..text import Model, Text

Transform = Literal[
    "auto", "yes_no", "yes_partial_no", "number", "percent", "fraction", "vnd", "date_dmy", "multi",
    "mark_x", "text", "map",
]  # fmt: skip
"""The value transforms a mapping may name (core/imports/transforms.py does each)."""

# Which data point types each transform can fill.
TRANSFORM_TYPES: dict[str, tuple[str, ...]] = {
    "auto": ("boolean", "integer", "decimal", "enum", "multi-enum", "date", "text"),
    "yes_no": ("boolean",),
    "yes_partial_no": ("enum",),
    "number": ("integer", "decimal"),
    "percent": ("integer", "decimal"),
    "fraction": ("integer", "decimal"),
    "vnd": ("integer", "decimal"),
    "date_dmy": ("date",),
    "multi": ("multi-enum",),
    "mark_x": ("multi-enum",),
    "text": ("text",),
    "map": ("boolean", "enum", "multi-enum", "text"),
}


def normal_key(text: Any) -> str:
    """A key or heading as compared: NFC, spaces collapsed, case folded (`FP-BI-3 ` = `fp-bi-3`)."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


class Layout(Model):
    """Where the answers are. `rows`: one question per row, its key in one column, its answer in
    another. `wide`: one submission per row (an ODK Central or KoboToolbox export), a column per
    question whose heading is the key (a group prefix `group/` or `group-` is ignored)."""

    format: Literal["xlsx", "csv", "any"]  # any: either (an export offered as CSV and as XLSX)
    shape: Literal["rows", "wide"] = "rows"
    sheet: str | None = None  # xlsx: the sheet's name; the first sheet when not given
    header_row: int = Field(default=1, ge=1, le=50)
    key: str = ""  # rows: the heading of the column holding each question's key
    answer: str = ""  # rows: the heading of the answer column
    unit: str | None = None  # the heading of a column giving each answer's unit, if the file has one
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)  # csv; sniffed when absent


class Place(Model):
    """Where the file says the facility's name or a period date: a row's key or a sheet's cell."""

    key: str | None = None
    sheet: str | None = None
    cell: str | None = Field(default=None, pattern=r"^[A-Z]{1,3}[1-9][0-9]{0,5}$")


class Mapping(Model):
    key: str
    datapoint: str
    transform: str = "auto"  # one of Transform: checked with the library, every mistake at once
    unit: str | None = None  # the unit the answer is written in when the file does not say
    option: str | None = None  # mark_x: the option this row's mark selects
    values: dict[str, str] = {}  # map: answer as written -> option code (or true / false)
    note: Text | None = None


class Unmapped(Model):
    key: str
    note: Text


class ImportProfile(Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: Text
    description: Text
    layout: Layout
    numbers: Literal["en", "vi"] = "en"  # how numbers written as text are read (87.5 or 87,5)
    keys_are_datapoints: bool = False  # a key that is a data point's id fills it (our own template)
    unknown_keys: Literal["error", "skip"] = "error"  # a key neither mapped nor listed as unmapped
    units: dict[str, str] = {}  # unit words of the file -> the unit (m³ khối -> m3)
    facility: Place | None = None
    period_start: Place | None = None
    period_end: Place | None = None
    mappings: tuple[Mapping, ...] = ()
    unmapped: tuple[Unmapped, ...] = ()

    def by_key(self) -> dict[str, list[Mapping]]:
        """Mappings by their normalised key (one key may mark several options: mark_x)."""
        out: dict[str, list[Mapping]] = {}
        for m in self.mappings:
            out.setdefault(normal_key(m.key), []).append(m)
        return out

    def unmapped_keys(self) -> frozenset[str]:
        return frozenset(normal_key(u.key) for u in self.unmapped)

    def meta_keys(self) -> frozenset[str]:
        places = (self.facility, self.period_start, self.period_end)
        return frozenset(normal_key(p.key) for p in places if p is not None and p.key)

    def filled(self) -> tuple[str, ...]:
        """The data points this profile fills, in the order it lists them."""
        return tuple(dict.fromkeys(m.datapoint for m in self.mappings))


class ImportFile(Model):
    """A library file of kind `import`: one profile."""

    import_: ImportProfile = Field(alias="import")


# ---- checking against the catalogue -----------------------------------------------------------


def check_profile(
    profile: ImportProfile, datapoints: dict[str, DataPoint], raw: Any, file: str, problems: list[Problem]
) -> None:
    """Every mapping's data point, transform, option and unit checked; each problem with its line."""
    base = ("import",)
    seen: dict[str, str] = {}  # normalised key -> where the profile first maps it
    for index, m in enumerate(profile.mappings):
        loc = (*base, "mappings", index)
        _check_mapping(m, datapoints, raw, file, loc, problems)
        key = normal_key(m.key)
        if m.transform != "mark_x" and key in seen:
            problems.append(_problem("duplicate_id", raw, file, (*loc, "key"), id=m.key, first=seen[key]))
        seen.setdefault(key, format_loc((*loc, "key")))
    for index, u in enumerate(profile.unmapped):
        where = (*base, "unmapped", index, "key")
        if normal_key(u.key) in seen:
            problems.append(
                _problem("duplicate_id", raw, file, where, id=u.key, first=seen[normal_key(u.key)])
            )
    for word, unit in profile.units.items():
        if not units.is_known(unit):
            problems.append(_problem("unknown_unit", raw, file, (*base, "units", word), unit=unit))
    _check_layout(profile.layout, raw, file, problems)
    if profile.layout.format == "csv" and (profile.layout.sheet or _sheet_places(profile)):
        problems.append(_problem("csv_has_no_sheet", raw, file, (*base, "layout", "sheet")))


def _check_layout(layout: Layout, raw: Any, file: str, problems: list[Problem]) -> None:
    """A `rows` layout names its key and answer columns; a `wide` one has a column per question
    (no key, answer or unit column to name)."""
    where = ("import", "layout")
    if layout.shape == "rows":
        for name in ("key", "answer"):
            if not getattr(layout, name):
                problems.append(_problem("field_missing", raw, file, where, field=name))
        return
    for name in ("key", "answer", "unit"):
        if getattr(layout, name):
            problems.append(_problem("field_unknown", raw, file, (*where, name), field=name))


def _sheet_places(profile: ImportProfile) -> bool:
    return any(
        p is not None and p.sheet for p in (profile.facility, profile.period_start, profile.period_end)
    )


def _problem(code: str, raw: Any, file: str, loc: tuple[Any, ...], **params: Any) -> Problem:
    return Problem(code, file, line_of(raw, loc), format_loc(loc), params)


def _check_mapping(
    m: Mapping,
    datapoints: dict[str, DataPoint],
    raw: Any,
    file: str,
    loc: tuple[Any, ...],
    problems: list[Problem],
) -> None:
    if m.transform not in TRANSFORM_TYPES:
        choices = ", ".join(TRANSFORM_TYPES)
        problems.append(
            _problem("choice_invalid", raw, file, (*loc, "transform"), value=m.transform, choices=choices)
        )
        return
    dp = datapoints.get(m.datapoint)
    if dp is None:
        problems.append(_problem("unknown_datapoint", raw, file, (*loc, "datapoint"), id=m.datapoint))
        return
    if dp.type not in TRANSFORM_TYPES[m.transform]:
        problems.append(
            _problem(
                "transform_type",
                raw,
                file,
                (*loc, "transform"),
                transform=m.transform,
                type=dp.type,
                id=dp.id,
            )
        )
        return
    _check_options(m, dp, raw, file, loc, problems)
    if m.unit is not None:
        _check_unit(m.unit, dp, raw, file, (*loc, "unit"), problems)


def _check_options(
    m: Mapping, dp: DataPoint, raw: Any, file: str, loc: tuple[Any, ...], problems: list[Problem]
) -> None:
    choices = ", ".join(dp.option_values)
    wanted: list[tuple[str, tuple[Any, ...]]] = []
    if m.transform == "mark_x":
        if m.option is None:
            problems.append(_problem("field_missing", raw, file, loc, field="option"))
        else:
            wanted.append((m.option, (*loc, "option")))
    if m.transform == "yes_partial_no":
        wanted += [(code, (*loc, "transform")) for code in ("yes", "partial", "no")]
    if m.transform == "map":
        if not m.values:
            problems.append(_problem("field_missing", raw, file, loc, field="values"))
        if dp.type == "boolean":
            bad = [v for v in m.values.values() if v not in ("true", "false")]
            if bad:
                problems.append(
                    _problem(
                        "choice_invalid", raw, file, (*loc, "values"), value=bad[0], choices="true, false"
                    )
                )
        elif dp.type != "text":
            wanted += [(code, (*loc, "values", word)) for word, code in m.values.items()]
    for code, where in wanted:
        if code not in dp.option_values:
            problems.append(_problem("option_unknown", raw, file, where, value=code, choices=choices))


def _check_unit(
    unit: str, dp: DataPoint, raw: Any, file: str, loc: tuple[Any, ...], problems: list[Problem]
) -> None:
    if dp.unit is None:
        problems.append(_problem("unit_not_allowed", raw, file, loc, unit=unit))
    elif not units.is_known(unit):
        problems.append(_problem("unknown_unit", raw, file, loc, unit=unit))
    elif not units.compatible(unit, dp.unit) or not units.same_money_basis(unit, dp.unit):
        problems.append(_problem("unit_incompatible", raw, file, loc, unit=unit, expected=dp.unit))
