"""What is computed from the library in force (accounts.library): engines and evaluations, each
kept under the versions it depends on (docs/decisions/0019), never emptied wholesale.

- Engines: compiled per process for a framework set at its version (pure functions of the library).
- Evaluations of verified (locked) assessments: kept per process, bounded, under the assessment's
  id, moment of verification, facility names and the frameworks' version. A shared copy would cost
  more than the work it saves (an evaluation pickles to ~380 KB and takes ~7 ms to unpickle against
  ~3 ms to compute); the portfolio's small outcomes are the ones shared (sharing.outcomes).
Because every key carries what it depends on, whatever one process keeps is never stale for another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from commonground.accounts.library import current, library
from commonground.assessments.kept import Kept
from commonground.assessments.models import Answer, Assessment
from commonground.core import assessments as core_assessments
from commonground.core.catalogue import normalise
from commonground.core.engine import Engine, Evaluation
from commonground.core.library import Library
from commonground.facilities.models import Facility, RequiredFramework

LAW = ("vn-labour-code-2019", "vn-osh-2015", "vn-environment-2020")


def frameworks_for(facility: Facility) -> list[str]:
    """Vietnamese law plus every framework the facility's buyers require, each once."""
    required = RequiredFramework.objects.filter(buyer__supply_links__facility=facility)
    ids = list(dict.fromkeys([*LAW, *required.values_list("framework_id", flat=True)]))
    known = library().frameworks
    return [f for f in ids if f in known]


# ---- engines and evaluations ----------------------------------------------------------------------

_ENGINES: Kept[tuple[str, tuple[str, ...]], Engine] = Kept(64)  # a few framework sets are in use


def engine(lib: Library, framework_ids: Iterable[str], version: str = "") -> Engine:
    """The compiled engine for these frameworks of this library (an Engine never changes once
    built), kept per process under the frameworks' version (the library's identity when none)."""
    key = (version or f"id{id(lib)}", tuple(framework_ids))
    found = _ENGINES.get([key]).get(key)
    if found is None or found.library is not lib:
        found = Engine(lib, key[1])
        _ENGINES.put({key: found})
    return found


# About 77 KB each in memory; a verified assessment's evaluation never changes under its key.
_EVALUATIONS: Kept[tuple[Any, ...], Evaluation] = Kept(500)


def evaluate(assessment: Assessment, framework_ids: Iterable[str] = ()) -> Evaluation:
    """Results of an assessment the caller got through the access helper, or whose reader it has
    checked otherwise (a grantee's grant: sharing.services.shared_facility)."""
    ids = tuple(framework_ids) or tuple(frameworks_for(assessment.facility))
    loaded = current()
    version = loaded.version(ids)
    run = engine(loaded.library, ids, version)
    if assessment.status != Assessment.Status.VERIFIED:
        return run.evaluate(_core(assessment, _answers(assessment), loaded.library))
    f = assessment.facility
    key = (version, assessment.pk, assessment.verified_at, ids, f.name, f.name_vi, f.os_id)
    found = _EVALUATIONS.get([key]).get(key)
    if found is None:
        found = run.evaluate(_core(assessment, _answers(assessment), loaded.library))
        _EVALUATIONS.put({key: found})
    return found


def forget_evaluations() -> None:
    """Drop the evaluations this process keeps (tests: a rolled-back database gives out ids again)."""
    _EVALUATIONS.clear()


def _answers(assessment: Assessment) -> Iterable[tuple[str, Any]]:
    return ((a.datapoint, a.value) for a in assessment.answers.all())  # prefetched ones too


def core_assessment(assessment: Assessment) -> core_assessments.Assessment:
    """The stored answers as the engine's assessment (values re-checked against the catalogue)."""
    return _core(assessment, _answers(assessment), library())


CHUNK = 5000  # ids per query: SQLite takes at most 32,766 parameters


def core_assessments_of(assessments: Sequence[Assessment]) -> list[core_assessments.Assessment]:
    """`core_assessment` for many assessments, with the answers of all of them in one query (the
    facilities should be fetched with them: `select_related("facility")`)."""
    answers: dict[int, list[tuple[str, Any]]] = {a.pk: [] for a in assessments}
    ids = list(answers)
    for start in range(0, len(ids), CHUNK):  # a sector's worth of ids, a bounded query at a time
        rows = Answer.objects.filter(assessment__in=ids[start : start + CHUNK]).values_list(
            "assessment_id", "datapoint", "value"
        )
        for assessment_id, datapoint, value in rows:
            answers[assessment_id].append((datapoint, value))
    lib = library()
    return [_core(a, answers[a.pk], lib) for a in assessments]


def _core(
    assessment: Assessment, answers: Iterable[tuple[str, Any]], lib: Library
) -> core_assessments.Assessment:
    values = {}
    for datapoint, value in answers:
        dp = lib.datapoints.get(datapoint)
        if dp is not None:
            values[datapoint] = normalise(dp, value)
    facility = assessment.facility
    return core_assessments.Assessment(
        {"name": facility.name, "name_vi": facility.name_vi, "os_id": facility.os_id},
        assessment.period_start,
        assessment.period_end,
        values,
    )
