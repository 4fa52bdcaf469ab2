"""A small cast for the web layer: alice edits her factory, bob views it, victor verifies, charlie is
an outsider, and the buyer Bao requires SA8000."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from commonground.accounts.models import Membership, Organisation
from commonground.assessments.models import Assessment
from commonground.facilities.models import Facility, RequiredFramework, SupplyLink
from commonground.sharing.models import Grant

PASSWORD = "a-long-password-1"  # every member of the cast


def share_results(buyer: Organisation, facilities: list[Facility]) -> None:
    """Each facility shares its results (environment, social and labour) with the buyer for 30 days."""
    for facility in facilities:
        Grant.objects.create(
            facility=facility,
            grantee=buyer,
            scope="both",
            content="results",
            purpose="load",
            expires_at=timezone.now() + dt.timedelta(days=30),
            status="active",
        )


def client_for(username: str, lang: str = "en", password: str = PASSWORD) -> Client:
    """A browser-like client logged in through the log-in page (so lock-out rules apply)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    assert client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302
    return client


def forced_client(username: str, lang: str = "en", _password: str = "") -> Client:
    """A client logged in as `username` without the log-in page (for tests about something else:
    no password, no lock-out counts)."""
    from django.contrib.auth.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_kept_outcomes() -> None:
    """Each test starts with no kept evaluations or outcomes: a rolled-back database gives out the same ids again.
    (The database cache is rolled back with each test; Redis is emptied.)"""
    from django.conf import settings

    from commonground.assessments.evaluations import forget_evaluations
    from commonground.sharing import outcomes

    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        outcomes.clear()
    forget_evaluations()


def member(username: str, org: Organisation, role: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.test", PASSWORD)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def cast(db: None) -> dict[str, Any]:
    group = Organisation.objects.create(name="Song Hong Garment Group", kind=Organisation.Kind.FACTORY_GROUP)
    buyer = Organisation.objects.create(name="Bao Brand", kind=Organisation.Kind.BUYER)
    verifiers = Organisation.objects.create(name="Viet Verify", kind=Organisation.Kind.VERIFIER_BODY)
    elsewhere = Organisation.objects.create(name="Other Group", kind=Organisation.Kind.FACTORY_GROUP)
    facility = Facility.objects.create(
        owner=group,
        name="Song Hong Factory 1",
        province="Thành phố Hà Nội",
        sector=Facility.Sector.GARMENT,
        minimum_wage_region="1",
        workers=800,
    )
    SupplyLink.objects.create(buyer=buyer, facility=facility)
    RequiredFramework.objects.create(buyer=buyer, framework_id="sa8000")
    return {
        "facility": facility,
        "buyer": buyer,
        "verifiers": verifiers,
        "alice": member("alice", group, Membership.Role.EDITOR),
        "bob": member("bob", group, Membership.Role.VIEWER),
        "victor": member("victor", verifiers, Membership.Role.EDITOR),
        "charlie": member("charlie", elsewhere, Membership.Role.ADMIN),
    }


@pytest.fixture
def assessment(cast: dict[str, Any]) -> Assessment:
    return Assessment.objects.create(
        facility=cast["facility"],
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        created_by=cast["alice"],
        verifier=cast["verifiers"],
    )
