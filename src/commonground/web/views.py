"""Pages that belong to no single area: the home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.accounts import access
from commonground.accounts.models import Organisation
from commonground.accounts.services import organisations_to_manage
from commonground.assessments.verification import worklist_sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    facilities = access.facilities_for(request.user).order_by("name")
    verifies = access.organisations_of(request.user).filter(kind=Organisation.Kind.VERIFIER_BODY).exists()
    context = {
        "facilities": facilities,
        "worklist": worklist_sections(request.user) if verifies else [],  # the verifier's worklist
        "managed": organisations_to_manage(request.user),
        "memberships": access.memberships_of(request.user),
        "is_buyer": access.organisations_of(request.user).filter(kind="buyer").exists(),
    }
    return render(request, "web/home.html", context)
