"""What the portfolio needs of a verified assessment's evaluation, kept in the shared cache.

A verified assessment is locked: its answers never change, so its evaluation depends only on the
frameworks chosen and their version (the shipped files plus the save time of each buyer's code among
them: assessments.evaluations). Outcomes are kept in Django's cache (Redis, or the database: one for
every web process and worker, decision 0019) under the assessment (id and moment of verification)
and the frameworks with their version: a buyer's new code changes the keys of the outcomes against
it and of no others, and nothing is ever emptied wholesale. Assessments that are not verified are
evaluated every time. Grants and access decisions are never kept here: the caller
checks them on every call, so a revocation takes effect at once.

Missing outcomes are computed together in one columnar pass (`core.columnar.evaluate_columns`,
which gives the same statuses, summaries and failing facts as the single path), with the answers
of all of them read as columns (`assessments.columns.read_columns`: on PostgreSQL encoded by the
database and copied out in binary, as the sector snapshots read them); only rates, their counts
(core.standing) and findings are taken from it (no targets).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from django.core.cache import cache

from commonground.accounts.library import current
from commonground.assessments.columns import read_columns
from commonground.assessments.models import Assessment
from commonground.core.columnar import Columns, FrameworkColumns, evaluate_columns
from commonground.core.findings import group_findings
from commonground.core.library import Library
from commonground.core.logic import CODE_OF, Status
from commonground.core.standing import PARTS, Standing, standing

Key = str


@dataclass(frozen=True)
class Outcome:
    rates: tuple[tuple[str, float | None], ...]  # framework id -> compliance rate, in engine order
    findings: tuple[tuple[str, str], ...]  # data point, severity, in the evaluation's order
    # framework id -> its counts (met, not met, unknown, not applicable): what the rate stands on
    counts: tuple[tuple[str, Standing], ...] = ()


_COMPUTING = threading.Lock()


def clear() -> None:
    """Forget every outcome (tests: a rolled-back test database may give the next one the same ids).
    Never called by the application: its keys carry their versions."""
    cache.clear()


class Ref(Protocol):
    """An `Assessment`, or what a list read of it (`assessments.services.VerifiedRef`)."""

    @property
    def pk(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def verified_at(self) -> dt.datetime | None: ...


def outcomes_of(
    lib: Library, frameworks: Sequence[str], assessments: Sequence[Ref], version: str = ""
) -> dict[int, Outcome]:
    """Assessment id -> its outcome against `frameworks` (at `version`: `current().version(frameworks)`,
    read when not given). Those not kept are read in full (answers and facility) and evaluated together."""
    chosen = tuple(frameworks)
    prefix = _prefix(version or current().version(chosen), chosen)
    keys = {a.pk: _key(prefix, a) for a in assessments}
    found = _kept([k for k in keys.values() if k is not None])
    result = {pk: found[k] for pk, k in keys.items() if k in found}
    missing = [a for a in assessments if a.pk not in result]
    if missing:
        with _COMPUTING:  # one thread computes, the others then find its outcomes kept
            found = _kept([k for a in missing if (k := keys[a.pk]) is not None])
            result |= {a.pk: found[k] for a in missing if (k := keys[a.pk]) in found}
            missing = [a for a in missing if a.pk not in result]
            computed = _evaluate(lib, read_columns(_in_full(missing)), chosen) if missing else []
            result |= {a.pk: o for a, o in zip(missing, computed, strict=True)}
            cache.set_many({k: result[a.pk] for a in missing if (k := keys[a.pk]) is not None})
    return result


def _kept(keys: list[Key]) -> dict[Key, Outcome]:
    return cache.get_many(keys) if keys else {}


def _prefix(version: str, frameworks: tuple[str, ...]) -> str:
    """The frameworks and their version, short enough for any cache's keys."""
    return "outcome:" + hashlib.sha256(f"{version}|{','.join(frameworks)}".encode()).hexdigest()[:24]


def _in_full(refs: Sequence[Ref]) -> list[Assessment]:
    """The assessments behind `refs`, in the same order, with their facilities."""
    found = Assessment.objects.select_related("facility").in_bulk([r.pk for r in refs])
    return [found[r.pk] for r in refs]


def _key(prefix: str, assessment: Ref) -> Key | None:
    if assessment.status != Assessment.Status.VERIFIED or assessment.verified_at is None:
        return None
    return f"{prefix}:{assessment.pk}:{assessment.verified_at.timestamp():.6f}"


def _evaluate(lib: Library, cols: Columns, frameworks: tuple[str, ...]) -> list[Outcome]:
    """Each row's outcome. The columns come from `assessments.columns.read_columns` (on PostgreSQL
    the answers encoded by the database and copied out in binary, not read as 400,000 JSON objects
    for a cold 2,000-supplier portfolio: decision 0036); a finding keeps its fact and severity only,
    so no answer is decoded back."""
    many = evaluate_columns(lib, cols, frameworks)
    outcomes = []
    for i in range(cols.n):
        rates = tuple((fc.framework.id, _opt(fc.summary.compliance_rate[i])) for fc in many.frameworks)
        counts = tuple((fc.framework.id, _standing(fc, i)) for fc in many.frameworks)
        failures = [failure for fc in many.frameworks for failure in _failures(fc, i)]
        findings = group_findings(failures, {}, lib.context)
        outcomes.append(Outcome(rates, tuple((f.datapoint, f.severity) for f in findings), counts))
    return outcomes


def _standing(fc: FrameworkColumns, i: int) -> Standing:
    return standing({part: int(fc.summary.counts[part][i]) for part in PARTS if part in fc.summary.counts})


def _failures(fc: FrameworkColumns, i: int) -> list[tuple[Any, tuple[str, ...]]]:
    """The requirements assessment i does not meet, each with the facts that make it fail."""
    out = []
    for j in np.flatnonzero(fc.statuses[i] == CODE_OF[Status.NOT_MET]):
        requirement, blamed = fc.framework.requirements[j], fc.blamed[j]
        out.append(
            (requirement, tuple(dp for dp in requirement.rule_datapoints if dp in blamed and blamed[dp][i]))
        )
    return out


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else float(x)
