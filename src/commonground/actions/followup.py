"""Closing the loop: when the facility's next assessment is verified, each action from an earlier
period is checked against the new findings. A finding that persists reopens a finished action
(with a note naming the period); when every finding is gone, the action was effective."""

from __future__ import annotations

from django.db import transaction

from commonground.actions.models import Action, ActionEvent
from commonground.actions.services import record_event
from commonground.assessments.models import Assessment
from commonground.core import actions as rules


def follow_up_verified(assessment: Assessment) -> list[Action]:
    """Apply the new verified assessment to the facility's earlier actions; returns those changed."""
    from commonground.assessments.evaluations import evaluate

    evaluation = evaluate(assessment)
    found = {f.datapoint for f in evaluation.findings}
    answered = set(evaluation.assessment.values)
    changed = []
    with transaction.atomic():
        for action in _earlier_actions(assessment):
            if _apply(action, assessment, found, answered):
                changed.append(action)
    return changed


def _earlier_actions(assessment: Assessment) -> list[Action]:
    """Actions from assessments of earlier periods, not yet checked against a later period."""
    rows = (
        Action.objects.select_for_update(of=("self",))
        .filter(facility_id=assessment.facility_id, assessment__period_end__lt=assessment.period_end)
        .exclude(status=Action.Status.CANCELLED)
        .exclude(checked_in__period_end__gte=assessment.period_end)
    )
    return list(rows.prefetch_related("findings"))


def _apply(action: Action, assessment: Assessment, found: set[str], answered: set[str]) -> bool:
    # a data point left unanswered says nothing: only answered facts judge the action
    judged = [f for f in action.findings.all() if f.datapoint in answered]
    outcome = rules.follow_up(action.status, [f.datapoint in found for f in judged])
    if outcome.kind == "unchanged":
        return False
    for finding in judged:
        finding.persists = finding.datapoint in found
        finding.save(update_fields=["persists"])
    old = action.status
    action.status, action.checked_in = outcome.status, assessment
    if outcome.effective is not None:
        action.effective = outcome.effective
    action.save()
    period = f"{assessment.period_start.isoformat()} – {assessment.period_end.isoformat()}"
    persisting = [f.datapoint for f in judged if f.persists]
    record_event(
        action,
        None,
        ActionEvent.Kind(outcome.kind),
        from_status=old,
        to_status=outcome.status,
        changes={"period": period, "assessment": assessment.pk, "persisting": persisting},
    )
    return True
