"""Action-plan pages: parse, call the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonground.accounts.library import library
from commonground.actions import evidence, services
from commonground.actions.access import PlanAccess, plan_access
from commonground.actions.digest import get_digest
from commonground.actions.errors import ActionRefused
from commonground.actions.forms import ActionForm, initial_of
from commonground.actions.models import Action
from commonground.assessments import access as assessment_access
from commonground.assessments import services as assessments
from commonground.assessments.evidence import EvidenceRefused, as_attachment
from commonground.common.language import page_lang
from commonground.core import actions as rules
from commonground.core.errors import Lang
from commonground.core.report import severity_word, value_text
from commonground.core.solutions import Solution, solutions_for

FILTERS = [("", gettext_lazy("All")), *Action.Status.choices, ("overdue", gettext_lazy("Overdue"))]
BUTTONS = {
    rules.OPEN: gettext_lazy("Reopen"),
    rules.IN_PROGRESS: gettext_lazy("Start work"),
    rules.DONE: gettext_lazy("Mark done"),
    rules.VERIFIED: gettext_lazy("Confirm closure"),
    rules.CANCELLED: gettext_lazy("Cancel the action"),
}


def _label(datapoint: str, lang: Lang) -> str:
    dp = library().datapoints.get(datapoint)
    return dp.label.get(lang) if dp else datapoint


@login_required
def plan(request: HttpRequest, facility_id: int) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = services.list_actions(facility_id, user=request.user, status=status)
    found = plan_access(facility_id, request.user)
    lang = page_lang(request)
    context = {
        "facility": found.facility,
        "plan": found,
        "actions": [(a, [_label(f.datapoint, lang) for f in a.findings.all()]) for a in rows],
        "filters": FILTERS,
        "status": status,
        "assessments": found.facility.assessments.all() if found.is_facility else [],
    }
    return render(request, "actions/plan.html", context)


@login_required
def plan_export(request: HttpRequest, facility_id: int, kind: str) -> HttpResponse:
    """The action plan (the page's status filter kept) as XLSX or CSV in the reader's language."""
    from commonground.common.downloads import spreadsheet_response

    lang = page_lang(request)
    status = request.GET.get("status", "")
    sheet = services.plan_sheet(facility_id, user=request.user, lang=lang, status=status)
    return spreadsheet_response([sheet], kind, f"action-plan-{facility_id}", lang)


def _findings(evaluation: Any, lang: Lang) -> list[dict[str, Any]]:
    lib = library()
    return [
        {
            "datapoint": f.datapoint,
            "label": lib.datapoints[f.datapoint].label.get(lang),
            "value": value_text(f.value, lib.datapoints[f.datapoint], lang),
            "severity": f.severity,
            "severity_word": severity_word(f.severity, lang),
            "frameworks": f.frameworks,
        }
        for f in evaluation.findings
    ]


@login_required
def new(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The form for an action from one or more findings of an assessment (picked on the results)."""
    item = assessment_access.get_assessment(assessment_id, request.user, write=True)
    lang = page_lang(request)
    evaluation = assessments.evaluate_assessment(item.pk, user=request.user)
    findings = _findings(evaluation, lang)
    source = request.POST if request.method == "POST" else request.GET
    chosen = [dp for dp in source.getlist("datapoint") if dp]
    first = next((f["label"] for f in findings if f["datapoint"] in chosen), "")
    due = services.suggested_due(evaluation, chosen)  # the frameworks' follow-up deadline
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial={"title": first, "root_cause_category": Action.RootCause.OTHER, "due_date": due},
        facility_id=item.facility_id,
        datapoints=chosen,
        lang=lang,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.create_action(item.pk, chosen, user=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_refusal(exc)
        else:
            messages.success(request, _("The action is in the plan."))
            return redirect("action", action.pk)
    context = {"assessment": item, "form": form, "findings": findings, "chosen": chosen}
    return render(request, "actions/new.html", context, status=400 if request.method == "POST" else 200)


def _finding_rows(action: Action, lang: Lang) -> list[dict[str, Any]]:
    lib = library()
    rows = []
    for f in action.findings.all():
        dp = lib.datapoints.get(f.datapoint)
        rows.append(
            {
                "finding": f,
                "label": dp.label.get(lang) if dp else f.datapoint,
                "value": value_text(f.value, dp, lang) if dp and f.value is not None else "–",
                "severity_word": severity_word(f.severity, lang),
            }
        )
    return rows


def _buttons(action: Action, found: PlanAccess) -> list[tuple[str, str]]:
    role: rules.Role | None = "facility" if found.can_edit else "closer" if found.can_close else None
    if role is None:
        return []
    targets = rules.allowed_targets(action.status, role)
    send_back = _("Send back for more work")
    return [
        (t, str(send_back if role == "closer" and t == rules.IN_PROGRESS else BUTTONS[t])) for t in targets
    ]


def _solution_card(solution: Solution, lang: Lang) -> dict[str, Any]:
    return {
        "id": solution.id,
        "title": solution.title.get(lang),
        "summary": solution.summary.get(lang),
        "cost": solution.cost_vnd,
        "payback": solution.payback_months,
        "source": solution.source,
        "estimate": solution.estimate,
    }


def _solutions(action: Action, lang: Lang) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The action's solution, or (when it has none) the catalogue's suggestions for its findings."""
    lib = library()
    chosen = lib.solutions.get(action.solution_id)
    if chosen is not None:
        return _solution_card(chosen, lang), []
    found = dict.fromkeys(s for f in action.findings.all() for s in solutions_for(lib, f.datapoint))
    return None, [_solution_card(s, lang) for s in list(found)[:4]]


@login_required
def detail(
    request: HttpRequest, action_id: int, form: ActionForm | None = None, error: str = ""
) -> HttpResponse:
    action, found = services.get_action(action_id, user=request.user)
    lang = page_lang(request)
    if form is None and found.can_edit:
        datapoints = [f.datapoint for f in action.findings.all()]
        form = ActionForm(
            initial=initial_of(action), facility_id=action.facility_id, datapoints=datapoints, lang=lang
        )
    context = {
        "action": action,
        "plan": found,
        "findings": _finding_rows(action, lang),
        **dict(zip(("solution", "suggested"), _solutions(action, lang), strict=True)),
        "buttons": _buttons(action, found),
        "needs_reason": {t for t, _ in _buttons(action, found) if (action.status, t) in rules.NEEDS_REASON},
        "form": form,
        "error": error,
        "comments": action.comments.select_related("author", "organisation"),
        "evidence": action.evidence.select_related("uploaded_by"),
        "events": action.events.select_related("actor").order_by("-at", "-id"),
    }
    failed = bool(error) or (form is not None and form.is_bound)
    return render(request, "actions/action.html", context, status=400 if failed else 200)


@login_required
@require_POST
def edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action, found = services.load_action(action_id, request.user)
    if not found.can_edit:
        raise Http404
    datapoints = [f.datapoint for f in action.findings.all()]
    form = ActionForm(
        request.POST, facility_id=action.facility_id, datapoints=datapoints, lang=page_lang(request)
    )
    if form.is_valid():
        try:
            services.update_action(action_id, user=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_refusal(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("action", action_id)
    return detail(request, action_id, form=form)


@login_required
@require_POST
def status(request: HttpRequest, action_id: int) -> HttpResponse:
    try:
        services.change_status(
            action_id,
            request.POST.get("status", ""),
            user=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ActionRefused as exc:
        return detail(request, action_id, error=" ".join(exc.as_text().values()))
    messages.success(request, _("The status is changed."))
    return redirect("action", action_id)


@login_required
@require_POST
def comment(request: HttpRequest, action_id: int) -> HttpResponse:
    try:
        services.add_comment(action_id, request.POST.get("text", ""), user=request.user)
    except ActionRefused as exc:
        return detail(request, action_id, error=" ".join(exc.as_text().values()))
    return redirect(f"/actions/{action_id}/#comments")


@login_required
@require_POST
def upload(request: HttpRequest, action_id: int) -> HttpResponse:
    file = request.FILES.get("file")
    if file is None:
        return detail(request, action_id, error=_("Choose a file to upload."))
    try:
        evidence.attach_evidence(
            action_id,
            file,
            name=file.name or "file",
            size=file.size or 0,
            user=request.user,
            note=request.POST.get("note", ""),
        )
    except EvidenceRefused as exc:
        return detail(request, action_id, error=exc.message(page_lang(request)))
    except ActionRefused as exc:
        return detail(request, action_id, error=" ".join(exc.as_text().values()))
    messages.success(request, _("The file is attached."))
    return redirect(f"/actions/{action_id}/#evidence")


@login_required
def download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """Always a download with a neutral content type, never shown inline."""
    return as_attachment(evidence.get_download(evidence_id, user=request.user))


@login_required
def digest(request: HttpRequest, facility_id: int) -> HttpResponse:
    found = get_digest(facility_id, user=request.user)
    return render(request, "actions/digest.html", {"digest": found, "facility": found.facility})
