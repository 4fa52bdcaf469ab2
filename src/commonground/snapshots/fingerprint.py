"""The state of the sector that snapshots are made of, in one short string: it changes whenever a
submitted or verified assessment, one of its answers, an adoption, a facility's profile or a buyer's
code changes (a few aggregate queries); editing a draft, the common case, leaves it as it is."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count, Max

from commonground.accounts.library import library_version
from commonground.accounts.models import BuyerCode
from commonground.actions.models import Adoption
from commonground.assessments.models import Answer, Assessment
from commonground.facilities.models import Facility


def sector_fingerprint() -> str:
    parts = (
        Assessment.objects.exclude(status=Assessment.Status.DRAFT).aggregate(
            n=Count("id"), last=Max("id"), s=Max("submitted_at"), v=Max("verified_at")
        ),
        Answer.objects.exclude(assessment__status=Assessment.Status.DRAFT).aggregate(
            n=Count("id"), u=Max("updated_at")
        ),
        Adoption.objects.aggregate(n=Count("id"), last=Max("id")),
        Facility.objects.aggregate(n=Count("id"), u=Max("updated_at")),
        BuyerCode.objects.aggregate(n=Count("id"), u=Max("uploaded_at")),
        {"library": library_version()},  # the shipped files too: a new release may change the rules
    )
    k = int(getattr(settings, "AGGREGATE_K", 5))  # suppression follows the threshold in force
    text = repr([k, *(sorted(p.items()) for p in parts)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]
