"""What improvement does on events of lower apps (connected in ImprovementConfig.ready; decision 0026)."""

from __future__ import annotations

from typing import Any

from commonground.facilities.models import Facility
from commonground.improvement.models import Training


def move_to_kept(sender: Any, *, kept: Facility, merged: Facility, **_: Any) -> None:
    """facilities.signals.facility_merged: the merged facility's trainings become the kept one's."""
    Training.objects.filter(facility=merged).update(facility=kept)
