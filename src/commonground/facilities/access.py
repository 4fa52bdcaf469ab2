"""Who may read or change a facility: the people of its owner organisation (accounts.access says who
belongs where). An object the user may not see is reported as missing (404), never as forbidden, so
that its existence does not leak. Assessments: assessments.access; action plans: actions.access.

A facility merged into another (decision 0040) is no longer one of anybody's facilities: its id is
an alias, which `final_facility_id` resolves (the pages redirect, the API answers 308)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonground.accounts.access import User, organisations_of
from commonground.facilities.models import Facility

MAX_CHAIN = 100  # merges of merges: a chain is a handful long; this only stops a cycle made by hand


def facilities_for(user: User, *, write: bool = False) -> QuerySet[Facility]:
    """Facilities whose owner organisation the user belongs to (with an editing role for write),
    never a merged one."""
    owned = Facility.objects.filter(owner__in=organisations_of(user, write=write))
    return owned.filter(merged_into__isnull=True)


def get_facility(facility_id: int, user: User, *, write: bool = False, follow: bool = False) -> Facility:
    """The facility, if the user may see it (or change it, with `write`); with `follow`, the id of a
    merged facility is read as the facility it ended in."""
    if follow:
        facility_id = final_facility_id(facility_id) or facility_id
    try:
        return facilities_for(user, write=write).get(pk=facility_id)
    except Facility.DoesNotExist:
        raise Http404 from None


def final_facility_id(facility_id: int) -> int | None:
    """The facility a merged facility ended in, following merges of merges; None when the id is no
    merged facility's (one query for an id that is not an alias)."""
    found = None
    current = facility_id
    for _ in range(MAX_CHAIN):
        into = Facility.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
        if into is None:
            return found
        found = current = into
    return found


def alias_ids(facility_id: int) -> list[int]:
    """The ids of every facility merged into this one, directly or through merges of merges."""
    found: list[int] = []
    level = [facility_id]
    for _ in range(MAX_CHAIN):
        level = list(Facility.objects.filter(merged_into__in=level).values_list("pk", flat=True))
        if not level:
            break
        found.extend(level)
    return found
