"""Organisations, the people in them and their roles."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FACTORY_GROUP = "factory_group", _("Factory group")
        BUYER = "buyer", _("Buyer")
        VERIFIER_BODY = "verifier_body", _("Verifier body")
        AUTHORITY = "authority", _("Authority")
        CSO = "cso", _("Civil-society organisation")

    name = models.CharField(_("name"), max_length=200)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # where an authority or a civil-society organisation works: its home page shows that province
    province = models.CharField(_("province"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def role_label(self) -> str:
        """The role in the words of the organisation's kind (a verifier body's editor is a verifier)."""
        return role_label(self.organisation.kind, self.role)


# The roles whose name depends on the kind of organisation; the others read as Membership.Role.
_ROLE_NAMES: dict[tuple[str, str], Any] = {
    (Organisation.Kind.VERIFIER_BODY.value, Membership.Role.EDITOR.value): _("Verifier")
}


def role_label(kind: str, role: str) -> str:
    named = _ROLE_NAMES.get((kind, role))
    if named is not None:
        return str(named)
    return str(Membership.Role(role).label) if role in Membership.Role.values else role


def role_choices(kind: str) -> list[tuple[str, str]]:
    """The roles one may give in an organisation of this kind, named for it."""
    return [(role, role_label(kind, role)) for role in Membership.Role.values]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An invitation by link: only the hash of the token is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _token_hash(token)

    @staticmethod
    def hash_of(token: str) -> str:
        return _token_hash(token)


class BuyerCode(models.Model):
    """A buyer's own code of conduct, written as a library file (docs/library-format.md)."""

    buyer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="codes")
    framework_id = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)


class ApiToken(models.Model):
    """A personal API token: only its hash is stored; read-only or read-write; revocable; may expire."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    can_write = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
