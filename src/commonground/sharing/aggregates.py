"""Safe aggregates for authorities, civil society and open data, from every facility's latest
verified assessment per year, evaluated in one columnar pass and suppressed under k.

Per group (province × sector × year, and its margins): the non-compliance rate of each Labour Code
requirement, the overall rate (the share of decided requirements not met, averaged over facilities),
the mean level reached in each section of the environmental improvement index, and the trend: the
change of each figure since the group's previous year, given only when both years are published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.utils import translation

from commonground.accounts.library import library
from commonground.assessments.columns import answer_columns, once
from commonground.assessments.models import Assessment
from commonground.core.columnar import Columns, FrameworkColumns, evaluate_columns
from commonground.core.disclosure import Cell, safe_table_of
from commonground.core.errors import Lang
from commonground.core.excel_csv import csv_text
from commonground.core.i18n import gettext
from commonground.core.library import Library
from commonground.core.logic import CODE_OF, Status
from commonground.core.provinces import label as province_label
from commonground.core.spreadsheet import Sheet
from commonground.facilities import profile
from commonground.snapshots import store

LAW = "vn-labour-code-2019"
LEVELS = "env-improvement-levels"
OVERALL = "overall"
LEVEL = "level."  # value keys of section levels: level.<section>


@dataclass(frozen=True)
class AggregateTable:
    k: int
    framework: str
    requirements: dict[str, str]  # requirement id -> title
    cells: list[Cell]  # key: (province, sector, year); values: rates per requirement, overall, levels
    sections: dict[str, str] = field(default_factory=dict)  # section of the improvement index -> name
    computed_at: dt.datetime | None = None  # when the snapshot was computed
    snapshot: str = ""  # which snapshot the figures come from (it never changes: a cache key)

    def previous(self, cell: Cell) -> Cell | None:
        """The same group one year earlier, when both are published (a trend from published figures
        only, so it reveals nothing the two years do not)."""
        if not cell.published or cell.key[2] is None:
            return None
        found = self._by_key.get((*cell.key[:2], cell.key[2] - 1))
        return found if found is not None and found.published else None

    def change(self, cell: Cell, indicator: str) -> float | None:
        earlier = self.previous(cell)
        if earlier is None or indicator not in cell.values or indicator not in earlier.values:
            return None
        return round(cell.values[indicator] - earlier.values[indicator], 4)

    @cached_property
    def _by_key(self) -> dict[tuple[Any, ...], Cell]:
        """The cells by key, built once per table (trends look up every cell's previous year)."""
        return {c.key: c for c in self.cells}


def latest_verified_by_year(year: int | None = None) -> list[Assessment]:
    """Every facility's latest verified assessment per year (its highest version), with its facility;
    only those ending in `year` when one is given. Shared with the improvement area's benchmarks."""
    chosen: dict[tuple[int, int], Assessment] = {}
    if year is None:
        rows: Any = [a for a in reported_assessments() if a.status == Assessment.Status.VERIFIED]
    else:
        found = Assessment.objects.filter(status=Assessment.Status.VERIFIED, period_end__year=year)
        rows = found.select_related("facility").order_by("period_end", "version")
    for a in rows:
        chosen[(a.facility_id, a.period_end.year)] = a
    return list(chosen.values())


def reported_assessments() -> list[Assessment]:
    """Every assessment that is no longer a draft, with its facility, by period end and version: read
    once per refresh of the snapshots (`columns.once`), without the moments no kind uses."""

    def read() -> list[Assessment]:
        rows = Assessment.objects.exclude(status=Assessment.Status.DRAFT).select_related("facility")
        unused = (
            "created_at",
            "submitted_at",
            "returned_comment",
            "facility__created_at",
            "facility__updated_at",
        )
        return list(rows.defer(*unused).order_by("period_end", "version"))

    found: list[Assessment] = once("reported-assessments", read)
    return found


def law_aggregates(lang: str = "en") -> AggregateTable:
    """Non-compliance rate per requirement of the Labour Code, by province, sector and year, from the
    newest snapshot (with the time it was computed)."""
    snapshot = store.read(AGGREGATES.name)
    lib, (k, cells) = library(), snapshot.data
    language: Lang = "vi" if lang == "vi" else "en"
    titles = {r.id: r.spec.title.get(language) for r in lib.frameworks[LAW].requirements}
    sections = {s.id: s.name.get(language) for s in lib.frameworks[LEVELS].spec.sections}
    version = f"{snapshot.id}-{snapshot.computed_at.timestamp()}"
    return AggregateTable(k, LAW, titles, cells, sections, snapshot.computed_at, version)


def _compute() -> tuple[tuple[int, list[Cell]], int]:
    """The suppressed cells (the sector-wide work a job does), from the sector's answers as columns."""
    lib, k = library(), int(getattr(settings, "AGGREGATE_K", 5))
    assessments = once("latest-verified", latest_verified_by_year)  # shared with the benchmarks' rows
    if not assessments:
        return (k, []), 0
    cols = answer_columns(assessments)
    law, levels = evaluate_columns(lib, cols, [LAW, LEVELS], with_details=False).frameworks
    names, values = _indicators(law, levels)
    return (k, safe_table_of(_keys(lib, cols, assessments), names, values, 3, k=k)), len(assessments)


def _indicators(law: FrameworkColumns, levels: FrameworkColumns) -> tuple[list[str], npt.NDArray[np.float64]]:
    """Per assessment: 1.0 for each decided Labour Code requirement not met, 0.0 for each met (not
    known otherwise), their mean (overall), and the level reached (0-3, with gating) in each section
    of the improvement index."""
    not_met, met = CODE_OF[Status.NOT_MET], CODE_OF[Status.MET]
    statuses = law.statuses
    decided = (statuses == not_met) | (statuses == met)
    rates = np.where(decided, (statuses == not_met).astype(np.float64), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(decided.any(axis=1), np.nansum(rates, axis=1) / decided.sum(axis=1), np.nan)
    sections = levels.summary.sections
    names = [r.id for r in law.framework.requirements] + [OVERALL] + [LEVEL + s.section for s in sections]
    columns = [
        rates,
        overall[:, None],
        *(np.asarray(s.achieved, dtype=np.float64)[:, None] for s in sections),
    ]
    return names, np.hstack(columns)


def _keys(lib: Library, cols: Columns, assessments: list[Assessment]) -> list[tuple[Any, ...]]:
    """Each assessment's (province, sector, year): that period's answers, or the facility's current
    profile for a fact the period does not answer (facilities.profile.period_profile)."""
    provinces = profile.answered(assessments, "facility.province")
    sectors = lib.datapoints["facility.sector"].option_values
    sector_codes = cols.column("facility.sector").tolist()
    keys = []
    for a, code in zip(assessments, sector_codes, strict=True):
        province = provinces.get(a.pk)
        keys.append(
            (
                profile.column_value("province", province) if province is not None else a.facility.province,
                sectors[code] if code >= 0 else a.facility.sector,
                a.period_end.year,
            )
        )
    return keys


def _encode(data: tuple[int, list[Cell]]) -> bytes:
    k, cells = data
    plain = [[list(c.key), c.facilities, c.values, c.published] for c in cells]
    return store.to_json({"k": k, "cells": plain})


def _decode(blob: bytes) -> tuple[int, list[Cell]]:
    found = store.from_json(blob)
    cells = [Cell(tuple(key), n, values, published) for key, n, values, published in found["cells"]]
    return int(found["k"]), cells


AGGREGATES = store.register(store.Kind("aggregates", _compute, _encode, _decode))


COLUMNS = (
    "province",
    "sector",
    "year",
    "facilities",
    "indicator",
    "value",
    "change_since_previous_year",
    "k",
)
# Added after the stable columns (a reader by position keeps working): the codes in words, both languages.
LABEL_COLUMNS = tuple(
    f"{what}_label_{lang}" for what in ("province", "sector", "indicator") for lang in ("vi", "en")
)


def to_csv(table: AggregateTable) -> str:
    """The open-data export: the same suppressed figures, one row per group and requirement; the
    codes stay as they are (a machine contract) and gain their labels in Vietnamese and English.
    UTF-8 with a byte-order mark, so a spreadsheet shows the Vietnamese."""
    return csv_text(_csv_rows(table))


def open_data_sheet(table: AggregateTable) -> Sheet:
    """The open-data export as a spreadsheet sheet: the same rows, figures as numbers."""
    rows = _csv_rows(table)
    return Sheet("labour-aggregates", next(rows), rows)


def _csv_rows(table: AggregateTable) -> Iterator[list[Any]]:
    labels = _Labels()
    yield [*COLUMNS, *LABEL_COLUMNS]
    for cell in table.cells:
        public = cell.public()
        key = ["(all)" if v is None else str(v) for v in cell.key]
        if public["values"] is None:
            yield [*key, "suppressed", "", "", "", table.k, *labels.of(cell.key, None)]
            continue
        for indicator, value in sorted(public["values"].items()):
            change = table.change(cell, indicator)
            row = [*key, public["facilities"], indicator, round(value, 4), "" if change is None else change]
            yield [*row, table.k, *labels.of(cell.key, indicator)]


class _Labels:
    """The words for the codes of a row, in Vietnamese then English."""

    def __init__(self) -> None:
        lib = library()
        self.titles = {
            lang: {
                **{r.id: r.spec.title.get(lang) for r in lib.frameworks[LAW].requirements},
                **{LEVEL + s.id: s.name.get(lang) for s in lib.frameworks[LEVELS].spec.sections},
            }
            for lang in LANGS
        }

    def of(self, key: tuple[Any, ...], indicator: str | None) -> list[str]:
        province, sector = key[0], key[1]
        out = [_all(lang) if province is None else province_label(province, lang) for lang in LANGS]
        out += [_all(lang) if sector is None else _sector(sector, lang) for lang in LANGS]
        return out + [_indicator(self.titles[lang], indicator, lang) for lang in LANGS]


LANGS: tuple[Lang, Lang] = ("vi", "en")


def _all(lang: Lang) -> str:
    return gettext("(all)", lang)


def _sector(code: str, lang: Lang) -> str:
    from commonground.facilities.models import Facility

    with translation.override(lang):
        return str(Facility.Sector(code).label) if code in Facility.Sector.values else code


def _indicator(titles: dict[str, str], indicator: str | None, lang: Lang) -> str:
    if indicator is None:
        return gettext("withheld: fewer facilities than the threshold k", lang)
    if indicator == OVERALL:
        return gettext("Share of decided requirements not met (overall)", lang)
    title = titles.get(indicator, indicator)
    return (
        gettext("Level reached: {section}", lang).format(section=title)
        if indicator.startswith(LEVEL)
        else title
    )
