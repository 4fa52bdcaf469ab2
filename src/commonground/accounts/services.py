"""People and organisations: invitations by link, roles, the frameworks a buyer requires."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from commonground.accounts.access import organisations_of
from commonground.accounts.models import BuyerCode, Invitation, Membership, Organisation
from commonground.core.errors import CommonGroundError, Problem
from commonground.core.library import load_library
from commonground.core.sources import parse_yaml
from commonground.facilities.models import RequiredFramework

INVITATION_DAYS = 14


def get_organisation_to_manage(organisation_id: int, user: Any) -> Organisation:
    """Only an organisation's administrators manage its people and settings."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Organisation.objects.get(
            pk=organisation_id, memberships__user=user, memberships__role=Membership.Role.ADMIN
        )
    except Organisation.DoesNotExist:
        raise Http404 from None


def invite(organisation_id: int, *, user: Any, email: str, role: str) -> str:
    """Create an invitation and return its token (only its hash is stored)."""
    organisation = get_organisation_to_manage(organisation_id, user)
    if role not in Membership.Role.values:
        raise ValidationError("role")
    token, token_hash = Invitation.new_token()
    Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=user,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    return token


def get_open_invitation(token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("organisation").get(
            token_hash=Invitation.hash_of(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
    except Invitation.DoesNotExist:
        raise Http404 from None


def accept_invitation(token: str, *, username: str, password: str) -> User:
    """A new account joins the organisation with the invited role; the link then stops working."""
    invitation = get_open_invitation(token)
    if not username.strip() or User.objects.filter(username=username).exists():
        raise ValidationError("username", code="username")
    validate_password(password)
    with transaction.atomic():
        user = User.objects.create_user(username=username.strip(), email=invitation.email, password=password)
        Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def set_required_frameworks(buyer_id: int, framework_ids: Iterable[str], *, user: Any) -> list[str]:
    """The frameworks a buyer requires of its suppliers (ids from the library)."""
    buyer = get_organisation_to_manage(buyer_id, user)
    if buyer.kind != Organisation.Kind.BUYER:
        raise ValidationError("not a buyer")
    from commonground.assessments.services import library

    known = library().frameworks
    wanted = list(dict.fromkeys(f for f in framework_ids if f in known))
    with transaction.atomic():
        RequiredFramework.objects.filter(buyer=buyer).exclude(framework_id__in=wanted).delete()
        for framework_id in wanted:
            RequiredFramework.objects.get_or_create(buyer=buyer, framework_id=framework_id)
    return wanted


def upload_code(buyer_id: int, text: str, *, user: Any) -> str:
    """Check a buyer's code against the library and keep it; its suppliers then answer it.

    Raises CommonGroundError (every problem, with its line) and stores nothing when it does not fit.
    """
    buyer = get_organisation_to_manage(buyer_id, user)
    framework_id = _framework_id(text)
    others = [
        (f"{c.framework_id}.yaml", c.text) for c in BuyerCode.objects.exclude(framework_id=framework_id)
    ]
    taken = BuyerCode.objects.filter(framework_id=framework_id).exclude(buyer=buyer).exists()
    if taken:
        raise CommonGroundError(
            [Problem("duplicate_id", "code.yaml", None, "id", {"id": framework_id, "first": "another buyer"})]
        )
    load_library(documents=[*others, ("code.yaml", text)])
    with transaction.atomic():
        BuyerCode.objects.update_or_create(
            framework_id=framework_id, defaults={"buyer": buyer, "text": text, "uploaded_by": user}
        )
        RequiredFramework.objects.get_or_create(buyer=buyer, framework_id=framework_id)
    return framework_id


def _framework_id(text: str) -> str:
    data = parse_yaml(text, file="code.yaml")
    if not isinstance(data, dict) or "requirements" not in data or not isinstance(data.get("id"), str):
        raise CommonGroundError(
            [
                Problem(
                    "field_missing",
                    "code.yaml",
                    getattr(data, "line", None),
                    "",
                    {"field": "id, requirements"},
                )
            ]
        )
    return str(data["id"])


def organisations_to_manage(user: Any) -> Any:
    return organisations_of(user).filter(memberships__user=user, memberships__role=Membership.Role.ADMIN)
