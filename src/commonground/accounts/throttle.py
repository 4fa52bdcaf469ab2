"""Abuse limits: how many times one address, network or organisation may do something per period,
counted in Django's cache (settings.CACHES: a table in the database by default, so every process
and server counts together; never per-process memory). Decision 0022."""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from commonground.core.i18n import Lang, gettext, gettext_noop

# Why an action is refused, in English; the Vietnamese is in the catalogue (decision 0014).
MESSAGES = {
    "password_reset": gettext_noop(
        "Too many password-reset requests for this address or from this network: try again after {at}."
    ),
    "grant_requests": gettext_noop(
        "Your organisation has sent too many access requests for now: try again after {at}."
    ),
}


class Throttled(Exception):
    """Over the limit; `retry_after` is how many seconds until the period ends."""

    def __init__(self, kind: str, retry_after: int) -> None:
        super().__init__(f"{kind}: retry after {retry_after} s")
        self.kind, self.retry_after = kind, retry_after

    def message(self, lang: Lang = "en") -> str:
        at = timezone.localtime(timezone.now() + dt.timedelta(seconds=self.retry_after))
        return gettext(MESSAGES[self.kind], lang).format(at=at.strftime("%H:%M"))


def count(limit: str, key: str) -> None:
    """Count one action of `key` (an address, a network, an organisation) against `limit`, a name
    in settings.THROTTLES: (how many, per how many seconds). Throttled when over it."""
    allowed, period = settings.THROTTLES[limit]
    now = time.time()
    window = int(now // period)
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:32]
    name = f"throttle:{limit}:{digest}:{window}"
    cache.add(name, 0, timeout=period)
    try:
        used = cache.incr(name)
    except ValueError:  # the count expired between the two calls: a new period
        cache.set(name, 1, timeout=period)
        used = 1
    if used > allowed:
        raise Throttled(limit.split(":", 1)[0], int((window + 1) * period - now) + 1)
