"""Use cases of the assessment workflow: one function each, called by pages, API and commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from commonground.accounts.library import library
from commonground.assessments import access as assessment_access
from commonground.assessments.evaluations import evaluate
from commonground.assessments.models import Answer, AnswerChange, Assessment
from commonground.common.rows import value_rows
from commonground.common.storage import assessment_file, remove_files
from commonground.core import verification as rules
from commonground.core.catalogue import ValueProblem, normalise
from commonground.core.engine import Evaluation
from commonground.core.errors import Lang, Problem, fail
from commonground.core.spreadsheet import Sheet
from commonground.core.state_forms import FilledForm
from commonground.facilities import access as facility_access
from commonground.facilities import profile
from commonground.facilities.models import Facility, RequiredFramework


class AnswerRefused(ValidationError):
    """An answer that does not fit its data point; `problem` renders it in either language."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message("en"))
        self.problem = problem


class Locked(ValidationError):
    """A change the assessment's state does not allow now (core.verification); `status` is that state."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status

    def explain(self, lang: str = "") -> str:
        """Why, in the reader's language: with the verifier, verified, or no longer changeable."""
        with translation.override(lang or translation.get_language()):
            return str(LOCKED_MESSAGES.get(self.status, LOCKED_MESSAGES[""]))


LOCKED_MESSAGES = {
    "submitted": _("This assessment is with the verifier: it takes no change until the verifier returns it."),
    "verified": _("This assessment is verified and locked: a change needs a new version."),
    "": _("This assessment can no longer be changed."),
}


