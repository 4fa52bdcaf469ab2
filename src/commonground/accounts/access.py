"""The one rule every access check starts from: which organisations a person belongs to (with an
editing role for writing). Facilities, assessments and action plans build their checks on it
(facilities.access, assessments.access, actions.access); an object the user may not see is reported
as missing (404), never as forbidden, so that its existence does not leak."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as DjangoUser
from django.db.models import QuerySet

from commonground.accounts.models import Membership, Organisation

User = DjangoUser | AnonymousUser
WRITE_ROLES = (Membership.Role.ADMIN, Membership.Role.EDITOR)


def organisations_of(user: User, *, write: bool = False) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user)
    if write:
        memberships = memberships.filter(role__in=WRITE_ROLES)
    return Organisation.objects.filter(memberships__in=memberships).distinct()


def memberships_of(user: User) -> QuerySet[Membership]:
    if not isinstance(user, DjangoUser):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def administered(user: User) -> QuerySet[Organisation]:
    """The organisations the user administers (who may merge their facilities, manage their people)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    admin = Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
    return Organisation.objects.filter(memberships__in=admin).distinct()
