"""The state of the sector that snapshots are made of, in one short string: it changes whenever a
submitted or verified assessment, one of its answers, an adoption, a facility's profile or a buyer's
code changes (a few aggregate queries); editing a draft, the common case, leaves it as it is.
Verified assessments' answers are not read: they are locked (decision 0034).

Apps above this one add what they own with `contribute` (actions: adoptions), so that snapshots
import none of them (decision 0026)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q

from commonground.accounts.library import library_version
from commonground.accounts.models import BuyerCode
from commonground.assessments.models import Answer, Assessment
from commonground.facilities.models import Facility

Part = Callable[[], dict[str, Any]]
OPEN = (Assessment.Status.SUBMITTED, Assessment.Status.RETURNED)
_CONTRIBUTED: dict[str, Part] = {}


def contribute(name: str, part: Part) -> None:
    """Make `part` (a few aggregates of an app's rows) a part of the sector's state, under `name`."""
    _CONTRIBUTED[name] = part


def sector_fingerprint() -> str:
    parts = (
        Assessment.objects.exclude(status=Assessment.Status.DRAFT).aggregate(
            n=Count("id"),
            last=Max("id"),
            s=Max("submitted_at"),
            v=Max("verified_at"),
            # how many in each state: a reopened assessment changes them
            **{state: Count("id", filter=Q(status=state)) for state in Assessment.Status.values},
        ),
        # a verified assessment's answers never change (it is locked: a change is a new version), so
        # only those of submitted and returned ones are looked at, not the sector's millions
        Answer.objects.filter(assessment__status__in=OPEN).aggregate(n=Count("id"), u=Max("updated_at")),
        *(part() for _, part in sorted(_CONTRIBUTED.items())),
        Facility.objects.aggregate(n=Count("id"), u=Max("updated_at")),
        BuyerCode.objects.aggregate(n=Count("id"), u=Max("uploaded_at")),
        {"library": library_version()},  # the shipped files too: a new release may change the rules
    )
    k = int(getattr(settings, "AGGREGATE_K", 5))  # suppression follows the threshold in force
    text = repr([k, *(sorted(p.items()) for p in parts)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]
