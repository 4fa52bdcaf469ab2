"""Template tags: the action plan on an assessment's results page (a link per finding, and a form
to pick several findings into one action), and status words."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.accounts import access
from commonground.actions.models import Action, ActionFinding
from commonground.assessments.models import Assessment

register = template.Library()


@register.filter
def status_word(code: str) -> str:
    return str(Action.Status(code).label) if code in Action.Status.values else code


def _plan_info(context: Any, assessment: Assessment) -> dict[str, Any]:
    """Computed once per page: may the user plan actions here, and the actions per data point."""
    key = f"action_plan_info:{assessment.pk}"
    if key not in context.render_context:
        user = context["request"].user
        can_plan = access.facilities_for(user, write=True).filter(pk=assessment.facility_id).exists()
        by_datapoint: dict[str, list[Action]] = {}
        if access.facilities_for(user).filter(pk=assessment.facility_id).exists():
            rows = ActionFinding.objects.filter(action__facility_id=assessment.facility_id).exclude(
                action__status=Action.Status.CANCELLED
            )
            for row in rows.select_related("action"):
                by_datapoint.setdefault(row.datapoint, []).append(row.action)
        context.render_context[key] = {"can_plan": can_plan, "by_datapoint": by_datapoint}
    info: dict[str, Any] = context.render_context[key]
    return info


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
    return {"assessment": assessment, "can_plan": info["can_plan"]}
