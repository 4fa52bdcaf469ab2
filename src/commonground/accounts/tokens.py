"""Personal API tokens: issued once in clear, kept as a hash, checked on every API call."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from commonground.accounts.models import ApiToken

PREFIX = "cg_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: Any, *, name: str, can_write: bool = False) -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name[:100], token_hash=_hash(token), can_write=can_write)
    return token


def revoke_token(token_id: int, *, user: Any) -> None:
    ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cg_…`. A read-only token may only read (GET, HEAD)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=_hash(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        if request.method not in ("GET", "HEAD") and not found.can_write:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
