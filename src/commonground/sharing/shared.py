"""What a grantee sees of a facility under its grant, the same for the page and the API; every read
is logged on its channel (page, api, export)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from commonground.accounts import access
from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.assessments import services as assessment_services
from commonground.assessments.evaluations import evaluate
from commonground.assessments.evidence import Download, download_of
from commonground.assessments.models import Assessment, Evidence
from commonground.core.errors import Lang
from commonground.core.report import party_word, severity_word, value_text
from commonground.facilities.models import Facility
from commonground.sharing.models import Grant
from commonground.sharing.services import (
    active_grants,
    framework_in_scope,
    record_read,
    shared_facility,
    visible_datapoints,
)


@dataclass
class SharedView:
    facility: Facility
    grant: Grant
    assessment: Assessment | None
    frameworks: list[dict[str, Any]] = field(default_factory=list)  # id, name, summary
    findings: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)  # only when the grant shares answers
    evidence: list[Evidence] = field(default_factory=list)  # likewise, for the facts it shows


def shared_facilities(user: Any) -> list[tuple[Facility, Grant]]:
    """Every facility sharing with one of the user's organisations now, with the grant in force."""
    found = []
    for organisation in access.organisations_of(user):
        facilities = Facility.objects.filter(grants__grantee=organisation).distinct().order_by("name")
        grants = active_grants(organisation, facilities.values_list("pk", flat=True))
        found += [(f, grants[f.pk]) for f in facilities.filter(pk__in=list(grants))]
    return found


def _shown_assessment(facility: Facility) -> Assessment | None:
    """The verified assessment when there is one, else the most recent (newest period, version)."""
    ordered = Assessment.objects.filter(facility=facility).order_by("-status", "-period_end", "-version")
    return ordered.first()


def read_shared(facility_id: int, *, user: Any, lang: Lang, channel: str) -> SharedView:
    """The facility's latest results as the grant allows; 404 without a grant in force."""
    facility, grant, organisation = shared_facility(facility_id, user=user)
    view = SharedView(facility, grant, _shown_assessment(facility))
    shown = view.assessment
    if shown is not None:
        _fill(view, lang)
        what = f"results {shown.period_start}–{shown.period_end} v{shown.version}"
        record_read(facility, user=user, organisation=organisation, channel=channel, grant=grant, what=what)
    return view


def _fill(view: SharedView, lang: Lang) -> None:
    assert view.assessment is not None
    lib = library()
    visible = visible_datapoints(view.grant)
    evaluation = evaluate(view.assessment)
    view.frameworks = [
        {"id": fr.framework.id, "name": fr.framework.spec.name.get(lang), "summary": fr.summary}
        for fr in evaluation.frameworks
        if framework_in_scope(fr.framework, visible, lib.context)
    ]
    view.findings = [
        {
            "datapoint": f.datapoint,
            "label": lib.datapoints[f.datapoint].label.get(lang),
            "severity": f.severity,
            "severity_text": severity_word(f.severity, lang),
            "value": assessment_services.to_json(f.value),
            "value_text": value_text(f.value, lib.datapoints[f.datapoint], lang),
            "accountable": [party_word(p, lang) for p in f.accountable],
            "frameworks": list(f.frameworks),
        }
        for f in evaluation.findings
        if f.datapoint in visible
    ]
    if view.grant.content == Grant.Content.ANSWERS:
        view.answers = [
            {
                "datapoint": dp,
                "label": lib.datapoints[dp].label.get(lang),
                "value": assessment_services.to_json(v),
                "value_text": value_text(v, lib.datapoints[dp], lang),
            }
            for dp, v in evaluation.assessment.values.items()
            if dp in visible
        ]
        view.evidence = list(_shared_evidence(view.assessment, visible))


def _shared_evidence(assessment: Assessment, visible: set[str]) -> QuerySet[Evidence]:
    """Evidence attached to a fact the grant shows (a file attached to no fact is not shared)."""
    return assessment.evidence.filter(datapoint__in=visible)


def shared_download(facility_id: int, evidence_id: int, *, user: Any, channel: str) -> Download:
    """A grantee downloads evidence only when its grant shares answers and evidence for that fact."""
    facility, grant, organisation = shared_facility(facility_id, user=user)
    assessment = _shown_assessment(facility)
    if grant.content != Grant.Content.ANSWERS or assessment is None:
        raise Http404
    evidence = _shared_evidence(assessment, visible_datapoints(grant)).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    what = f"evidence {evidence.original_name} ({evidence.datapoint})"
    record_read(facility, user=user, organisation=organisation, channel=channel, grant=grant, what=what)
    return download_of(evidence)


def grants_received(user: Any) -> QuerySet[Grant]:
    """Grants asked for or given to the user's organisations, whatever their state."""
    organisations: QuerySet[Organisation] = access.organisations_of(user)
    return Grant.objects.filter(grantee__in=organisations).select_related("facility")
