"""The sector in columns: many facilities' assessments evaluated in one columnar pass, with the peer
profile (sector, minimum-wage region, size band) and the metric values of each row.

Two readings. Benchmarks take every facility's latest verified assessment of one year (the reader
shared with the public aggregates). Peer insights take a facility × year panel of the latest
submitted or verified assessment of each facility and year: the year after an adoption is often not
verified yet, and a facility's own submitted facts are what it reports. Metrics are evaluated
against Vietnamese law and the frameworks with levels, the same for every facility, so that they
compare. Both are sector-wide work: computed by a job into snapshots (`commonground.snapshots`),
which pages read.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from commonground.accounts.library import library
from commonground.assessments.columns import answer_columns, once, per_row
from commonground.assessments.evaluations import LAW
from commonground.assessments.models import Assessment
from commonground.core.benchmarks import Profile
from commonground.core.catalogue import normalise
from commonground.core.columnar import Columns, encode, evaluate_columns
from commonground.core.insights import Panel
from commonground.core.library import Library
from commonground.core.metrics import all_metrics, metric_values
from commonground.facilities import profile
from commonground.sharing.aggregates import latest_verified_by_year, reported_assessments
from commonground.snapshots import store

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SectorRows:
    """One row per assessment: its facility (an id for lookups, never shown), year, profile, metrics."""

    facility_ids: npt.NDArray[np.int64]
    years: npt.NDArray[np.int64]
    profile: Profile
    metrics: dict[str, Floats]
    computed_at: dt.datetime | None = None  # when the snapshot these rows come from was computed

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

    def of_year(self, year: int, computed_at: dt.datetime | None = None) -> SectorRows:
        """The rows of one calendar year."""
        keep = self.years == year
        profile = Profile(self.profile.sector[keep], self.profile.region[keep], self.profile.size[keep])
        metrics = {m: v[keep] for m, v in self.metrics.items()}
        return SectorRows(self.facility_ids[keep], self.years[keep], profile, metrics, computed_at)

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


METRIC = "metric."


def to_npz(rows: SectorRows) -> bytes:
    """The rows as a compressed numpy archive (arrays only: read back without pickle)."""
    arrays = {
        "facility_ids": rows.facility_ids,
        "years": rows.years,
        "profile.sector": rows.profile.sector,
        "profile.region": rows.profile.region,
        "profile.size": rows.profile.size,
        **{METRIC + m: v for m, v in rows.metrics.items()},
    }
    out = io.BytesIO()
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def from_npz(blob: bytes) -> SectorRows:
    with np.load(io.BytesIO(blob), allow_pickle=False) as found:
        a = {name: found[name] for name in found.files}
    profile = Profile(a["profile.sector"], a["profile.region"], a["profile.size"])
    metrics = {name[len(METRIC) :]: v for name, v in a.items() if name.startswith(METRIC)}
    return SectorRows(a["facility_ids"], a["years"], profile, metrics)


def metric_frameworks(lib: Library) -> list[str]:
    """Vietnamese law and every framework with levels: the same yardstick for every facility."""
    levelled = [f.id for f in lib.frameworks.values() if f.level_columns]
    return [f for f in dict.fromkeys([*LAW, *sorted(levelled)]) if f in lib.frameworks]


def _rows(assessments: list[Assessment]) -> SectorRows:
    lib = library()
    cols = answer_columns(assessments)
    # the verified rows and the panel are mostly the same assessments: evaluated once per refresh
    metrics = per_row("sector-metrics", assessments, _metrics) if assessments else {}
    return SectorRows(
        np.array([a.facility_id for a in assessments], dtype=np.int64),
        np.array([a.period_end.year for a in assessments], dtype=np.int64),
        Profile.from_columns(_peer_facts(lib, cols, assessments)),
        metrics,
    )


def _metrics(assessments: Sequence[Assessment]) -> dict[str, Floats]:
    lib = library()
    cols = answer_columns(assessments)
    return metric_values(lib, cols, evaluate_columns(lib, cols, metric_frameworks(lib), with_details=False))


PEER_FACTS = ("facility.sector", "facility.minimum_wage_region", "facility.workers_total")


def _peer_facts(lib: Library, cols: Columns, assessments: list[Assessment]) -> Columns:
    """Each period with only its peer profile: its own answers, and the facility's profile for a
    fact it does not answer — the reading the public aggregates use too (decision 0025)."""
    out = Columns(lib, cols.end)
    for dp_id in PEER_FACTS:
        if dp_id not in lib.datapoints:
            continue
        dp, field = lib.datapoints[dp_id], profile.FIELD_OF[dp_id]
        column = cols.column(dp_id).copy()
        for i in np.flatnonzero(np.isnan(column) if column.dtype.kind == "f" else column < 0).tolist():
            value = profile.answer_value(field, getattr(assessments[i].facility, field))
            if value is not None:
                column[i] = encode(dp, normalise(dp, value))
        out.values[dp_id] = column
    return out


def _latest_reported_per_year() -> list[Assessment]:
    """Each facility's latest assessment of each calendar year that is no longer a draft (a verified
    one, when there is one, before a submitted one; then the highest version)."""
    chosen: dict[tuple[int, int], Assessment] = {}
    for a in reported_assessments():  # read once per refresh, shared with the verified rows
        current = chosen.get((a.facility_id, a.period_end.year))
        if current is None or a.locked or not current.locked:
            chosen[(a.facility_id, a.period_end.year)] = a
    return list(chosen.values())


def _compute_verified() -> tuple[SectorRows, int]:
    rows = _rows(once("latest-verified", latest_verified_by_year))
    return rows, rows.n


def _compute_panel() -> tuple[SectorRows, int]:
    rows = _rows(_latest_reported_per_year())
    return rows, rows.n


VERIFIED = store.register(store.Kind("sector-verified", _compute_verified, to_npz, from_npz))
PANEL = store.register(store.Kind("sector-panel", _compute_panel, to_npz, from_npz))


def verified_rows(year: int) -> SectorRows:
    """Every facility's latest verified assessment ending in `year` (from the newest snapshot)."""
    snapshot = store.read(VERIFIED.name)
    rows: SectorRows = snapshot.data
    return rows.of_year(year, snapshot.computed_at)


def panel_rows() -> SectorRows:
    """Every facility's latest submitted or verified assessment of each calendar year (from the
    newest snapshot)."""
    snapshot = store.read(PANEL.name)
    rows: SectorRows = snapshot.data
    return replace(rows, computed_at=snapshot.computed_at)
