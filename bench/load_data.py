"""Data for the load benchmark: the demo sector scaled up, and one buyer with 500 sharing suppliers.

Run through `bench/bench_load.py` (which sets DATABASE_URL first). Idempotent: the demo is seeded
only into an empty database, and supply links, grants and the API token are added only when
missing. Writes what the locust users need (sessions, token, assessment ids) as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

import django

BUYER_LOGIN = "buyer"  # Lotus Apparel in the demo
FACTORY_LOGIN = "factory.admin"  # owns every eighth demo facility
TOKEN_NAME = "load benchmark"


def prepare(facilities: int, suppliers: int, users: int, out: Path) -> dict[str, object]:
    from commonground.facilities.models import Facility
    from commonground.web.demo.facilities import seed_demo

    started = time.perf_counter()
    if not Facility.objects.exists():
        summary = seed_demo(facilities=facilities)
        print(
            f"seeded {summary.facilities} facilities, {summary.assessments} assessments, "
            f"{summary.answers} answers in {time.perf_counter() - started:.1f} s"
        )
    facts = {
        "facilities": Facility.objects.count(),
        "sharing_suppliers": _share_with_buyer(suppliers),
        **_factory_targets(),
        "sessions": {login: _sessions(login, users) for login in (BUYER_LOGIN, FACTORY_LOGIN)},
    }
    out.write_text(json.dumps(facts, indent=1), encoding="utf-8")
    return facts


def _share_with_buyer(count: int) -> int:
    """Link the demo buyer to `count` facilities, each with an active grant (results, both scopes)."""
    from django.utils import timezone

    from commonground.accounts.models import Membership
    from commonground.facilities.models import Facility, SupplyLink
    from commonground.sharing.models import Grant

    buyer = Membership.objects.get(user__username=BUYER_LOGIN).organisation
    linked = set(SupplyLink.objects.filter(buyer=buyer).values_list("facility_id", flat=True))
    others = Facility.objects.exclude(pk__in=linked).order_by("pk").values_list("pk", flat=True)
    extra = list(others[: max(0, count - len(linked))])
    SupplyLink.objects.bulk_create([SupplyLink(buyer=buyer, facility_id=pk) for pk in extra])
    suppliers = sorted(linked | set(extra))[:count]
    active = Grant.objects.filter(grantee=buyer, status=Grant.Status.ACTIVE, expires_at__gt=timezone.now())
    have = set(active.values_list("facility_id", flat=True))
    expiry = timezone.now() + dt.timedelta(days=365)
    Grant.objects.bulk_create(
        Grant(
            facility_id=pk,
            grantee=buyer,
            scope=Grant.Scope.BOTH,
            content=Grant.Content.RESULTS,
            purpose="load benchmark / đo tải",
            expires_at=expiry,
            status=Grant.Status.ACTIVE,
            decided_at=timezone.now(),
        )
        for pk in suppliers
        if pk not in have
    )
    return active.filter(facility_id__in=suppliers).values("facility_id").distinct().count()


def _factory_targets() -> dict[str, object]:
    """A fresh read-only token for the factory login, and the assessments of its facilities."""
    from django.contrib.auth.models import User

    from commonground.accounts.models import ApiToken
    from commonground.accounts.tokens import create_token
    from commonground.assessments.models import Assessment
    from commonground.facilities import access as facility_access

    user = User.objects.get(username=FACTORY_LOGIN)
    ApiToken.objects.filter(user=user, name=TOKEN_NAME).delete()
    own = Assessment.objects.filter(facility__in=facility_access.facilities_for(user))
    ids = list(own.values_list("pk", flat=True))
    random.Random(7).shuffle(ids)
    return {"token": create_token(user, name=TOKEN_NAME), "assessments": ids}


def _sessions(username: str, count: int) -> list[str]:
    """Logged-in sessions made directly, one per locust user: the benchmark measures pages, not
    password hashing (Argon2 costs about 100 MiB and a few hundred ms per log-in on this machine)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    user = User.objects.get(username=username)
    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(str(session.session_key))
    return keys


def main() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
    django.setup()
    facilities, suppliers, users = (int(a) for a in sys.argv[1:4])
    facts = prepare(facilities, suppliers, users, Path(sys.argv[4]))
    print(
        f"{facts['facilities']} facilities; {facts['sharing_suppliers']} suppliers share with the buyer; "
        f"{len(facts['assessments'])} assessments of the factory login"  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
