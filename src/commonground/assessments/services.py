"""Use cases of the assessment workflow: one function each, called by pages, API and commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from commonground.accounts import access
from commonground.assessments.kept import Kept
from commonground.assessments.models import Answer, AnswerChange, Assessment
from commonground.core import assessments as core_assessments
from commonground.core import verification as rules
from commonground.core.catalogue import ValueProblem, normalise
from commonground.core.engine import Engine, Evaluation
from commonground.core.errors import CommonGroundError, Lang, Problem
from commonground.core.library import Library, cached_library, load_library
from commonground.facilities.models import Facility, RequiredFramework

LAW = ("vn-labour-code-2019", "vn-osh-2015", "vn-environment-2020")


class AnswerRefused(ValidationError):
    """An answer that does not fit its data point; `problem` renders it in either language."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message("en"))
        self.problem = problem


class Locked(ValidationError):
    pass


def library() -> Library:
    """The shipped library plus every buyer's own code, reloaded when a code changes. One small
    query per call (which codes, when last saved); the codes' texts are read only after a change."""
    from commonground.accounts.models import BuyerCode

    stamps = tuple(BuyerCode.objects.order_by("framework_id").values_list("framework_id", "uploaded_at"))
    return _library_at(stamps) if stamps else cached_library()


@lru_cache(maxsize=4)
def _library_at(stamps: tuple[tuple[str, dt.datetime], ...]) -> Library:
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


