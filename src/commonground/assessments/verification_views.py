"""The verifier's pages: the worklist and one assessment's verification. Parse, call, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.accounts.library import library
from commonground.assessments import services, verification
from commonground.assessments.models import Answer
from commonground.common.language import page_lang
from commonground.core.errors import Lang
from commonground.core.i18n import gettext as core_gettext
from commonground.core.i18n import gettext_noop
from commonground.core.report import value_text

# the catalogue's verification methods in the reader's words (English, Vietnamese)
METHOD_WORDS = {
    "document_review": gettext_noop("Document review"),
    "management_interview": gettext_noop("Management interview"),
    "worker_interview": gettext_noop("Worker interview"),
    "observation": gettext_noop("Observation"),
    "measurement": gettext_noop("Measurement"),
    "lab_report": gettext_noop("Laboratory report"),
}


def method_words(lang: Lang) -> dict[str, str]:
    return {code: core_gettext(word, lang) for code, word in METHOD_WORDS.items()}


def verifier_says(request: HttpRequest) -> dict[str, Any]:
    """What a verifier's form gives beside the answer and its value: the method, the note, the unit
    of a corrected value (the answer page's form and the verification page's read it alike)."""
    return {
        "method": request.POST.get("method", ""),
        "note": request.POST.get("note", ""),
        "unit": request.POST.get("unit") or None,
    }


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """Every assessment the user's verifier bodies were invited to verify, by state."""
    status = request.GET.get("status") or None
    context = {"worklist": verification.worklist_sections(request.user, status=status, limit=None)}
    return render(request, "assessments/worklist.html", context)


@login_required
def page(request: HttpRequest, assessment_id: int, error: dict[str, Any] | None = None) -> HttpResponse:
    review = verification.get_review(assessment_id, request.user)
    lang = page_lang(request)
    lib, words = library(), method_words(lang)
    topics: list[dict[str, Any]] = [
        {
            "id": topic,
            "name": lib.topics[topic].name.get(lang) if topic in lib.topics else topic,
            "items": [_item(i, lang, words) for i in items],
            "pending": sum(1 for i in items if i.answer.verification == Answer.Verification.PENDING),
        }
        for topic, items in review.topics
    ]
    context = {
        "assessment": review.assessment,
        "topics": topics,
        "shown": _shown_topic(topics, request.GET.get("topic") or (error or {}).get("topic", "")),
        "pending_count": len(review.pending),
        "total": sum(len(t["items"]) for t in topics),
        "general_evidence": review.general_evidence,
        "records": review.records,
        "can_change": review.can_verify and review.assessment.status == review.assessment.Status.SUBMITTED,
        "read_only": not review.can_verify,
        "methods": list(words.items()),
        "error": error or {},
    }
    return render(request, "assessments/verification.html", context, status=400 if error else 200)


def _shown_topic(topics: list[dict[str, Any]], asked: str) -> dict[str, Any] | None:
    """One topic at a time (the page stays small however many answers): the one asked for, else the
    first with answers still pending, else the first."""
    found = [t for t in topics if t["id"] == asked] or [t for t in topics if t["pending"]] or topics
    return found[0] if found else None


def _item(reviewed: verification.Reviewed, lang: Lang, words: dict[str, str]) -> dict[str, Any]:
    answer, dp = reviewed.answer, reviewed.dp
    return {
        "id": answer.datapoint,
        "label": dp.label.get(lang) if dp else answer.datapoint,
        "shown": _shown(answer.value, dp, lang),
        "reported": _shown(answer.reported_value, dp, lang) if answer.reported_value is not None else "",
        "answer": answer,
        "pending": answer.verification == Answer.Verification.PENDING,
        "method": words.get(answer.method, answer.method),
        "suggested": dp.verification[0] if dp else "document_review",
        "unit": dp.unit if dp else None,
        "typed": dp is None or dp.type == "text",  # free text keeps the language it was written in
        "evidence": reviewed.evidence,
        "asked": reviewed.asked,
    }


