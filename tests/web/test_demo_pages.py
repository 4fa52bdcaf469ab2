"""Every main page of the seeded demo opens for the role that uses it, and stays under 300 KB."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.assessments.models import Assessment
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.web.conftest import client_for

LIMIT = 300_000


@pytest.fixture
def demo(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(facilities=8)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_factory_pages_open_and_are_small(demo: None, lang: str) -> None:
    client = client_for("factory.admin", lang, PASSWORD)
    home = client.get("/")
    assert home.status_code == 200 and len(home.content) < LIMIT
    assessment = Assessment.objects.filter(
        facility__owner__memberships__user__username="factory.admin"
    ).first()
    assert assessment is not None
    pages = [
        f"/facilities/{assessment.facility_id}/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/results/",
        f"/assessments/{assessment.pk}/history/",
        f"/assessments/{assessment.pk}/results/vn-labour-code-2019/",
        "/facilities/new",
    ]
    topics = ["working_time", "wages", "osh", "wastewater", "fire_safety"]
    pages += [f"/assessments/{assessment.pk}/?topic={t}" for t in topics]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < LIMIT, (url, len(response.content))


def test_the_verifier_sees_its_worklist(demo: None) -> None:
    page = client_for("verifier", "en", PASSWORD).get("/").content.decode()
    assert "Assessments to verify" in page
    submitted = Assessment.objects.filter(status=Assessment.Status.SUBMITTED).first()
    assert submitted is not None and f"/assessments/{submitted.pk}/" in page


def test_each_demo_login_lands_on_a_home_that_says_who_they_are(demo: None) -> None:
    for username, kind in (
        ("buyer", "Buyer"),
        ("authority", "Authority"),
        ("cso", "Civil-society organisation"),
    ):
        page = client_for(username, "en", PASSWORD).get("/").content.decode()
        assert kind in page and "Sector indicators" in page