def to_json(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def frameworks_for(facility: Facility) -> list[str]:
    """Vietnamese law plus every framework the facility's buyers require, each once."""
    required = RequiredFramework.objects.filter(buyer__supply_links__facility=facility)
    ids = list(dict.fromkeys([*LAW, *required.values_list("framework_id", flat=True)]))
    known = library().frameworks
    return [f for f in ids if f in known]


def buyers_by_framework(facility: Facility) -> dict[str, list[str]]:
    """For each framework, the facility's buyers that require it (who a finding concerns)."""
    out: dict[str, list[str]] = {}
    rows = RequiredFramework.objects.filter(buyer__supply_links__facility=facility).select_related("buyer")
    for row in rows.order_by("buyer__name"):
        out.setdefault(row.framework_id, []).append(row.buyer.name)
    return out


class PeriodRefused(ValidationError):
    """A period the facility cannot have an assessment for; `field` is the date to change."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code: str = code
        self.field = "start" if code in ("period_too_early", "period_exists", "period_overlaps") else "end"

    def explain(self, lang: str = "") -> str:
        with translation.override(lang or translation.get_language()):
            return str(PERIOD_MESSAGES[self.code])


PERIOD_MESSAGES = {
    "period_reversed": _("The period ends before it starts."),
    "period_too_long": _("A period is at most a year (366 days)."),
    "period_too_early": _("A period starts on 1 January 2000 or later."),
    "period_in_future": _("A period ends by the end of this year at the latest."),
    "period_exists": _("This facility has an assessment for this period already."),
    "period_overlaps": _("This period overlaps another assessment of this facility."),
}


def create_assessment(facility_id: int, *, user: Any, start: dt.date, end: dt.date) -> Assessment:
    facility = access.get_facility(facility_id, user, write=True)
    with transaction.atomic():
        Facility.objects.select_for_update().filter(pk=facility.pk).first()  # one new period at a time
        existing = facility.assessments.values_list("period_start", "period_end").distinct()
        problems = rules.period_problems(start, end, today=timezone.localdate(), existing=existing)
        if problems:
            raise PeriodRefused(problems[0])
        return Assessment.objects.create(
            facility=facility, period_start=start, period_end=end, created_by=user
        )


def delete_assessment(assessment_id: int, *, user: Any) -> None:
    """Delete a draft (its answers, changes and evidence files go with it); never once submitted."""
    assessment = access.get_assessment(assessment_id, user, write=True)
    with transaction.atomic():
        assessment = lock_assessment(assessment.pk)
        if not rules.deletable(assessment.status):
            raise Locked(assessment.status)
        stored = list(assessment.evidence.values_list("stored_name", flat=True))
        assessment.delete()
    from commonground.assessments.evidence import remove_files

    remove_files(assessment_id, stored)


def lock_assessment(assessment_id: int) -> Assessment:
    """The assessment row, locked until the transaction ends (its state cannot change meanwhile)."""
    return Assessment.objects.select_for_update().select_related("facility").get(pk=assessment_id)


def check_open_to_factory(assessment: Assessment) -> None:
    """Answers, evidence and copy-forward from the factory: only in a draft or a returned assessment."""
    if not rules.factory_may_change(assessment.status):
        raise Locked(assessment.status)


def save_answer(
    assessment_id: int,
    datapoint: str,
    raw: Any,
    *,
    user: Any,
    unit: str | None = None,
    reason: str = "",
    source: str = "",
    lang: Lang = "en",
) -> Answer | None:
    """Check, convert and store one answer (blank removes it), recording the change. Nothing is
    stored when the answer is refused. A number in text is read in `lang`'s convention: the page
    passes its reader's language, the API keeps the neutral "en" (core.numbers)."""
    assessment = access.get_assessment(assessment_id, user, write=True)
    check_open_to_factory(assessment)
    for field, text, column in (("reason", reason, AnswerChange.reason), ("source", source, Answer.source)):
        limit = column.field.max_length or 0
        if len(text) > limit:  # page and API alike: the column's own limit, before the database
            raise AnswerRefused(Problem(f"{field}_too_long", where=field, params={"max": limit}))
    value = checked_value(datapoint, raw, unit, lang, blank_removes=True)
    return _store(assessment, datapoint, value, user=user, reason=reason, source=source)


def checked_value(
    datapoint: str, raw: Any, unit: str | None, lang: Lang = "en", *, blank_removes: bool = False
) -> Any:
    """`raw` checked and converted for the catalogue's `datapoint`, as stored (JSON); refused with
    the problem when the data point is unknown or the value does not fit it. With `blank_removes`,
    a blank value is None (the factory removes its answer); otherwise a blank is refused too."""
    dp = library().datapoints.get(datapoint)
    if dp is None:
        where = datapoint[:100]
        raise AnswerRefused(Problem("unknown_datapoint", where=where, params={"id": where}))
    if blank_removes and raw in (None, ""):
        return None
    try:
        return to_json(normalise(dp, raw, unit, lang))
    except ValueProblem as exc:
        raise AnswerRefused(Problem(exc.code, where=datapoint, params=exc.params)) from None


def _store(
    assessment: Assessment, datapoint: str, value: Any, *, user: Any, reason: str, source: str
) -> Answer | None:
    with transaction.atomic():
        # The assessment's row lock also serialises writers of its answers: a second writer of a
        # brand-new answer waits here and then finds the first one's row (no duplicate insert).
        check_open_to_factory(lock_assessment(assessment.pk))  # a submission cannot slip in between
        answer = Answer.objects.select_for_update().filter(assessment=assessment, datapoint=datapoint).first()
        old = answer.value if answer else None
        if old == value:
            return answer
        AnswerChange.objects.create(
            assessment=assessment,
            datapoint=datapoint,
            old_value=old,
            new_value=value,
            reason=reason,
            changed_by=user,
        )
        if value is None:
            if answer:
                answer.delete()
            return None
        if answer is None:
            return Answer.objects.create(
                assessment=assessment, datapoint=datapoint, value=value, source=source, updated_by=user
            )
        answer.value, answer.updated_by = value, user
        answer.verification, answer.reported_value = Answer.Verification.PENDING, None  # to verify again
        answer.save(update_fields=["value", "updated_by", "verification", "reported_value", "updated_at"])
        return answer


def submit_assessment(assessment_id: int, *, user: Any) -> Assessment:
    """A draft, or one the verifier returned, goes to the verifier."""
    assessment = access.get_assessment(assessment_id, user, write=True)
    with transaction.atomic():
        assessment = lock_assessment(assessment.pk)
        try:
            assessment.status = rules.next_status(assessment.status, "submit")
        except rules.TransitionRefused:
            raise Locked(assessment.status) from None
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at"])
    return assessment


def core_assessment(assessment: Assessment) -> core_assessments.Assessment:
    """The stored answers as the engine's assessment (values re-checked against the catalogue)."""
    answers = ((a.datapoint, a.value) for a in assessment.answers.all())  # prefetched ones too
    return _core(assessment, answers, library())


def core_assessments_of(assessments: Sequence[Assessment]) -> list[core_assessments.Assessment]:
    """`core_assessment` for many assessments, with the answers of all of them in one query (the
    facilities should be fetched with them: `select_related("facility")`)."""
    answers: dict[int, list[tuple[str, Any]]] = {a.pk: [] for a in assessments}
    rows = Answer.objects.filter(assessment__in=list(answers)).values_list(
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


def latest_verified(facility: Facility) -> Assessment | None:
    """The facility's most recent verified assessment (its highest version)."""
    return latest_verified_of([facility]).get(facility.pk)


def latest_verified_of(facilities: Iterable[Facility]) -> dict[int, Assessment]:
    """`latest_verified` for many facilities in one query: facility id -> assessment (its
    `facility` is the object given, not read again)."""
    by_id = {f.pk: f for f in facilities}
    found: dict[int, Assessment] = {}
    for assessment in _newest_verified(list(by_id)):
        assessment.facility = by_id[assessment.facility_id]
        found[assessment.facility_id] = assessment
    return found


def _newest_verified(facility_ids: list[int] | QuerySet[Any]) -> QuerySet[Assessment]:
    """Each facility's latest verified assessment (newest period, then highest version), one query."""
    newest = Window(
        RowNumber(), partition_by=[F("facility_id")], order_by=[F("period_end").desc(), F("version").desc()]
    )
    verified = Assessment.objects.filter(facility_id__in=facility_ids, status=Assessment.Status.VERIFIED)
    return verified.annotate(newest=newest).filter(newest=1)


class VerifiedRef(NamedTuple):
    """What a list of many facilities needs of each one's latest verified assessment (values, not a
    model object): enough to find its kept outcome and to name its period."""

    pk: int
    facility_id: int
    period_start: dt.date
    period_end: dt.date
    version: int
    verified_at: dt.datetime | None
    status: str = Assessment.Status.VERIFIED


def latest_verified_refs(facility_ids: Iterable[int] | QuerySet[Any]) -> dict[int, VerifiedRef]:
    """Facility id -> its latest verified assessment, for many facilities in one query (`facility_ids`
    may be a query of facility ids, kept in the database as a subquery)."""
    ids = facility_ids if isinstance(facility_ids, QuerySet) else list(facility_ids)
    rows = _newest_verified(ids).values_list(
        "pk", "facility_id", "period_start", "period_end", "version", "verified_at"
    )
    return {row[1]: VerifiedRef(*row) for row in rows}


def evaluate_assessment(
    assessment_id: int, *, user: Any, framework_ids: Iterable[str] = (), channel: str = "page"
) -> Evaluation:
    """Results computed from the engine when asked: never a stored copy in the database."""
    return evaluate(
        access.get_assessment(assessment_id, user, channel=channel, what="results"), framework_ids
    )


def evaluate(assessment: Assessment, framework_ids: Iterable[str] = ()) -> Evaluation:
    """Results of an assessment the caller got through the access helper, or whose reader it has
    checked otherwise (a grantee's grant: sharing.services.shared_facility)."""
    ids = list(framework_ids) or frameworks_for(assessment.facility)
    return _evaluate(assessment, ids)


# A verified assessment is locked: its evaluation follows from the library, the frameworks and the
# facility's names alone, so it is kept in memory (about 77 KB each) until the library changes.
_EVALUATIONS: Kept[tuple[Any, ...], Evaluation] = Kept(1000)


def _evaluate(assessment: Assessment, framework_ids: Sequence[str]) -> Evaluation:
    lib, ids = library(), tuple(framework_ids)
    if assessment.status != Assessment.Status.VERIFIED:
        return engine(lib, ids).evaluate(core_assessment(assessment))
    f = assessment.facility
    key = (assessment.pk, assessment.verified_at, ids, f.name, f.name_vi, f.os_id)
    found = _EVALUATIONS.get(lib, [key]).get(key)
    if found is None:
        found = engine(lib, ids).evaluate(core_assessment(assessment))
        _EVALUATIONS.put(lib, {key: found})
    return found


def forget_evaluations() -> None:
    """Drop every kept evaluation (tests: a rolled-back test database gives out the same ids again)."""
    _EVALUATIONS.clear()


_ENGINES: tuple[Library | None, dict[tuple[str, ...], Engine]] = (None, {})


def engine(lib: Library, framework_ids: Iterable[str]) -> Engine:
    """The compiled engine for these frameworks of this library, compiled once per process (an
    Engine never changes once built); all are dropped when the library changes."""
    global _ENGINES
    kept, engines = _ENGINES
    if kept is not lib:
        engines = {}
        _ENGINES = (lib, engines)
    key = tuple(framework_ids)
    if key not in engines:
        if len(engines) >= 64:  # a few framework sets are in use; never let them pile up
            engines.clear()
        engines[key] = Engine(lib, key)
    return engines[key]


# ---- verification and versions ---------------------------------------------------------------

VERIFICATION_METHODS = rules.METHODS


def invite_verifier(assessment_id: int, verifier_id: int, *, user: Any) -> Assessment:
    """The facility chooses the verifier body that may verify this assessment."""
    from commonground.accounts.models import Organisation

    assessment = access.get_assessment(assessment_id, user, write=True)
    if assessment.locked or (assessment.status == Assessment.Status.SUBMITTED and assessment.verifier_id):
        raise Locked(assessment.status)  # the invited body is verifying it now
    verifier = Organisation.objects.get(pk=verifier_id, kind=Organisation.Kind.VERIFIER_BODY)
    assessment.verifier = verifier
    assessment.save(update_fields=["verifier"])
    return assessment


def verify_answer(
    assessment_id: int,
    datapoint: str,
    *,
    user: Any,
    method: str,
    note: str = "",
    corrected: Any = None,
    unit: str | None = None,
    lang: Lang = "en",
) -> Answer:
    """The invited verifier confirms an answer, or corrects it (see assessments.verification)."""
    from commonground.assessments import verification

    if corrected in (None, ""):
        verification.confirm_answers(assessment_id, [datapoint], user=user, method=method, note=note)
        return Answer.objects.get(assessment_id=assessment_id, datapoint=datapoint)
    return verification.correct_answer(
        assessment_id, datapoint, corrected, user=user, method=method, unit=unit, note=note, lang=lang
    )


def complete_verification(assessment_id: int, *, user: Any) -> Assessment:
    """Lock a submitted assessment once every answer is confirmed or corrected."""
    from commonground.assessments import verification

    return verification.complete_verification(assessment_id, user=user)


def new_version(assessment_id: int, *, user: Any) -> Assessment:
    """A verified assessment stays as it is; changes go into a new draft version with its answers."""
    old = access.get_assessment(assessment_id, user, write=True)
    if not old.locked:
        raise ValidationError("only a verified assessment gets a new version")
    with transaction.atomic():
        lock_assessment(old.pk)  # two clicks: the second waits, then finds the first one's draft
        started = (
            Assessment.objects.filter(
                facility=old.facility,
                period_start=old.period_start,
                period_end=old.period_end,
                version__gt=old.version,
            )
            .order_by("-version")
            .first()
        )
        if started is not None:  # a newer version exists already: that one is where changes go
            return started
        new = Assessment.objects.create(
            facility=old.facility,
            period_start=old.period_start,
            period_end=old.period_end,
            version=old.version + 1,
            previous=old,
            verifier=old.verifier,
            created_by=user,
        )
        Answer.objects.bulk_create(
            Answer(assessment=new, datapoint=a.datapoint, value=a.value, source=a.source, updated_by=user)
            for a in old.answers.all()
        )
    return new


def copy_forward(assessment_id: int, *, user: Any) -> int:
    """Copy last period's answers that this assessment does not have yet; returns how many."""
    assessment = access.get_assessment(assessment_id, user, write=True)
    check_open_to_factory(assessment)
    earlier = (
        Assessment.objects.filter(facility=assessment.facility, period_end__lt=assessment.period_start)
        .order_by("-period_end", "-version")
        .first()
    )
    if earlier is None:
        return 0
    have = set(assessment.answers.values_list("datapoint", flat=True))
    copied = [a for a in earlier.answers.all() if a.datapoint not in have]
    reason = f"copied from {earlier.period_start.isoformat()} – {earlier.period_end.isoformat()}"
    with transaction.atomic():
        check_open_to_factory(lock_assessment(assessment.pk))
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment, datapoint=a.datapoint, value=a.value, source=a.source, updated_by=user
            )
            for a in copied
        )
        AnswerChange.objects.bulk_create(
            AnswerChange(
                assessment=assessment,
                datapoint=a.datapoint,
                old_value=None,
                new_value=a.value,
                reason=reason,
                changed_by=user,
            )
            for a in copied
        )
    return len(copied)
