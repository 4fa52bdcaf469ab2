"""The import page of a draft assessment: upload, preview every row, then apply as a job."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.assessments import access, imports, services
from commonground.common.language import page_lang
from commonground.core.errors import CommonGroundError
from commonground.core.imports.output import report_dict
from commonground.jobs.services import enqueue


@login_required
def upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """GET: the form. POST: the file kept, every row read and shown; nothing stored yet."""
    assessment = access.get_assessment(assessment_id, request.user, write=True)
    context: dict[str, Any] = {"assessment": assessment}
    if request.method != "POST":
        return render(request, "assessments/import.html", context)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Choose a file to upload."))
        return render(request, "assessments/import.html", context)
    name = (file.name or "file")[:100]
    try:
        stored = imports.keep_upload(assessment.pk, file, name=name, size=file.size or 0, user=request.user)
        result = imports.preview(assessment.pk, stored, name=name, user=request.user)
    except CommonGroundError as exc:
        context["problems"] = [p.render(page_lang(request)) for p in exc.problems]
        return render(request, "assessments/import.html", context, status=422)
    except services.Locked as exc:
        messages.error(request, exc.explain())
        return redirect("assessment", assessment.pk)
    report = report_dict(result, page_lang(request))
    context.update({"report": report, "stored": stored, "name": name, "ok": result.ok})
    return render(request, "assessments/import.html", context, status=200 if result.ok else 422)


@login_required
def template(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The questionnaire workbook for this assessment, pre-filled with its facility, period and
    answers, to fill offline and import back."""
    data, filename = imports.template_for(assessment_id, user=request.user, lang=page_lang(request))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def xlsform(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The questionnaire as an XLSForm (ODK Collect, KoboToolbox) and its import profile (ZIP)."""
    data, filename = imports.xlsform_for(assessment_id, user=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def apply(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Apply the previewed upload in one transaction, as a background job with its progress."""
    assessment = access.get_assessment(assessment_id, request.user, write=True)
    stored, name = request.POST.get("stored", "")[:300], request.POST.get("name", "file")[:100]
    if not stored.startswith(f"imports/{assessment.pk}/"):
        messages.error(request, _("Choose a file to upload."))
        return redirect("import_answers", assessment.pk)
    try:  # refused at once on a locked assessment (the job would refuse it too, later and less clearly)
        services.check_open_to_factory(assessment)
    except services.Locked as exc:
        messages.error(request, exc.explain())
        return redirect("assessment", assessment.pk)
    job = enqueue(
        "assessment_import",
        user=request.user,
        organisation=assessment.facility.owner,
        key=f"import:{stored}",
        assessment_id=assessment.pk,
        stored=stored,
        name=name,
    )
    return redirect("job", job.pk)
