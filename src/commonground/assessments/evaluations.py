"""The library in force and what is computed from it: engines and evaluations, each kept under the
versions it depends on (docs/decisions/0019), never emptied wholesale.

- The library: the shipped files plus every buyer's own code. Parsed once per process for each set
  of codes (one small query per call tells which codes exist and when each was last saved): a pure
  function of immutable texts, too big and too cheap to rebuild to be worth sending over a network.
- A framework set's *version*: the shipped files' content hash plus the save time of each buyer's
  code in the set. A buyer's upload changes the version of the sets holding its code, no other.
- Engines: compiled per process for a framework set at its version (pure functions of the library).
- Evaluations of verified (locked) assessments: kept per process, bounded, under the assessment's
  id, moment of verification, facility names and the frameworks' version. A shared copy would cost
  more than the work it saves (an evaluation pickles to ~380 KB and takes ~7 ms to unpickle against
  ~3 ms to compute); the portfolio's small outcomes are the ones shared (sharing.outcomes).
Because every key carries what it depends on, whatever one process keeps is never stale for another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from commonground.assessments.kept import Kept
from commonground.assessments.models import Answer, Assessment
from commonground.core import assessments as core_assessments
from commonground.core.catalogue import normalise
from commonground.core.engine import Engine, Evaluation
from commonground.core.errors import CommonGroundError
from commonground.core.library import SHIPPED, Library, cached_library, load_library
from commonground.facilities.models import Facility, RequiredFramework

LAW = ("vn-labour-code-2019", "vn-osh-2015", "vn-environment-2020")

Stamps = tuple[tuple[str, dt.datetime], ...]


class Loaded(NamedTuple):
    library: Library
    stamps: Stamps  # each buyer's code (framework id) and when it was last saved

    def version(self, framework_ids: Iterable[str]) -> str:
        """What results against these frameworks depend on, as a short string for keys."""
        codes = dict(self.stamps)
        mine = [f"{f}@{codes[f].isoformat()}" for f in framework_ids if f in codes]
        return hashlib.sha256("|".join([shipped_version(), *mine]).encode()).hexdigest()[:20]


def current() -> Loaded:
    """The library in force with the stamps of the buyers' codes in it (one small query)."""
    from commonground.accounts.models import BuyerCode

    stamps = tuple(BuyerCode.objects.order_by("framework_id").values_list("framework_id", "uploaded_at"))
    return Loaded(_library_at(stamps) if stamps else cached_library(), stamps)


def library() -> Library:
    """The shipped library plus every buyer's own code, reloaded when a code changes."""
    return current().library


def library_version() -> str:
    """The whole library's version: the shipped files and every buyer's code."""
    loaded = current()
    return loaded.version(f for f, _ in loaded.stamps)


@lru_cache(maxsize=1)
def shipped_version() -> str:
    """A hash of the shipped library files (read once per process: they never change while it runs)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in SHIPPED.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(SHIPPED)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def _library_at(stamps: Stamps) -> Library:
    from commonground.accounts.models import BuyerCode

    codes = tuple(BuyerCode.objects.order_by("framework_id").values_list("framework_id", "text"))
    return _library_with(codes) if codes else cached_library()


@lru_cache(maxsize=4)
def _library_with(codes: tuple[tuple[str, str], ...]) -> Library:
    documents = [(f"{framework_id}.yaml", text) for framework_id, text in codes]
    try:
        return load_library(documents=documents)
    except CommonGroundError:  # a stored code no longer fits the catalogue: keep the ones that do
        good = [d for d in documents if _loads(d)]
        return load_library(documents=good)


def _loads(document: tuple[str, str]) -> bool:
    try:
        load_library(documents=[document])
    except CommonGroundError:
        return False
    return True


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
