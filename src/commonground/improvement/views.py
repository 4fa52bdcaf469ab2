"""Improvement pages: parse, call the service, render (charts drawn here from the service's figures)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commonground.accounts import access
from commonground.assessments.services import library
from commonground.core.errors import Lang
from commonground.improvement import charts, services
from commonground.improvement.forms import TrainingForm


def _lang(request: HttpRequest) -> Lang:
    return "vi" if request.LANGUAGE_CODE == "vi" else "en"


def _can_edit(request: HttpRequest, facility_id: int) -> bool:
    return access.facilities_for(request.user, write=True).filter(pk=facility_id).exists()


def _trend_charts(trends: services.Trends) -> dict[str, Any]:
    periods, no_data = [p.label for p in trends.periods], _("No data yet")
    scored = [(f.name, f.score) for f in trends.frameworks if any(s is not None for s in f.score)]
    return {
        "compliance_chart": charts.trend_chart(
            _("Requirements met (%)"),
            periods,
            [(f.name, f.compliance) for f in trends.frameworks],
            no_data=no_data,
            low=0,
            high=100,
        ),
        "score_chart": charts.trend_chart(
            _("Scores (0–100)"), periods, scored, no_data=no_data, low=0, high=100
        )
        if scored
        else None,
        "level_charts": [
            (
                f,
                charts.levels_chart(
                    _("Levels reached: %(name)s") % {"name": f.name},
                    periods,
                    [(s.name, s.achieved) for s in f.sections],
                    no_data=no_data,
                ),
            )
            for f in trends.frameworks
            if f.sections
        ],
    }


@login_required
def improvement(request: HttpRequest, facility_id: int) -> HttpResponse:
    """Levels, scores and compliance across the facility's periods, with links to the other pages."""
    trends = services.get_trends(facility_id, user=request.user, lang=_lang(request))
    context = {
        "facility": trends.facility,
        "trends": trends,
        "can_edit": _can_edit(request, facility_id),
        **(_trend_charts(trends) if trends.periods else {}),
    }
    return render(request, "improvement/improvement.html", context)


def _training_form(request: HttpRequest, data: Any = None) -> TrainingForm:
    lang, lib = _lang(request), library()
    topics = sorted(((t.id, t.name.get(lang)) for t in lib.topics.values()), key=lambda t: t[1])
    return TrainingForm(data, topics=topics, resources=[])


@login_required
def trainings(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The trainings a facility delivered; its editors record a new one here."""
    user, status = request.user, 200
    form = _training_form(request, request.POST or None)
    if request.method == "POST":
        access.get_facility(facility_id, user, write=True)
        if form.is_valid():
            try:
                services.record_training(facility_id, user=user, **_clean(form.cleaned_data))
                return redirect("trainings", facility_id)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        status = 400
    context = {
        "facility": access.get_facility(facility_id, user),
        "trainings": services.list_trainings(facility_id, user=user),
        "form": form,
        "can_edit": _can_edit(request, facility_id),
    }
    return render(request, "improvement/trainings.html", context, status=status)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "others": data.get("others") or 0}
