"""Who may see and change a facility's action plan, built on the one access helper.

- the facility's own people read it; its admins and editors change it;
- the verifier body of one of the facility's assessments reads it, and its editors confirm closure;
- an organisation holding an active grant whose content is the action plan reads the actions its
  grant's scope covers; a buyer's editors confirm closure;
- every read by another organisation (verifier or grantee) goes in the facility's access log;
- anyone else: the plan does not exist (404). The facility never confirms its own actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from commonground.accounts import access
from commonground.accounts.models import Organisation
from commonground.assessments.models import Assessment
from commonground.facilities import access as facility_access
from commonground.facilities.models import Facility
from commonground.sharing import services as sharing
from commonground.sharing.models import Grant


@dataclass(frozen=True)
class PlanAccess:
    facility: Facility
    can_edit: bool  # the facility's admins and editors
    can_close: bool  # the verifier body or a buyer under a grant: confirm, or send back
    organisation: Organisation | None = None  # the reader's organisation when not the facility's
    grant: Grant | None = None  # set for a grantee
    visible: frozenset[str] | None = None  # data points a grantee may see (None: all)

    @property
    def is_facility(self) -> bool:
        return self.organisation is None

    def shows(self, datapoints: set[str]) -> bool:
        return self.visible is None or datapoints <= self.visible


def plan_access(facility_id: int, user: Any) -> PlanAccess:
    """The user's access to the facility's action plan; Http404 when there is none."""
    facility = facility_access.facilities_for(user).filter(pk=facility_id).first()
    if facility is not None:
        can_edit = facility_access.facilities_for(user, write=True).filter(pk=facility_id).exists()
        return PlanAccess(facility, can_edit=can_edit, can_close=False)
    found = Facility.objects.filter(pk=facility_id).first()
    if found is None:
        raise Http404
    plan = _as_verifier(found, user) or _as_grantee(found, user)
    if plan is None:
        raise Http404
    return plan


def _as_verifier(facility: Facility, user: Any) -> PlanAccess | None:
    verifiers = Assessment.objects.filter(facility=facility).values("verifier")
    org = access.organisations_of(user).filter(pk__in=verifiers).first()
    if org is None:
        return None
    can_close = access.organisations_of(user, write=True).filter(pk=org.pk).exists()
    return PlanAccess(facility, can_edit=False, can_close=can_close, organisation=org)


def _as_grantee(facility: Facility, user: Any) -> PlanAccess | None:
    grants = Grant.objects.filter(
        facility=facility,
        grantee__in=access.organisations_of(user),
        content=Grant.Content.ACTION_PLAN,
        status=Grant.Status.ACTIVE,
        expires_at__gt=timezone.now(),
    )
    grant = grants.select_related("grantee").order_by("-decided_at").first()
    if grant is None:
        return None
    org = grant.grantee
    can_close = org.kind == Organisation.Kind.BUYER and (
        access.organisations_of(user, write=True).filter(pk=org.pk).exists()
    )
    visible = frozenset(sharing.visible_datapoints(grant))
    return PlanAccess(facility, False, can_close, org, grant, visible)


def log_read(plan: PlanAccess, user: Any, what: str, channel: str) -> None:
    """A read by another organisation (a grantee, or the verifier body) goes into the facility's
    access log, as every read of its data by others does (decision 0006)."""
    if plan.organisation is not None:
        sharing.record_read(
            plan.facility,
            user=user,
            organisation=plan.organisation,
            what=what,
            channel=channel,
            grant=plan.grant,
        )
