"""A job's page: its progress for the person who started it, refreshing itself until it ends."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from commonground.jobs import services


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    found = services.get_job(job_id, request.user)
    download = found.state == found.State.DONE and bool(found.result_params.get("file"))
    return render(
        request, "jobs/job.html", {"job": found, "texts": services.texts(found), "download": download}
    )


@login_required
def download(request: HttpRequest, job_id: int) -> HttpResponse | FileResponse:
    """The file a finished job wrote (an export), for whoever may see the job; before it is ready
    (or for a job that writes no file), the job's page."""
    from commonground.common.storage import evidence_storage

    found, stored = services.job_file(job_id, request.user)
    if not stored:
        return redirect("job", found.pk)
    storage = evidence_storage()
    if not storage.exists(stored):
        raise Http404
    name = stored.rsplit("/", 1)[-1]
    return FileResponse(storage.open(stored, "rb"), as_attachment=True, filename=name)
