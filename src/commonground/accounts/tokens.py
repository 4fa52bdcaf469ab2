"""Personal API tokens: issued once in clear, kept as a hash, checked on every API call.

One service per use case, called by the page, the `api_token` command and the tests alike."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from commonground.accounts.models import ApiToken

PREFIX = "cg_"
NAME_MAX = 100
EXPIRES_MAX_DAYS = 3650  # ten years; longer is "never", which is an empty field


class ReadOnlyToken(Exception):
    """A valid read-only token was used to change data."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


def clean_name(name: str) -> str:
    """The token's name, trimmed; refused when empty, too long, or holding control, format (bidi,
    zero-width) or unpaired surrogate characters."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name.")]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [_("The name is at most 100 characters long.")]})
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in name):
        raise ValidationError({"name": [_("The name holds invisible or control characters.")]})
    return name


def clean_expiry(days: str | int | None) -> dt.datetime | None:
    """`days` from now (1 to 3650), or None (never) when empty."""
    if days is None or (isinstance(days, str) and not days.strip()):
        return None
    try:
        number = int(str(days).strip()) if len(str(days)) <= 10 else -1
    except ValueError:
        number = -1
    if not 1 <= number <= EXPIRES_MAX_DAYS:
        raise ValidationError({"expires": [_("The expiry is a whole number of days from 1 to 3650.")]})
    return timezone.now() + dt.timedelta(days=number)


def create_token(
    user: Any, *, name: str, can_write: bool = False, expires_days: str | int | None = None
) -> str:
    """A new token for `user`, returned in clear this once (only its hash is kept)."""
    clean, expires_at = clean_name(name), clean_expiry(expires_days)
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=clean, token_hash=_hash(token), can_write=can_write, expires_at=expires_at
    )
    return token


def list_tokens(user: Any) -> QuerySet[ApiToken]:
    """The user's tokens not revoked, newest first (expired ones stay listed, marked by their date)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-pk")


def revoke_token(token_id: int, *, user: Any | None) -> ApiToken:
    """Revoke one of `user`'s tokens (any user's when `user` is None: the command line).
    Another person's token, or none, is 404."""
    found = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
    if user is not None:
        found = found.filter(user=user)
    token = found.first()
    if token is None:
        raise Http404
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def is_expired(token: ApiToken) -> bool:
    return token.expires_at is not None and token.expires_at <= timezone.now()


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cg_…`. A read-only token may only read (GET, HEAD); a token that is
    unknown, revoked or expired is refused (401) without falling back to the session."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=_hash(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active or is_expired(found):
            raise AuthenticationError
        if request.method not in ("GET", "HEAD", "OPTIONS") and not found.can_write:
            raise ReadOnlyToken
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
