"""Facility pages: parse, call the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from commonground.accounts.access import administered
from commonground.facilities import access as facility_access
from commonground.facilities.forms import FacilityForm
from commonground.facilities.models import Facility
from commonground.facilities.services import get_facility_burden, owners_for_new_facility, save_facility


@login_required
def edit(request: HttpRequest, facility_id: int | None = None) -> HttpResponse:
    """Create a facility for one of the user's factory groups, or edit one they may change."""
    item = (
        facility_access.get_facility(facility_id, request.user, write=True)
        if facility_id is not None
        else None
    )
    if item is None and not owners_for_new_facility(request.user).exists():
        raise Http404
    form = FacilityForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            saved = save_facility(facility_id, data, user=request.user)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field, message)
        else:
            return redirect("facility", saved.pk)
    return render(
        request,
        "facilities/edit.html",
        {"form": form, "facility": item},
        status=400 if request.method == "POST" else 200,
    )


def _with_answered(item: Facility, burden: Any) -> Any:
    """The facility's assessments, each with how many of today's questions it answers."""
    asked = [q.datapoint.id for q in burden.questionnaire.questions]
    return item.assessments.annotate(answered=Count("answers", filter=Q(answers__datapoint__in=asked)))


@login_required
def facility(request: HttpRequest, facility_id: int, period: dict[str, str] | None = None) -> HttpResponse:
    """The facility page; `period` re-shows a refused new period with its message beside the field."""
    item = facility_access.get_facility(facility_id, request.user)
    burden = get_facility_burden(facility_id, user=request.user)
    context = {
        "facility": item,
        "burden": burden.sentence(request.LANGUAGE_CODE),
        "frameworks": [
            f.spec.name.get("vi" if request.LANGUAGE_CODE == "vi" else "en")
            for f in burden.questionnaire.frameworks
        ],
        "assessments": _with_answered(item, burden),
        "asked": burden.questionnaire.burden.datapoints_asked,
        "can_edit": facility_access.facilities_for(request.user, write=True).filter(pk=facility_id).exists(),
        "period": period or {},
        "can_merge": administered(request.user).filter(pk=item.owner_id).exists(),
        "aliases": item.aliases.order_by("merged_at"),  # records merged into it (decision 0040)
    }
    return render(request, "facilities/facility.html", context, status=400 if period else 200)
