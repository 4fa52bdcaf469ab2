"""Verification use cases: the worklist, confirm, correct, return and complete. Pages and API call
these same functions; the states and what is pending are decided in core.verification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commonground.accounts import access
from commonground.accounts.library import library
from commonground.assessments import access as assessment_access
from commonground.assessments.models import Answer, AnswerChange, Assessment, Evidence, VerificationRecord
from commonground.assessments.services import Locked, checked_value
from commonground.assessments.signals import assessment_verified
from commonground.core import verification as rules
from commonground.core.catalogue import DataPoint
from commonground.core.errors import Lang
from commonground.facilities import profile
from commonground.facilities.services import facility_burden

MAX_DATAPOINTS = 1000  # more than the catalogue holds
WORKLIST = (Assessment.Status.SUBMITTED, Assessment.Status.RETURNED, Assessment.Status.VERIFIED)
Step = VerificationRecord.Step


class VerificationRefused(ValidationError):
    """A verification request that cannot be carried out: `field` names what is wrong."""

    def __init__(self, code: str, text: Promise | str, field: str = "", **params: Any) -> None:
        super().__init__(code)
        self.code, self.text, self.field, self.params = code, text, field, params

    def explain(self, lang: str = "") -> str:
        """The message in this language (the active one when none is given)."""
        with translation.override(lang or translation.get_language()):
            return str(self.text) % self.params if self.params else str(self.text)


class StillPending(ValidationError):
    """Completion refused: these answers are neither confirmed nor corrected."""

    def __init__(self, datapoints: Sequence[str]) -> None:
        super().__init__(f"not verified yet: {', '.join(datapoints)}")
        self.datapoints = list(datapoints)


def worklist(user: Any, status: str | None = None) -> QuerySet[Assessment]:
    """The assessments the user's verifier bodies were invited to verify (never drafts), each with
    `pending`: how many answers are neither confirmed nor corrected."""
    if status is not None and status not in WORKLIST:
        raise VerificationRefused("status_unknown", _("Choose submitted, returned or verified."), "status")
    statuses = [status] if status else list(WORKLIST)
    pending = Count("answers", filter=Q(answers__verification=Answer.Verification.PENDING))
    found = Assessment.objects.filter(verifier__in=access.organisations_of(user), status__in=statuses)
    return (
        found.select_related("facility")
        .annotate(pending=pending)
        .order_by("-period_end", "facility__name", "pk")
    )


def worklist_counts(user: Any) -> dict[str, int]:
    """How many assessments of the worklist are in each state."""
    rows = worklist(user).order_by().values("status").annotate(n=Count("pk", distinct=True))
    counts = {str(s): 0 for s in WORKLIST}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


@dataclass(frozen=True)
class WorklistSection:
    status: str
    label: str
    count: int
    items: list[Assessment]  # each with `pending`; the first `limit` only


def worklist_sections(
    user: Any, *, status: str | None = None, limit: int | None = 10
) -> list[WorklistSection]:
    """The worklist by state (submitted, returned, verified), for the home page and the worklist
    page: how many are in each state and the first `limit` of each."""
    counts = worklist_counts(user)
    statuses = [status] if status in WORKLIST else list(WORKLIST)
    return [
        WorklistSection(s, str(Assessment.Status(s).label), counts[s], list(worklist(user, s)[:limit]))
        for s in statuses
    ]


def pending_datapoints(assessment: Assessment) -> list[str]:
    rows = assessment.answers.values_list("datapoint", "verification")
    return rules.pending(dict(rows))


def _locked_for_verifier(assessment_id: int, user: Any) -> Assessment:
    """The assessment, row-locked until the transaction ends, when this user may verify it now."""
    assessment_access.get_assessment_to_verify(assessment_id, user)  # 404 for anyone else
    assessment = Assessment.objects.select_for_update().select_related("facility").get(pk=assessment_id)
    if not rules.verifier_may_change(assessment.status):
        raise Locked(assessment.status)
    return assessment


def _check(method: str, note: str) -> None:
    if method not in rules.METHODS:
        raise VerificationRefused("method_unknown", _("Choose one of the verification methods."), "method")
    _check_text(note, "note")


def _check_text(text: str, field: str) -> None:
    problem = rules.text_problem(text)
    if problem == "too_long":
        raise VerificationRefused("too_long", _("At most %(n)s characters."), field, n=rules.MAX_NOTE)
    if problem:
        raise VerificationRefused(
            "bad_characters", _("This text holds characters that cannot be stored."), field
        )


def confirm_answers(
    assessment_id: int,
    datapoints: Sequence[str] | Literal["all"],
    *,
    user: Any,
    method: str,
    note: str = "",
    topic: str = "",
) -> int:
    """Confirm these answers as they stand, or with "all" every one still pending (of one topic
    when `topic` is given); returns how many were confirmed."""
    assessment_access.get_assessment_to_verify(assessment_id, user)  # 404 before any word on the input
    _check(method, note)
    _check_text(topic, "topic")
    with transaction.atomic():
        assessment = _locked_for_verifier(assessment_id, user)
        answers = assessment.answers.select_for_update()
        if datapoints == "all":
            answers = answers.filter(verification=Answer.Verification.PENDING)
            answers = answers.filter(datapoint__startswith=f"{topic}.") if topic else answers
        else:
            answers = answers.filter(datapoint__in=_known_answers(assessment, datapoints))
        found = list(answers)
        now = timezone.now()
        for answer in found:
            answer.verification, answer.method, answer.note = Answer.Verification.CONFIRMED, method, note
            answer.verified_by, answer.verified_at = user, now
        Answer.objects.bulk_update(found, ["verification", "method", "note", "verified_by", "verified_at"])
        VerificationRecord.objects.bulk_create(
            _record(assessment, a.datapoint, Step.CONFIRMED, user, method, note, value=a.value) for a in found
        )
    return len(found)


def _known_answers(assessment: Assessment, datapoints: Sequence[str]) -> list[str]:
    """The data points asked for, refused when one of them has no answer in this assessment."""
    if len(datapoints) > MAX_DATAPOINTS:
        raise VerificationRefused(
            "too_many", _("At most %(n)s answers at once."), "datapoints", n=MAX_DATAPOINTS
        )
    asked = list(dict.fromkeys(str(d)[:100] for d in datapoints))
    if not asked:
        raise VerificationRefused("datapoints_missing", _("Name at least one answer."), "datapoints")
    if any(rules.text_problem(d) for d in asked):
        raise VerificationRefused(
            "bad_characters", _("This text holds characters that cannot be stored."), "datapoints"
        )
    have = set(assessment.answers.filter(datapoint__in=asked).values_list("datapoint", flat=True))
    unknown = [d for d in asked if d not in have]
    if unknown:
        ids = ", ".join(unknown[:5]).encode("utf-8", "replace").decode()
        message = _("This assessment has no answer for %(ids)s.")
        raise VerificationRefused("datapoint_unknown", message, "datapoints", ids=ids)
    return asked


def correct_answer(
    assessment_id: int,
    datapoint: str,
    raw: Any,
    *,
    user: Any,
    method: str,
    unit: str | None = None,
    note: str = "",
    lang: Lang = "en",
) -> Answer:
    """The verifier's value replaces the answer; the factory's value is kept beside it. A number in
    text is read in `lang`'s convention: the page passes its reader's language, the API keeps "en"."""
    assessment_access.get_assessment_to_verify(assessment_id, user)  # 404 before any word on the input
    _check(method, note)
    value = checked_value(datapoint, raw, unit, lang)
    with transaction.atomic():
        assessment = _locked_for_verifier(assessment_id, user)
        answer = assessment.answers.select_for_update().filter(datapoint=datapoint).first()
        if answer is None:
            _known_answers(assessment, [datapoint])
        assert answer is not None
        return _correct(assessment, answer, value, user=user, method=method, note=note)


def _correct(
    assessment: Assessment, answer: Answer, value: Any, *, user: Any, method: str, note: str
) -> Answer:
    reported = answer.value if answer.verification != Answer.Verification.CORRECTED else answer.reported_value
    if value != answer.value:
        AnswerChange.objects.create(
            assessment=assessment,
            datapoint=answer.datapoint,
            old_value=answer.value,
            new_value=value,
            reason=f"verifier: {note}"[:300],
            changed_by=user,
        )
    answer.reported_value, answer.value = reported, value
    answer.verification, answer.method, answer.note = Answer.Verification.CORRECTED, method, note
    answer.verified_by, answer.verified_at, answer.updated_by = user, timezone.now(), user
    answer.save()
    VerificationRecord.objects.create(
        **_fields(
            assessment, answer.datapoint, Step.CORRECTED, user, method, note, value=value, reported=reported
        )
    )
    profile.refresh_after([answer.datapoint], assessment.facility_id)
    return answer


def complete_verification(assessment_id: int, *, user: Any) -> Assessment:
    """Lock a submitted assessment once every answer is confirmed or corrected, in one transaction:
    no answer can change between the check and the lock."""
    with transaction.atomic():
        assessment = _locked_for_verifier(assessment_id, user)
        still = pending_datapoints(assessment)
        if still:
            raise StillPending(still)
        assessment.status = rules.next_status(assessment.status, "complete")
        assessment.verified_at = timezone.now()
        assessment.save(update_fields=["status", "verified_at"])
        VerificationRecord.objects.create(**_fields(assessment, "", Step.COMPLETED, user))
        assessment_verified.send(sender=Assessment, assessment=assessment)  # actions reopen or close
    return assessment


def return_assessment(assessment_id: int, *, user: Any, comment: str) -> Assessment:
    """Send a submitted assessment back to the factory with the verifier's comment."""
    assessment_access.get_assessment_to_verify(assessment_id, user)  # 404 before any word on the input
    comment = comment.strip()
    if not comment:
        raise VerificationRefused("comment_missing", _("Say what the factory should correct."), "comment")
    _check_text(comment, "comment")
    with transaction.atomic():
        assessment = _locked_for_verifier(assessment_id, user)
        assessment.status = rules.next_status(assessment.status, "return")
        assessment.returned_comment = comment
        assessment.save(update_fields=["status", "returned_comment"])
        VerificationRecord.objects.create(**_fields(assessment, "", Step.RETURNED, user, note=comment))
    return assessment


