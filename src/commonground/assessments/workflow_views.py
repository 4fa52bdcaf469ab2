"""Evidence, copying last period forward, new versions and the change history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.assessments import access as assessment_access
from commonground.assessments import services
from commonground.assessments.evidence import EvidenceRefused, as_attachment, attach_evidence, get_download
from commonground.assessments.models import AnswerChange
from commonground.common.ids import parse_id
from commonground.core.errors import Lang


@login_required
@require_POST
def upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect("assessment", assessment_id)
    datapoint = request.POST.get("datapoint", "")[:100]
    try:
        attach_evidence(
            assessment_id,
            upload,
            name=upload.name or "file",
            size=upload.size or 0,
            user=request.user,
            datapoint=datapoint,
        )
        messages.success(request, _("The file is attached."))
    except EvidenceRefused as exc:
        messages.error(request, exc.message(request.LANGUAGE_CODE))
    except services.Locked as exc:
        messages.error(request, exc.explain())
    if datapoint and "." in datapoint:
        return redirect(f"/assessments/{assessment_id}/?topic={datapoint.split('.', 1)[0]}#{datapoint}")
    return redirect("assessment", assessment_id)


@login_required
def download(request: HttpRequest, evidence_id: int) -> FileResponse:
    return as_attachment(get_download(evidence_id, user=request.user))


@login_required
@require_POST
def copy_forward(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        copied = services.copy_forward(assessment_id, user=request.user)
        messages.success(request, _("%(n)s answers copied from the previous period.") % {"n": copied})
    except services.Locked as exc:
        messages.error(request, exc.explain())
    return redirect("assessment", assessment_id)


@login_required
@require_POST
def new_version(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        created = services.new_version(assessment_id, user=request.user)
    except ValidationError:
        messages.error(request, _("Only a verified assessment gets a new version."))
        return redirect("assessment", assessment_id)
    return redirect("assessment", created.pk)


@login_required
@require_POST
def choose_verifier(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        services.invite_verifier(assessment_id, parse_id(request.POST.get("verifier", "")), user=request.user)
        messages.success(request, _("The verifier body is invited to verify this assessment."))
    except (ValueError, Organisation.DoesNotExist):
        messages.error(request, _("Choose a verifier body."))
    except services.Locked as exc:
        verifying = exc.status == "submitted"
        messages.error(
            request,
            _("The invited verifier body is verifying this assessment now.") if verifying else exc.explain(),
        )
    return redirect("assessment", assessment_id)


@login_required
def delete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Delete a draft, after a confirm step; a submitted one cannot be deleted."""
    item = assessment_access.get_assessment(assessment_id, request.user, write=True)
    if request.method == "POST":
        try:
            services.delete_assessment(assessment_id, user=request.user)
        except services.Locked:
            messages.error(request, _("Only a draft can be deleted."))
            return redirect("assessment", assessment_id)
        messages.success(request, _("The draft is deleted."))
        return redirect("facility", item.facility_id)
    return render(request, "assessments/delete.html", {"assessment": item})


@login_required
def history(request: HttpRequest, assessment_id: int) -> HttpResponse:
    item = assessment_access.get_assessment(assessment_id, request.user, what="change history")
    lib = library()
    lang: Lang = "vi" if request.LANGUAGE_CODE == "vi" else "en"
    changes = [
        {
            "change": c,
            "label": lib.datapoints[c.datapoint].label.get(lang)
            if c.datapoint in lib.datapoints
            else c.datapoint,
        }
        for c in AnswerChange.objects.filter(assessment=item).select_related("changed_by")
    ]
    return render(request, "assessments/history.html", {"assessment": item, "changes": changes})
