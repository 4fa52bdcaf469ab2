"""A job's page: its progress for the person who started it, refreshing itself until it ends."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.jobs import services


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    found = services.get_job(job_id, request.user)
    return render(request, "jobs/job.html", {"job": found, "texts": services.texts(found)})