def _shown(value: Any, dp: Any, lang: Lang) -> str:
    if dp is None:
        return str(value)
    return value_text(frozenset(value) if dp.type == "multi-enum" and value is not None else value, dp, lang)


def _back(assessment_id: int, topic: str = "", anchor: str = "") -> HttpResponse:
    query = f"?{urlencode({'topic': topic})}" if topic else ""
    return redirect(f"/assessments/{assessment_id}/verification/{query}{'#' + anchor if anchor else ''}")


def _topic_of(datapoint: str) -> str:
    return datapoint.split(".", 1)[0] if "." in datapoint else ""


@login_required
@require_POST
def confirm(request: HttpRequest, assessment_id: int) -> HttpResponse:
    chosen = request.POST.getlist("datapoint")
    topic = request.POST.get("topic", "")
    anchor = chosen[0] if len(chosen) == 1 else (f"topic-{topic}" if topic else "")
    shown = topic or (_topic_of(chosen[0]) if len(chosen) == 1 else "")
    try:
        n = verification.confirm_answers(
            assessment_id,
            chosen or "all",
            user=request.user,
            method=request.POST.get("method", ""),
            note=request.POST.get("note", ""),
            topic=topic,
        )
    except verification.VerificationRefused as exc:
        error = {
            "datapoint": anchor if len(chosen) == 1 else "",
            "field": exc.field,
            "message": exc.explain(),
        }
        return page(request, assessment_id, error={**error, "topic": shown})
    except services.Locked:
        return _locked(request, assessment_id)
    messages.success(request, _("%(n)s answers confirmed.") % {"n": n})
    return _back(assessment_id, shown, anchor)


@login_required
@require_POST
def correct(request: HttpRequest, assessment_id: int) -> HttpResponse:
    datapoint = request.POST.get("datapoint", "")
    try:
        verification.correct_answer(
            assessment_id,
            datapoint,
            request.POST.get("value", ""),
            user=request.user,
            **verifier_says(request),
            lang=page_lang(request),
        )
    except services.AnswerRefused as exc:
        error = {"datapoint": datapoint, "field": "value", "message": exc.problem.message(page_lang(request))}
        error["topic"] = _topic_of(datapoint)
        return page(request, assessment_id, error={**error, **_typed(request)})
    except verification.VerificationRefused as exc:
        error = {
            "datapoint": datapoint,
            "field": exc.field,
            "message": exc.explain(),
            "topic": _topic_of(datapoint),
        }
        return page(request, assessment_id, error={**error, **_typed(request)})
    except services.Locked:
        return _locked(request, assessment_id)
    messages.success(request, _("The verifier's value is recorded beside the factory's."))
    return _back(assessment_id, _topic_of(datapoint), datapoint)


def _typed(request: HttpRequest) -> dict[str, str]:
    """The refused correction as typed (value and unit), to put back in its inputs."""
    return {"value": request.POST.get("value", "")[:1000], "unit": request.POST.get("unit", "")[:1000]}


@login_required
@require_POST
def complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        verification.complete_verification(assessment_id, user=request.user)
    except verification.StillPending as exc:
        message = _("%(n)s answers are still to confirm or correct: they are listed below.")
        messages.error(request, message % {"n": len(exc.datapoints)})
        return _back(assessment_id, anchor="pending")
    except services.Locked:
        return _locked(request, assessment_id)
    messages.success(request, _("Verified. The assessment is now locked; later changes make a new version."))
    return _back(assessment_id)


@login_required
@require_POST
def return_to_factory(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        verification.return_assessment(
            assessment_id, user=request.user, comment=request.POST.get("comment", "")
        )
    except verification.VerificationRefused as exc:
        error = {"datapoint": "return", "field": "comment", "message": exc.explain()}
        return page(request, assessment_id, error={**error, "value": request.POST.get("comment", "")})
    except services.Locked:
        return _locked(request, assessment_id)
    messages.success(request, _("Returned to the factory with your comment."))
    return _back(assessment_id)


def _locked(request: HttpRequest, assessment_id: int) -> HttpResponse:
    messages.error(request, _("Only a submitted assessment can be verified or returned."))
    return _back(assessment_id)
