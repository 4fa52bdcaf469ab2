"""Assessment pages: answer by topic, submit, see results. Parse, call the service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.accounts import access
from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.assessments import access as assessment_access
from commonground.assessments import services
from commonground.assessments.evaluations import evaluate
from commonground.assessments.models import Answer
from commonground.assessments.verification_views import method_words, verifier_says
from commonground.common.language import page_lang
from commonground.core import progress
from commonground.core.errors import Lang
from commonground.core.library import Library
from commonground.core.numbers import number
from commonground.core.report import (
    framework_names,
    party_word,
    rating_view,
    severity_word,
    status_word,
    target_words,
    value_text,
)
from commonground.core.standing import ENOUGH
from commonground.core.targets import Target
from commonground.core.text import text_in
from commonground.facilities import access as facility_access
from commonground.facilities import views as facility_views
from commonground.facilities.services import facility_burden


@login_required
@require_POST
def create(request: HttpRequest, facility_id: int) -> HttpResponse:
    typed = {"start": request.POST.get("start", "")[:10], "end": request.POST.get("end", "")[:10]}
    dates = {}
    for field, text in typed.items():
        try:
            dates[field] = dt.date.fromisoformat(text)
        except ValueError:
            error = {"field": field, "message": _("Give a date (day, month and year)."), **typed}
            return facility_views.facility(request, facility_id, period=error)
    try:
        assessment = services.create_assessment(facility_id, user=request.user, **dates)
    except services.PeriodRefused as exc:
        return facility_views.facility(
            request, facility_id, period={"field": exc.field, "message": exc.explain(), **typed}
        )
    return redirect("assessment", assessment.pk)


def _questionnaire(assessment: Any) -> tuple[list[Any], dict[str, Answer]]:
    burden = facility_burden(assessment.facility)  # the caller may read this assessment
    answers = {a.datapoint: a for a in Answer.objects.filter(assessment=assessment)}
    return [q.datapoint for q in burden.questionnaire.questions], answers


def _topics(questions: list[Any], answers: dict[str, Answer], lang: Lang) -> list[dict[str, Any]]:
    """Every topic in the order a person answers them, with its name and what is left."""
    lib = library()
    return [
        {
            "id": t.topic,
            "name": lib.topics[t.topic].name.get(lang),
            "answered": t.answered,
            "total": t.total,
            "left": [(dp, lib.datapoints[dp].label.get(lang)) for dp in t.left],
        }
        for t in progress.progress([(dp.id, dp.topic) for dp in questions], answers.keys())
    ]


def _questions(assessment: Any, request: HttpRequest, topic: str | None) -> dict[str, Any]:
    lang = page_lang(request)
    questions, answers = _questionnaire(assessment)
    topics = _topics(questions, answers, lang)
    ids = [t["id"] for t in topics]
    topic = topic if topic in ids else (ids[0] if ids else None)
    at = ids.index(topic) if topic in ids else 0
    return {
        "topics": topics,
        "topic": topic,
        "current": topics[at] if topics else None,
        "previous": topics[at - 1] if at > 0 else None,
        "next": topics[at + 1] if at + 1 < len(topics) else None,
        "questions": [_question(dp, answers.get(dp.id), lang) for dp in questions if dp.topic == topic],
        "answered": sum(t["answered"] for t in topics),
        "total": len(questions),
        "left": sum(len(t["left"]) for t in topics),
    }


def _question(dp: Any, answer: Answer | None, lang: Lang) -> dict[str, Any]:
    return {
        "dp": dp,
        "label": dp.label.get(lang),
        "help": dp.help.get(lang),
        "options": [(o.value, o.label.get(lang)) for o in dp.options],
        "answer": answer,
        "shown": value_text(_value(answer, dp), dp, lang),
    }


def _value(answer: Answer | None, dp: Any) -> Any:
    if answer is None:
        return None
    value = answer.value
    return frozenset(value) if dp.type == "multi-enum" else value


TYPED_LIMIT = 1000  # a refused value is shown again in its field, up to this many characters


def _typed(request: HttpRequest, error: dict[str, str] | None) -> dict[str, str]:
    """What the person typed into the refused field (value and unit), to put back in the inputs."""
    if not error or request.method != "POST":
        return {}
    return {
        "value": request.POST.get("value", "")[:TYPED_LIMIT],
        "unit": request.POST.get("unit", "")[:TYPED_LIMIT],
    }


@login_required
def assessment(request: HttpRequest, assessment_id: int, error: dict[str, str] | None = None) -> HttpResponse:
    item = assessment_access.get_assessment(assessment_id, request.user)
    can_verify = (
        item.status == item.Status.SUBMITTED
        and item.verifier_id is not None
        and access.organisations_of(request.user, write=True).filter(pk=item.verifier_id).exists()
    )
    can_edit_facility = (
        facility_access.facilities_for(request.user, write=True).filter(pk=item.facility_id).exists()
    )
    context = {
        "assessment": item,
        "editable": item.open_to_factory and can_edit_facility,  # a draft, or returned by the verifier
        "can_verify": can_verify,
        "can_edit_facility": can_edit_facility,
        "evidence": item.evidence.all(),
        "verifier_bodies": Organisation.objects.filter(kind=Organisation.Kind.VERIFIER_BODY),
        "methods": _methods(page_lang(request)),
        "error": {**(error or {}), **_typed(request, error)},
        "left_view": not error and request.GET.get("left") == "1",
        **_questions(item, request, request.GET.get("topic") or (error or {}).get("topic")),
    }
    return render(request, "assessments/answer.html", context, status=400 if error else 200)


@login_required
@require_POST
def save(request: HttpRequest, assessment_id: int) -> HttpResponse:
    datapoint = request.POST.get("datapoint", "")
    raw: Any = request.POST.getlist("value") if request.POST.get("multi") else request.POST.get("value", "")
    unit = request.POST.get("unit") or None
    topic = datapoint.split(".", 1)[0]
    try:
        services.save_answer(
            assessment_id,
            datapoint,
            raw,
            unit=unit,
            user=request.user,
            reason=request.POST.get("reason", ""),
            lang=page_lang(request),
        )
    except services.AnswerRefused as exc:
        return assessment(
            request,
            assessment_id,
            error={
                "datapoint": datapoint,
                "topic": topic,
                "message": exc.problem.message(page_lang(request)),
            },
        )
    except services.Locked as exc:
        messages.error(request, exc.explain())
    return redirect(f"/assessments/{assessment_id}/?topic={topic}#{datapoint}")


def _methods(lang: Lang) -> list[tuple[str, str]]:
    return list(method_words(lang).items())


@login_required
@require_POST
def verify(request: HttpRequest, assessment_id: int) -> HttpResponse:
    datapoint = request.POST.get("datapoint", "")
    try:
        corrected = request.POST.get("corrected") or None
        services.verify_answer(
            assessment_id,
            datapoint,
            user=request.user,
            corrected=corrected,
            lang=page_lang(request),
            **verifier_says(request),
        )
    except services.AnswerRefused as exc:  # shown beside the corrected value, which is kept
        return assessment(
            request,
            assessment_id,
            error={
                "verify": datapoint,
                "topic": datapoint.split(".", 1)[0],
                "message": exc.problem.message(page_lang(request)),
                "corrected": request.POST.get("corrected", "")[:TYPED_LIMIT],
            },
        )
    except (services.Locked, ValidationError, Answer.DoesNotExist):
        messages.error(
            request, _("This answer cannot be verified now: choose a method, on a submitted assessment.")
        )
    return redirect(f"/assessments/{assessment_id}/?topic={datapoint.split('.', 1)[0]}#{datapoint}")


@login_required
@require_POST
def complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        services.complete_verification(assessment_id, user=request.user)
        messages.success(
            request, _("Verified. The assessment is now locked; later changes make a new version.")
        )
    except services.Locked:
        messages.error(request, _("Only a submitted assessment can be verified or returned."))
    except ValidationError:
        messages.error(request, _("Every answer must be confirmed or corrected first."))
    return redirect("assessment", assessment_id)


def _unanswered_before_submit(request: HttpRequest, assessment_id: int) -> HttpResponse | None:
    """The confirm step: when questions are unanswered, say how many per topic and ask again."""
    item = assessment_access.get_assessment(assessment_id, request.user, write=True)
    if item.status in (item.Status.SUBMITTED, item.Status.VERIFIED) or request.POST.get("confirm") == "1":
        return None
    questions, answers = _questionnaire(item)
    topics = [t for t in _topics(questions, answers, page_lang(request)) if t["left"]]
    if not topics:
        return None
    left = sum(len(t["left"]) for t in topics)
    context = {"assessment": item, "topics": topics, "left": left, "total": len(questions)}
    return render(request, "assessments/submit.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    confirm = _unanswered_before_submit(request, assessment_id)
    if confirm is not None:
        return confirm
    try:
        services.submit_assessment(assessment_id, user=request.user)
        messages.success(request, _("Submitted. Your verifier can now check the answers."))
    except services.Locked:
        messages.error(request, _("This assessment was already submitted."))
    return redirect("assessment", assessment_id)


def _score(score: float | None, lang: Lang) -> str | None:
    return None if score is None else number(score, lang)


@login_required
def framework_results(request: HttpRequest, assessment_id: int, framework_id: str) -> HttpResponse:
    """Every requirement of one framework with its status and the facts behind it."""
    lang = page_lang(request)
    item = assessment_access.get_assessment(assessment_id, request.user, what=f"results {framework_id}")
    evaluation = evaluate(item)
    found = next((fr for fr in evaluation.frameworks if fr.framework.id == framework_id), None)
    if found is None:
        raise Http404
    lib, values = library(), evaluation.assessment.values
    rows = [
        {
            "title": r.requirement.spec.title.get(lang),
            "citation": text_in(r.requirement.spec.citation, lang),
            "status": r.status.value,
            "status_word": status_word(r.status.value, lang),
            "severity": r.requirement.spec.severity,
            "section": r.requirement.spec.section,
            "level": r.requirement.spec.level,
            "facts": [  # (label, value, typed by a person: free text keeps the writer's language)
                (
                    lib.datapoints[dp].label.get(lang),
                    value_text(values.get(dp), lib.datapoints[dp], lang),
                    lib.datapoints[dp].type == "text",
                )
                for dp in r.requirement.datapoints
            ],
        }
        for r in found.results
    ]
    sections = {s.id: s.name.get(lang) for s in found.framework.spec.sections}
    levels = [
        {
            "name": sections.get(s.section, s.section),
            "achieved": s.achieved,
            "score": _score(s.score, lang),
            "levels": s.levels,
        }
        for s in found.summary.sections
    ]
    return render(
        request,
        "assessments/framework.html",
        {
            "assessment": item,
            "framework": found.framework.spec.name.get(lang),
            "summary": found.summary,
            "score": _score(found.summary.score, lang),
            "rows": rows,
            "levels": levels,
        },
    )


@login_required
def results(request: HttpRequest, assessment_id: int) -> HttpResponse:
    lang = page_lang(request)
    item = assessment_access.get_assessment(assessment_id, request.user, what="results")
    evaluation = evaluate(item)
    lib = library()
    answered = set(evaluation.assessment.values)
    buyers = services.buyers_by_framework(item.facility)
    findings = [
        {
            "datapoint": f.datapoint,
            "label": lib.datapoints[f.datapoint].label.get(lang),
            "value": value_text(f.value, lib.datapoints[f.datapoint], lang),
            "severity": f.severity,
            "severity_word": severity_word(f.severity, lang),
            "frameworks": framework_names(f.frameworks, lib, lang),
            "accountable": [party_word(p, lang) for p in f.accountable],
            "buyers": sorted({b for fw in f.frameworks for b in buyers.get(fw, [])}),
            "requirements": [
                (r.key, r.spec.title.get(lang), text_in(r.spec.citation, lang)) for r in f.requirements
            ],
        }
        for f in evaluation.findings
    ]
    targets = [_target_view(t, lib, lang) for t in evaluation.targets if t.datapoint in answered]
    frameworks = [
        {
            "name": fr.framework.spec.name.get(lang),
            "id": fr.framework.id,
            "summary": fr.summary,
            "score": _score(fr.summary.score, lang),
            "rating": rating_view(fr, lang),
        }
        for fr in evaluation.frameworks
    ]
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": item,
            "frameworks": frameworks,
            "findings": findings,
            "targets": targets,
            "enough": f"{number(100 * ENOUGH, lang, 0)} %",
        },
    )


@login_required
def results_export(request: HttpRequest, assessment_id: int, kind: str) -> HttpResponse:
    """The results and findings as XLSX (summary, requirements, findings) or the findings as CSV,
    in the reader's language."""
    from commonground.common.downloads import spreadsheet_response

    lang = page_lang(request)
    sheets = services.results_sheets(assessment_id, user=request.user, lang=lang)
    if kind == "csv":
        sheets = sheets[2:]  # one sheet per CSV file: the findings, one per fact
    return spreadsheet_response(sheets, kind, f"results-{assessment_id}", lang)


