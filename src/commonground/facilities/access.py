"""Who may read or change a facility: the people of its owner organisation (accounts.access says who
belongs where). An object the user may not see is reported as missing (404), never as forbidden, so
that its existence does not leak. Assessments: assessments.access; action plans: actions.access."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonground.accounts.access import User, organisations_of
from commonground.facilities.models import Facility


def facilities_for(user: User, *, write: bool = False) -> QuerySet[Facility]:
    """Facilities whose owner organisation the user belongs to (with an editing role for write)."""
    return Facility.objects.filter(owner__in=organisations_of(user, write=write))


def get_facility(facility_id: int, user: User, *, write: bool = False) -> Facility:
    try:
        return facilities_for(user, write=write).get(pk=facility_id)
    except Facility.DoesNotExist:
        raise Http404 from None
