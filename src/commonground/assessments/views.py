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
from commonground.accounts.models import Organisation
from commonground.assessments import services
from commonground.assessments.models import Answer
from commonground.core.errors import Lang
from commonground.core.i18n import gettext as core_gettext
from commonground.core.i18n import gettext_noop
from commonground.core.report import framework_names, party_word, severity_word, status_word, value_text
from commonground.core.text import text_in
from commonground.facilities.services import facility_burden


def _lang(request: HttpRequest) -> Lang:
    return "vi" if request.LANGUAGE_CODE == "vi" else "en"


@login_required
@require_POST
def create(request: HttpRequest, facility_id: int) -> HttpResponse:
    try:
        start = dt.date.fromisoformat(request.POST.get("start", ""))
        end = dt.date.fromisoformat(request.POST.get("end", ""))
        assessment = services.create_assessment(facility_id, user=request.user, start=start, end=end)
    except (ValueError, ValidationError):
        messages.error(request, _("Give a start and an end date, the start not after the end."))
        return redirect("facility", facility_id)
    return redirect("assessment", assessment.pk)


def _questions(assessment: Any, request: HttpRequest, topic: str | None) -> dict[str, Any]:
    lang = _lang(request)
    burden = facility_burden(assessment.facility)  # the caller may read this assessment
    questions = [q.datapoint for q in burden.questionnaire.questions]
    lib = services.library()
    topics = list(dict.fromkeys(dp.topic for dp in questions))
    topic = topic if topic in topics else (topics[0] if topics else None)
    answers = {a.datapoint: a for a in Answer.objects.filter(assessment=assessment)}
    shown = [dp for dp in questions if dp.topic == topic]
    return {
        "topics": [
            (
                t,
                lib.topics[t].name.get(lang),
                sum(1 for dp in questions if dp.topic == t and dp.id in answers),
                sum(1 for dp in questions if dp.topic == t),
            )
            for t in topics
        ],
        "topic": topic,
        "questions": [
            {
                "dp": dp,
                "label": dp.label.get(lang),
                "help": dp.help.get(lang),
                "options": [(o.value, o.label.get(lang)) for o in dp.options],
                "answer": answers.get(dp.id),
                "shown": value_text(_value(answers.get(dp.id), dp), dp, lang),
            }
            for dp in shown
        ],
        "answered": len(answers.keys() & {dp.id for dp in questions}),
        "total": len(questions),
    }


def _value(answer: Answer | None, dp: Any) -> Any:
    if answer is None:
        return None
    value = answer.value
    return frozenset(value) if dp.type == "multi-enum" else value


@login_required
def assessment(request: HttpRequest, assessment_id: int, error: dict[str, str] | None = None) -> HttpResponse:
    item = access.get_assessment(assessment_id, request.user)
    can_verify = (
        item.status == item.Status.SUBMITTED
        and item.verifier_id is not None
        and access.organisations_of(request.user, write=True).filter(pk=item.verifier_id).exists()
    )
    editable = (
        not item.locked
        and item.status == item.Status.DRAFT
        and access.facilities_for(request.user, write=True).filter(pk=item.facility_id).exists()
    )
    context = {
        "assessment": item,
        "editable": editable,
        "can_verify": can_verify,
        "can_edit_facility": access.facilities_for(request.user, write=True)
        .filter(pk=item.facility_id)
        .exists(),
        "evidence": item.evidence.all(),
        "verifier_bodies": Organisation.objects.filter(kind=Organisation.Kind.VERIFIER_BODY),
        "methods": _methods(_lang(request)),
        "error": error or {},
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
            assessment_id, datapoint, raw, unit=unit, user=request.user, reason=request.POST.get("reason", "")
        )
    except services.AnswerRefused as exc:
        return assessment(
            request,
            assessment_id,
            error={"datapoint": datapoint, "topic": topic, "message": exc.problem.message(_lang(request))},
        )
    except services.Locked:
        messages.error(request, _("This assessment can no longer be changed."))
    return redirect(f"/assessments/{assessment_id}/?topic={topic}#{datapoint}")


_METHOD_WORDS = {
    "document_review": gettext_noop("Document review"),
    "management_interview": gettext_noop("Management interview"),
    "worker_interview": gettext_noop("Worker interview"),
    "observation": gettext_noop("Observation"),
    "measurement": gettext_noop("Measurement"),
    "lab_report": gettext_noop("Laboratory report"),
}


def _methods(lang: Lang) -> list[tuple[str, str]]:
    return [(code, core_gettext(word, lang)) for code, word in _METHOD_WORDS.items()]


@login_required
@require_POST
def verify(request: HttpRequest, assessment_id: int) -> HttpResponse:
    datapoint = request.POST.get("datapoint", "")
    try:
        services.verify_answer(
            assessment_id,
            datapoint,
            user=request.user,
            method=request.POST.get("method", ""),
            note=request.POST.get("note", ""),
            corrected=request.POST.get("corrected") or None,
            unit=request.POST.get("unit") or None,
        )
    except services.AnswerRefused as exc:
        return assessment(
            request,
            assessment_id,
            error={
                "datapoint": datapoint,
                "topic": datapoint.split(".", 1)[0],
                "message": exc.problem.message(_lang(request)),
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
    except (services.Locked, ValidationError):
        messages.error(request, _("Every answer must be confirmed or corrected first."))
    return redirect("assessment", assessment_id)


@login_required
@require_POST
def submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        services.submit_assessment(assessment_id, user=request.user)
        messages.success(request, _("Submitted. Your verifier can now check the answers."))
    except services.Locked:
        messages.error(request, _("This assessment was already submitted."))
    return redirect("assessment", assessment_id)


@login_required
def framework_results(request: HttpRequest, assessment_id: int, framework_id: str) -> HttpResponse:
    """Every requirement of one framework with its status and the facts behind it."""
    lang = _lang(request)
    item = access.get_assessment(assessment_id, request.user, what=f"results {framework_id}")
    evaluation = services.evaluate(item)
    found = next((fr for fr in evaluation.frameworks if fr.framework.id == framework_id), None)
    if found is None:
        raise Http404
    lib, values = services.library(), evaluation.assessment.values
    rows = [
        {
            "title": r.requirement.spec.title.get(lang),
            "citation": text_in(r.requirement.spec.citation, lang),
            "status": r.status.value,
            "status_word": status_word(r.status.value, lang),
            "severity": r.requirement.spec.severity,
            "section": r.requirement.spec.section,
            "level": r.requirement.spec.level,
            "facts": [
                (lib.datapoints[dp].label.get(lang), value_text(values.get(dp), lib.datapoints[dp], lang))
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
            "score": s.score,
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
            "rows": rows,
            "levels": levels,
        },
    )


@login_required
def results(request: HttpRequest, assessment_id: int) -> HttpResponse:
    lang = _lang(request)
    item = access.get_assessment(assessment_id, request.user, what="results")
    evaluation = services.evaluate(item)
    lib = services.library()
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
    targets = [
        {
            "label": lib.datapoints[t.datapoint].label.get(lang),
            "operator": t.operator,
            "value": value_text(t.value, lib.datapoints[t.datapoint], lang),
            "frameworks": framework_names(t.frameworks, lib, lang),
        }
        for t in evaluation.targets
        if t.datapoint in answered
    ]
    frameworks = [
        {"name": fr.framework.spec.name.get(lang), "id": fr.framework.id, "summary": fr.summary}
        for fr in evaluation.frameworks
    ]
    return render(
        request,
        "assessments/results.html",
        {"assessment": item, "frameworks": frameworks, "findings": findings, "targets": targets},
    )