def _fields(
    assessment: Assessment,
    datapoint: str,
    step: str,
    user: Any,
    method: str = "",
    note: str = "",
    *,
    value: Any = None,
    reported: Any = None,
) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "datapoint": datapoint,
        "step": step,
        "method": method,
        "note": note,
        "value": value,
        "reported_value": reported,
        "recorded_by": user,
    }


def _record(
    assessment: Assessment, datapoint: str, step: str, user: Any, method: str, note: str, *, value: Any
) -> VerificationRecord:
    return VerificationRecord(**_fields(assessment, datapoint, step, user, method, note, value=value))


@dataclass(frozen=True)
class Reviewed:
    """One answer as the verifier reviews it: its data point (None when no longer in the
    catalogue), the evidence attached to it, and whether today's questionnaire still asks it."""

    answer: Answer
    dp: DataPoint | None
    evidence: list[Evidence]
    asked: bool


@dataclass(frozen=True)
class Review:
    assessment: Assessment
    topics: list[tuple[str, list[Reviewed]]]  # in the catalogue's topic order; unknown ones last
    general_evidence: list[Evidence]
    pending: list[str]
    records: list[VerificationRecord]
    can_verify: bool = True  # False for a viewer of the verifier body: the page is read-only


def _reviewable(assessment_id: int, user: Any) -> tuple[Assessment, bool]:
    """The assessment for a member of the verifier body it invited, and whether this member verifies
    it (its editors) or only reads it (its viewers, whose read goes in the facility's access log)."""
    try:
        return assessment_access.get_assessment_to_verify(assessment_id, user), True
    except Http404:
        pass
    invited = Assessment.objects.filter(pk=assessment_id, verifier__in=access.organisations_of(user))
    if not invited.exists():
        raise Http404
    return assessment_access.get_assessment(assessment_id, user, what="verification"), False


