"""What actions do on events of lower apps (connected in ActionsConfig.ready; decision 0026)."""

from __future__ import annotations

from typing import Any

from commonground.actions.followup import follow_up_verified
from commonground.assessments.models import Assessment


def follow_up(sender: Any, *, assessment: Assessment, **_: Any) -> None:
    """assessments.signals.assessment_verified: reopen or close the facility's earlier actions."""
    follow_up_verified(assessment)
