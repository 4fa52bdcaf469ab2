"""Demo consent: which demo facilities share with their buyers, and which publish by name.

The demo buyer (login `buyer`) gets grants from most of its suppliers, with every kind of content
(results; results, answers and evidence; the action plan), one revoked and one expired grant, and a
request still waiting at one of the demo factory group's facilities (for `factory.admin` to decide).
The other buyers get results-only grants from about half of their suppliers. A few facilities opt
in to public reporting by name. Deterministic for a given seed; written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import Membership, Organisation
from commonground.facilities.models import Facility
from commonground.sharing.models import Grant

PURPOSE = "Thẩm định nhà cung cấp và theo dõi cải thiện (demo)"
CONTENTS = (Grant.Content.RESULTS, Grant.Content.ANSWERS, Grant.Content.ACTION_PLAN)


@dataclass(frozen=True)
class DemoConsent:
    grants: int
    public: int


def seed_demo_grants(*, seed: int = 2026, now: dt.datetime | None = None) -> DemoConsent:
    rng, now = random.Random(seed), now or timezone.now()
    buyer_user = User.objects.filter(username="buyer").first()
    demo_buyer = _organisation_of(buyer_user)
    grants: list[Grant] = []
    for buyer in Organisation.objects.filter(kind=Organisation.Kind.BUYER).order_by("pk"):
        suppliers = list(Facility.objects.filter(supply_links__buyer=buyer).order_by("pk"))
        if buyer == demo_buyer:
            grants += _demo_buyer_grants(rng, buyer, buyer_user, suppliers, now)
        else:
            chosen = [f for f in suppliers if rng.random() < 0.5]
            grants += [_grant(f, buyer, None, Grant.Content.RESULTS, now) for f in chosen]
    public = _opt_in(rng)
    with transaction.atomic():
        Grant.objects.bulk_create(grants)
        Facility.objects.filter(pk__in=public).update(public_disclosure=True)
    return DemoConsent(len(grants), len(public))


def _organisation_of(user: User | None) -> Organisation | None:
    if user is None:
        return None
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    return membership.organisation if membership else None


def _demo_buyer_grants(
    rng: random.Random, buyer: Organisation, user: User | None, suppliers: list[Facility], now: dt.datetime
) -> list[Grant]:
    own_group = Membership.objects.filter(user__username="factory.admin").values_list(
        "organisation_id", flat=True
    )
    ours = [f for f in suppliers if f.owner_id in set(own_group)]
    others = [f for f in suppliers if f not in ours]
    grants = [_grant(f, buyer, user, CONTENTS[i % 3], now) for i, f in enumerate(ours[1:])]
    if ours:  # a request waiting for the factory's decision
        grants.append(_grant(ours[0], buyer, user, Grant.Content.ANSWERS, now, Grant.Status.REQUESTED))
    for i, facility in enumerate(others):
        draw = rng.random()
        if i == 0:
            grants.append(_grant(facility, buyer, user, Grant.Content.RESULTS, now, Grant.Status.REVOKED))
        elif i == 1:
            grants.append(_grant(facility, buyer, user, Grant.Content.RESULTS, now, expired=True))
        elif draw < 0.8:
            grants.append(_grant(facility, buyer, user, rng.choice(CONTENTS), now))
    return grants


def _grant(
    facility: Facility,
    buyer: Organisation,
    user: User | None,
    content: str,
    now: dt.datetime,
    status: str = Grant.Status.ACTIVE,
    expired: bool = False,
) -> Grant:
    decided = status != Grant.Status.REQUESTED
    return Grant(
        facility=facility,
        grantee=buyer,
        scope=Grant.Scope.BOTH,
        content=content,
        purpose=PURPOSE,
        expires_at=now + dt.timedelta(days=-10 if expired else 180),
        status=status,
        requested_by=user,
        decided_at=now - dt.timedelta(days=20) if decided else None,
        revoked_at=now - dt.timedelta(days=5) if status == Grant.Status.REVOKED else None,
    )


def _opt_in(rng: random.Random) -> list[int]:
    """About one facility in eight publishes a few key results by name."""
    ids = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    return sorted(rng.sample(ids, max(1, len(ids) // 8))) if ids else []