def get_review(assessment_id: int, user: Any) -> Review:
    """Every answer of the assessment, questionnaire or not, grouped by topic, for its verifier body
    (read-only for the body's viewers)."""
    assessment, can_verify = _reviewable(assessment_id, user)
    assessment = Assessment.objects.select_related("facility").get(pk=assessment.pk)
    lib = library()
    asked = {q.datapoint.id for q in facility_burden(assessment.facility).questionnaire.questions}
    evidence: dict[str, list[Evidence]] = {}
    for e in assessment.evidence.all():
        evidence.setdefault(e.datapoint, []).append(e)
    answers = assessment.answers.select_related("verified_by").order_by("datapoint")
    grouped: dict[str, list[Reviewed]] = {}
    for a in answers:
        item = Reviewed(
            a, lib.datapoints.get(a.datapoint), evidence.get(a.datapoint, []), a.datapoint in asked
        )
        grouped.setdefault(a.datapoint.split(".", 1)[0], []).append(item)
    order = {t: i for i, t in enumerate(lib.topics)}
    topics = sorted(grouped.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    pending = [
        i.answer.datapoint for _t, items in topics for i in items if i.answer.verification == "pending"
    ]
    records = list(assessment.verification_records.filter(datapoint="").select_related("recorded_by"))
    return Review(assessment, topics, evidence.get("", []), pending, records, can_verify)
