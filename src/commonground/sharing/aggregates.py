"""Safe aggregates for authorities, civil society and open data, from every facility's latest
verified assessment per year, evaluated in one columnar pass and suppressed under k."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from commonground.assessments.models import Assessment
from commonground.assessments.services import core_assessment, library
from commonground.core.columnar import Columns, evaluate_columns
from commonground.core.disclosure import Cell, safe_table
from commonground.core.errors import Lang
from commonground.core.logic import CODE_OF, Status

LAW = "vn-labour-code-2019"


@dataclass(frozen=True)
class AggregateTable:
    k: int
    framework: str
    requirements: dict[str, str]  # requirement id -> title
    cells: list[Cell]  # key: (province, sector, year); values: non-compliance rate per requirement


def latest_verified_by_year(year: int | None = None) -> list[Assessment]:
    """Every facility's latest verified assessment per year (its highest version), answers loaded;
    only those ending in `year` when one is given. Shared with the improvement area's benchmarks."""
    chosen: dict[tuple[int, int], Assessment] = {}
    rows = Assessment.objects.filter(status=Assessment.Status.VERIFIED)
    if year is not None:
        rows = rows.filter(period_end__year=year)
    rows = rows.select_related("facility").prefetch_related("answers").order_by("period_end", "version")
    for a in rows:
        chosen[(a.facility_id, a.period_end.year)] = a
    return list(chosen.values())


def law_aggregates(lang: str = "en") -> AggregateTable:
    """Non-compliance rate per requirement of the Labour Code, by province, sector and year."""
    lib, k = library(), int(getattr(settings, "AGGREGATE_K", 5))
    assessments = latest_verified_by_year()
    framework = lib.frameworks[LAW]
    rows: list[tuple[tuple[Any, ...], dict[str, float]]] = []
    if assessments:
        cols = Columns.from_assessments(lib, [core_assessment(a) for a in assessments])
        statuses = evaluate_columns(lib, cols, [LAW], with_details=False).frameworks[0].statuses
        not_met, met = CODE_OF[Status.NOT_MET], CODE_OF[Status.MET]
        for i, a in enumerate(assessments):
            values = {
                r.id: float(statuses[i, j] == not_met)
                for j, r in enumerate(framework.requirements)
                if statuses[i, j] in (not_met, met)
            }
            rows.append(((a.facility.province, a.facility.sector, a.period_end.year), values))
    language: Lang = "vi" if lang == "vi" else "en"
    titles = {r.id: r.spec.title.get(language) for r in framework.requirements}
    return AggregateTable(k, LAW, titles, safe_table(rows, 3, k=k))


def to_csv(table: AggregateTable) -> str:
    """The open-data export: the same suppressed figures, one row per group and requirement."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["province", "sector", "year", "facilities", "requirement", "non_compliance_rate", "k"])
    for cell in table.cells:
        public = cell.public()
        key = ["(all)" if v is None else str(v) for v in cell.key]
        if public["values"] is None:
            writer.writerow([*key, "suppressed", "", "", table.k])
            continue
        for requirement, rate in sorted(public["values"].items()):
            writer.writerow([*key, public["facilities"], requirement, rate, table.k])
    return out.getvalue()