def to_json(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


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
    facility = facility_access.get_facility(facility_id, user, write=True)
    with transaction.atomic():
        Facility.objects.select_for_update().filter(pk=facility.pk).first()  # one new period at a time
        existing = facility.assessments.values_list("period_start", "period_end").distinct()
        problems = rules.period_problems(start, end, today=timezone.localdate(), existing=existing)
        if problems:
            raise PeriodRefused(problems[0])
        created = Assessment.objects.create(
            facility=facility, period_start=start, period_end=end, created_by=user
        )
        profile.prefill(created, user=user)  # the first period starts with the facility's profile
        return created


def delete_assessment(assessment_id: int, *, user: Any) -> None:
    """Delete a draft (its answers, changes and evidence files go with it); never once submitted."""
    assessment = assessment_access.get_assessment(assessment_id, user, write=True)
    with transaction.atomic():
        assessment = lock_assessment(assessment.pk)
        if not rules.deletable(assessment.status):
            raise Locked(assessment.status)
        stored = assessment.evidence.values_list("stored_name", flat=True)
        names = [assessment_file(assessment.pk, stored_name) for stored_name in stored]
        assessment.delete()
        profile.refresh([assessment.facility_id])  # the profile may be an earlier period's again
        # the files go once the rows are gone for good (not if an enclosing transaction rolls back)
        transaction.on_commit(lambda: remove_files(names))


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
    assessment = assessment_access.get_assessment(assessment_id, user, write=True)
    check_open_to_factory(assessment)
    for field, text, column in (("reason", reason, AnswerChange.reason), ("source", source, Answer.source)):
        limit = column.field.max_length or 0
        if len(text) > limit:  # page and API alike: the column's own limit, before the database
            raise AnswerRefused(Problem(f"{field}_too_long", where=field, params={"max": limit}))
    value = checked_value(datapoint, raw, unit, lang, blank_removes=True)
    return store_answer(assessment, datapoint, value, user=user, reason=reason, source=source)


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


def store_answer(
    assessment: Assessment, datapoint: str, value: Any, *, user: Any, reason: str, source: str = ""
) -> Answer | None:
    """Store an already checked value (see `checked_value`) in an assessment open to the factory,
    recording the change; a profile fact also updates the facility's copy in the same transaction."""
    with transaction.atomic():
        answer = _store(assessment, datapoint, value, user=user, reason=reason, source=source)
        profile.refresh_after([datapoint], assessment.facility_id)
    return answer


def store_answers(
    assessment: Assessment,
    answers: list[tuple[str, Any, str]],
    *,
    user: Any,
    reason: str,
    progress: Any = None,
) -> int:
    """Several checked values (datapoint, value, source) stored in one transaction, all or none (an
    import); each change recorded as one answer's would be. Returns how many answers changed;
    `progress(done, total)` is told every 50."""
    changed = 0
    with transaction.atomic():
        check_open_to_factory(lock_assessment(assessment.pk))
        before = dict(assessment.answers.values_list("datapoint", "value"))
        for done, (datapoint, value, source) in enumerate(answers, start=1):
            _store(assessment, datapoint, value, user=user, reason=reason, source=source)
            changed += before.get(datapoint) != value
            if progress is not None and (done % 50 == 0 or done == len(answers)):
                progress(done, len(answers))
        profile.refresh_after([a[0] for a in answers], assessment.facility_id)
    return changed


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
    assessment = assessment_access.get_assessment(assessment_id, user, write=True)
    with transaction.atomic():
        assessment = lock_assessment(assessment.pk)
        try:
            assessment.status = rules.next_status(assessment.status, "submit")
        except rules.TransitionRefused:
            raise Locked(assessment.status) from None
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at"])
    return assessment


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
    return {row[1]: VerifiedRef(*row) for row in value_rows(rows)}


def evaluate_assessment(
    assessment_id: int, *, user: Any, framework_ids: Iterable[str] = (), channel: str = "page"
) -> Evaluation:
    """Results computed from the engine when asked: never a stored copy in the database."""
    return evaluate(
        assessment_access.get_assessment(assessment_id, user, channel=channel, what="results"), framework_ids
    )


def results_sheets(assessment_id: int, *, user: Any, lang: Lang, channel: str = "page") -> list[Sheet]:
    """The assessment's results and findings as spreadsheet sheets (summary, requirements,
    findings) in `lang`: the one use case behind the page's, the API's and a job's download."""
    from commonground.core.exports import assessment_sheets

    item = assessment_access.get_assessment(assessment_id, user, channel=channel, what="results")
    return assessment_sheets(evaluate(item), library(), lang, buyers_by_framework(item.facility))


def state_form(
    assessment_id: int, form_id: str, *, user: Any, lang: Lang, channel: str = "page"
) -> FilledForm:
    """A state form (the labour-law self-inspection) filled from the assessment's answers, for
    whoever may see its results (the read logged as theirs is): the one use case behind the page's
    XLSX and PDF downloads."""
    from commonground.core.state_forms import fill

    lib = library()
    form = lib.forms.get(form_id)
    if form is None:
        raise fail("unknown_form", id=form_id, known=", ".join(sorted(lib.forms)))
    item = assessment_access.get_assessment(assessment_id, user, channel=channel, what="results")
    f = item.facility
    profile = {"name": f.name, "name_vi": f.name_vi, "address": f.address, "tax_code": f.tax_code}
    return fill(form, evaluate(item, form.frameworks), lib, lang, profile)


# ---- verification and versions ---------------------------------------------------------------

VERIFICATION_METHODS = rules.METHODS


def invite_verifier(assessment_id: int, verifier_id: int, *, user: Any) -> Assessment:
    """The facility chooses the verifier body that may verify this assessment."""
    from commonground.accounts.models import Organisation

    assessment = assessment_access.get_assessment(assessment_id, user, write=True)
    verifier = Organisation.objects.get(pk=verifier_id, kind=Organisation.Kind.VERIFIER_BODY)
    with transaction.atomic():
        assessment = lock_assessment(assessment.pk)
        if assessment.locked or (assessment.status == Assessment.Status.SUBMITTED and assessment.verifier_id):
            raise Locked(assessment.status)  # verified, or the invited body is verifying it now
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
    old = assessment_access.get_assessment(assessment_id, user, write=True)
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
    assessment = assessment_access.get_assessment(assessment_id, user, write=True)
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
        profile.refresh_after([a.datapoint for a in copied], assessment.facility_id)
    return len(copied)
