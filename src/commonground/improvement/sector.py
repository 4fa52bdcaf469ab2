"""The sector in columns: many facilities' assessments evaluated in one columnar pass, with the peer
profile (sector, minimum-wage region, size band) and the metric values of each row.

Two readings. Benchmarks take every facility's latest verified assessment of one year (the reader
shared with the public aggregates). Peer insights take a facility × year panel of the latest
submitted or verified assessment of each facility and year: the year after an adoption is often not
verified yet, and a facility's own submitted facts are what it reports. Metrics are evaluated
against Vietnamese law and the frameworks with levels, the same for every facility, so that they
compare. Results are cached until an assessment, an answer or an adoption changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Max

from commonground.actions.models import Adoption
from commonground.assessments.models import Answer, Assessment
from commonground.assessments.services import LAW, core_assessment, library, library_version
from commonground.core.benchmarks import Profile
from commonground.core.columnar import Columns, evaluate_columns
from commonground.core.insights import Panel
from commonground.core.library import Library
from commonground.core.metrics import all_metrics, metric_values
from commonground.sharing.aggregates import latest_verified_by_year

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SectorRows:
    """One row per assessment: its facility (an id for lookups, never shown), year, profile, metrics."""

    facility_ids: npt.NDArray[np.int64]
    years: npt.NDArray[np.int64]
    profile: Profile
    metrics: dict[str, Floats]

    @property
    def n(self) -> int:
        return len(self.facility_ids)

    def index_of(self, facility_id: int, year: int | None = None) -> int | None:
        """The facility's row (its latest year's when no year is given)."""
        mask = self.facility_ids == facility_id
        if year is not None:
            mask &= self.years == year
        found = np.flatnonzero(mask)
        return int(found[np.argmax(self.years[found])]) if len(found) else None

    def panel(self) -> tuple[Panel, dict[int, int]]:
        """The facility × year panel for peer insights, and each facility id's panel row."""
        ids = np.unique(self.facility_ids)
        row = {int(f): i for i, f in enumerate(ids)}
        facility = np.searchsorted(ids, self.facility_ids)
        latest = np.lexsort((self.years, facility))  # each facility's key from its latest row
        key = np.zeros(len(ids), dtype=np.int64)
        key[facility[latest]] = self.profile.key()[latest]
        relative = [mid for mid, m in all_metrics(library()).items() if m.relative]
        return Panel.from_rows(self.metrics, facility, self.years, key, relative), row


def metric_frameworks(lib: Library) -> list[str]:
    """Vietnamese law and every framework with levels: the same yardstick for every facility."""
    levelled = [f.id for f in lib.frameworks.values() if f.level_columns]
    return [f for f in dict.fromkeys([*LAW, *sorted(levelled)]) if f in lib.frameworks]


def _rows(assessments: list[Assessment]) -> SectorRows:
    lib = library()
    cols = Columns.from_assessments(lib, [core_assessment(a) for a in assessments])
    metrics = (
        metric_values(lib, cols, evaluate_columns(lib, cols, metric_frameworks(lib), with_details=False))
        if assessments
        else {}
    )
    return SectorRows(
        np.array([a.facility_id for a in assessments], dtype=np.int64),
        np.array([a.period_end.year for a in assessments], dtype=np.int64),
        Profile.from_columns(cols),
        metrics,
    )


def _fingerprint() -> tuple[Any, ...]:
    """Changes whenever anything the sector rows are made of changes (three small queries); editing a
    draft, the common case, leaves it as it is."""
    assessments = Assessment.objects.aggregate(n=Count("id"), s=Max("submitted_at"), v=Max("verified_at"))
    answers = Answer.objects.exclude(assessment__status=Assessment.Status.DRAFT).aggregate(
        n=Count("id"), u=Max("updated_at")
    )
    adoptions = Adoption.objects.aggregate(n=Count("id"), last=Max("id"))
    return (*assessments.values(), *answers.values(), *adoptions.values(), library_version())


def verified_rows(year: int) -> SectorRows:
    """Every facility's latest verified assessment ending in `year`."""
    return _verified_rows(year, _fingerprint())


@lru_cache(maxsize=8)
def _verified_rows(year: int, fingerprint: tuple[Any, ...]) -> SectorRows:
    return _rows(latest_verified_by_year(year))


def panel_rows() -> SectorRows:
    """Every facility's latest submitted or verified assessment of each calendar year."""
    return _panel_rows(_fingerprint())


@lru_cache(maxsize=4)
def _panel_rows(fingerprint: tuple[Any, ...]) -> SectorRows:
    chosen: dict[tuple[int, int], Assessment] = {}
    rows = (
        Assessment.objects.exclude(status=Assessment.Status.DRAFT)
        .select_related("facility")
        .prefetch_related("answers")
        .order_by("period_end", "version")
    )
    for a in rows:
        current = chosen.get((a.facility_id, a.period_end.year))
        if current is None or a.locked or not current.locked:
            chosen[(a.facility_id, a.period_end.year)] = a
    return _rows(list(chosen.values()))
