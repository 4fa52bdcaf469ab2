"""Pages that belong to no single area: the home page, one section per kind of organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.accounts import access
from commonground.accounts.models import Organisation
from commonground.accounts.services import organisations_to_manage
from commonground.assessments.verification import worklist_sections
from commonground.facilities import access as facility_access
from commonground.web import home as sections

Kind = Organisation.Kind


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the user's organisations need first: a small dispatch by kind, one function each."""
    memberships = list(access.memberships_of(request.user))
    kinds = {m.organisation.kind for m in memberships}
    context: dict[str, Any] = {
        "memberships": memberships,
        "managed": organisations_to_manage(request.user),
        "can_add_facility": access.organisations_of(request.user, write=True)
        .filter(kind=Kind.FACTORY_GROUP)
        .exists(),
    }
    for kind, section in SECTIONS.items():
        if kind in kinds:
            context.update(section(request))
    return render(request, "web/home.html", context)


def _factory(request: HttpRequest) -> dict[str, Any]:
    facilities = facility_access.facilities_for(request.user).order_by("name")
    return {"facilities": facilities, "factory": sections.factory_home(request.user)}


def _buyer(request: HttpRequest) -> dict[str, Any]:
    return {"is_buyer": True, "buyer": sections.buyer_home(request.user)}


def _verifier(request: HttpRequest) -> dict[str, Any]:
    return {"worklist": worklist_sections(request.user)}  # submitted, returned, verified


def _province(request: HttpRequest) -> dict[str, Any]:
    return {"province": sections.province_home(request.user, request.LANGUAGE_CODE)}


SECTIONS: dict[str, Callable[[HttpRequest], dict[str, Any]]] = {
    Kind.FACTORY_GROUP: _factory,
    Kind.BUYER: _buyer,
    Kind.VERIFIER_BODY: _verifier,
    Kind.AUTHORITY: _province,
    Kind.CSO: _province,
}
