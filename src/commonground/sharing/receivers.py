"""What sharing does on events of lower apps (connected in SharingConfig.ready; decision 0026)."""

from __future__ import annotations

from typing import Any

from commonground.accounts.models import Organisation
from commonground.facilities.models import Facility
from commonground.sharing.access_log import record_read
from commonground.sharing.models import Grant


def log_outside_read(
    sender: Any,
    *,
    facility: Facility,
    user: Any,
    organisation: Organisation,
    grant: Grant | None,
    channel: str,
    what: str,
    **_: Any,
) -> None:
    """accounts.signals.outside_read: the read goes in the facility's access log."""
    record_read(facility, user=user, organisation=organisation, grant=grant, channel=channel, what=what)


def link_invited_factory(sender: Any, *, facility: Facility, **_: Any) -> None:
    """facilities.signals.facility_created: a factory a buyer invited joins with its facility."""
    from commonground.sharing.onboarding import link_joined_factory

    link_joined_factory(facility)
