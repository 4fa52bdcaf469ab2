"""Facility pages: parse, call the service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.accounts import access
from commonground.facilities.services import get_facility_burden


@login_required
def facility(request: HttpRequest, facility_id: int) -> HttpResponse:
    item = access.get_facility(facility_id, request.user)
    burden = get_facility_burden(facility_id, user=request.user)
    context = {
        "facility": item,
        "burden": burden.sentence(request.LANGUAGE_CODE),
        "frameworks": [
            f.spec.name.get("vi" if request.LANGUAGE_CODE == "vi" else "en")
            for f in burden.questionnaire.frameworks
        ],
        "assessments": item.assessments.all(),
        "can_edit": access.facilities_for(request.user, write=True).filter(pk=facility_id).exists(),
    }
    return render(request, "facilities/facility.html", context)