@login_required
def state_form_export(request: HttpRequest, assessment_id: int, form_id: str, kind: str) -> HttpResponse:
    """A state form filled from the assessment (the labour-law self-inspection) as XLSX or PDF, in
    the reader's language (the form itself is Vietnamese), for whoever may see the results."""
    from commonground.assessments.form_files import form_file
    from commonground.common.downloads import document_response

    made = form_file(assessment_id, form_id, kind, user=request.user, lang=page_lang(request))
    return document_response(made.content, made.content_type, made.filename)


@login_required
@require_POST
def state_form_job(request: HttpRequest, assessment_id: int, form_id: str) -> HttpResponse:
    """The filled form written by a background job (`format`: pdf or xlsx): its page shows the
    progress, then the download link."""
    from commonground.assessments.form_files import KINDS, start_form

    kind = request.POST.get("format", "")
    if kind not in KINDS:
        raise Http404
    job = start_form(assessment_id, form_id, kind, user=request.user, lang=page_lang(request))
    return redirect("job", job.pk)


def _target_view(t: Target, lib: Library, lang: Lang) -> dict[str, Any]:
    operator, value = target_words(t, lib.datapoints[t.datapoint], lang)
    frameworks = framework_names(t.frameworks, lib, lang)
    return {
        "label": lib.datapoints[t.datapoint].label.get(lang),
        "operator": operator,
        "value": value,
        "frameworks": frameworks,
    }
