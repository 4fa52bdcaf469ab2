"""Public disclosure by name, only for facilities that opted in (the way Better Work publishes
selected issues by factory): a few key requirements of the latest verified assessment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.accounts.library import library
from commonground.assessments.evaluations import core_assessment
from commonground.assessments.services import latest_verified
from commonground.core.engine import Engine
from commonground.core.errors import Lang
from commonground.core.report import status_word
from commonground.facilities.models import Facility

# The selected issues: requirements of the Labour Code and the OSH law, by id.
SELECTED = (
    ("vn-labour-code-2019", "minors.minimum_age"),
    ("vn-labour-code-2019", "forced.identity_documents"),
    ("vn-labour-code-2019", "pay.minimum_wage_month"),
    ("vn-labour-code-2019", "overtime.month"),
    ("vn-osh-2015", "fire.exits_unlocked"),
)


def public_facilities(request: HttpRequest) -> HttpResponse:
    lang: Lang = "vi" if request.LANGUAGE_CODE == "vi" else "en"
    lib = library()
    selected = [
        (f, r)
        for f, r in SELECTED
        if f in lib.frameworks and any(req.id == r for req in lib.frameworks[f].requirements)
    ]
    engine = Engine(lib, list(dict.fromkeys(f for f, _ in selected)))
    titles = [
        next(req.spec.title.get(lang) for req in lib.frameworks[f].requirements if req.id == r)
        for f, r in selected
    ]
    rows = []
    published = Facility.objects.filter(public_disclosure=True, merged_into__isnull=True)
    for facility in published.order_by("name"):
        latest = latest_verified(facility)
        if latest is None:
            continue
        evaluation = engine.evaluate(core_assessment(latest))
        statuses = {
            (fr.framework.id, r.requirement.id): r.status.value
            for fr in evaluation.frameworks
            for r in fr.results
        }
        rows.append(
            {
                "facility": facility,
                "period": latest.period_end,
                "issues": [status_word(statuses.get(key, "unknown"), lang) for key in selected],
            }
        )
    return render(request, "sharing/public.html", {"titles": titles, "rows": rows})
