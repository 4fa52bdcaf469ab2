"""What actions do on events of lower apps and give to them (connected in ActionsConfig.ready;
decision 0026)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max

from commonground.actions.followup import follow_up_verified
from commonground.actions.models import Action, Adoption
from commonground.assessments.models import Assessment
from commonground.facilities.models import Facility


def follow_up(sender: Any, *, assessment: Assessment, **_: Any) -> None:
    """assessments.signals.assessment_verified: reopen or close the facility's earlier actions."""
    follow_up_verified(assessment)


def adoptions() -> dict[str, Any]:
    """The adoptions' part of the sector's state (snapshots.fingerprint)."""
    return Adoption.objects.aggregate(n=Count("id"), last=Max("id"))


def move_to_kept(sender: Any, *, kept: Facility, merged: Facility, **_: Any) -> None:
    """facilities.signals.facility_merged: the merged facility's actions (with their findings,
    events, comments and evidence) and adoptions become the kept facility's."""
    Action.objects.filter(facility=merged).update(facility=kept)
    Adoption.objects.filter(facility=merged).update(facility=kept)
