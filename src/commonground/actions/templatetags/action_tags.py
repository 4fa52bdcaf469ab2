"""Template tags: the action plan on an assessment's results page (a link per finding, and a form
to pick several findings into one action), and status words."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import Http404
from django.utils import translation

from commonground.actions.access import plan_access
from commonground.actions.models import Action, ActionFinding
from commonground.actions.services import overdue_counts
from commonground.assessments.models import Assessment
from commonground.core import numbers
from commonground.facilities.models import Facility

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """An amount in đồng with thousands separated as the language writes them (1.500.000 / 1,500,000)."""
    if amount is None:
        return "–"
    return numbers.format_number(amount, "vi" if translation.get_language() == "vi" else "en")


@register.filter
def changed_fields(changes: dict[str, object]) -> str:
    """The fields an edit changed, by their names in the page's language (not their codes)."""
    fields = {f.name: f for f in Action._meta.get_fields() if hasattr(f, "verbose_name")}
    return ", ".join(str(fields[n].verbose_name) if n in fields else n for n in changes)


@register.filter
def status_word(code: str) -> str:
    return str(Action.Status(code).label) if code in Action.Status.values else code


def _plan_info(context: Any, assessment: Assessment) -> dict[str, Any]:
    """Computed once per page: may the user plan actions here, and the actions per data point."""
    key = f"action_plan_info:{assessment.pk}"
    if key not in context.render_context:
        info: dict[str, Any] = {"can_plan": False, "can_read": False, "by_datapoint": {}}
        try:
            plan = plan_access(assessment.facility_id, context["request"].user)
        except Http404:
            plan = None
        if plan is not None:
            info.update(can_plan=plan.can_edit, can_read=True)
            rows = ActionFinding.objects.filter(action__facility_id=assessment.facility_id).exclude(
                action__status=Action.Status.CANCELLED
            )
            for row in rows.select_related("action"):
                if plan.shows({row.datapoint}):
                    info["by_datapoint"].setdefault(row.datapoint, []).append(row.action)
        context.render_context[key] = info
    found: dict[str, Any] = context.render_context[key]
    return found


@register.inclusion_tag("actions/_finding_actions.html", takes_context=True)
def finding_actions(context: Any, assessment: Assessment, datapoint: str) -> dict[str, Any]:
    info = _plan_info(context, assessment)
    return {
        "assessment": assessment,
        "datapoint": datapoint,
        "can_plan": info["can_plan"],
        "actions": info["by_datapoint"].get(datapoint, []),
    }


@register.inclusion_tag("actions/_pick_findings.html", takes_context=True)
def pick_findings_form(context: Any, assessment: Assessment) -> dict[str, Any]:
    info = _plan_info(context, assessment)
    return {"assessment": assessment, "can_plan": info["can_plan"], "can_read": info["can_read"]}


@register.inclusion_tag("actions/_plan_link.html", takes_context=True)
def plan_link(context: Any, facility: Facility) -> dict[str, Any]:
    """A link to the facility's action plan for whoever may read it (nothing for anyone else); the
    facility's own people also see how many actions are overdue."""
    try:
        plan = plan_access(facility.pk, context["request"].user)
    except Http404:
        return {"show": False}
    overdue = overdue_counts([facility.pk])[facility.pk] if plan.is_facility else 0
    return {"show": True, "facility": facility, "overdue": overdue, "is_facility": plan.is_facility}
