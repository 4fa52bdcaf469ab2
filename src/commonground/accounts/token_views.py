"""The signed-in person's API tokens: create (shown once), list with last use, revoke."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.accounts.tokens import (
    EXPIRES_MAX_DAYS,
    NAME_MAX,
    create_token,
    is_expired,
    list_tokens,
    revoke_token,
)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"new_token": None, "errors": {}, "typed": {}}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "")[:200] for k in ("name", "access", "expires")}
        try:
            context["new_token"] = create_token(
                request.user,
                name=request.POST.get("name", ""),
                can_write=request.POST.get("access") == "write",
                expires_days=request.POST.get("expires", ""),
            )
        except ValidationError as exc:
            context["errors"] = {k: " ".join(v) for k, v in exc.message_dict.items()}
            context["typed"] = typed
    rows = [{"token": t, "expired": is_expired(t)} for t in list_tokens(request.user)]
    context.update(rows=rows, name_max=NAME_MAX, expires_max=EXPIRES_MAX_DAYS)
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = revoke_token(token_id, user=request.user)  # another person's token: 404
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
