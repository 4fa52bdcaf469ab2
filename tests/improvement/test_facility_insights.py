"""The facility page says which solutions worked for factories like it (n and range included)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from commonground.facilities import access as facility_access
from commonground.improvement import services
from commonground.web.demo import facilities as demo
from commonground.web.demo.improvement import seed_improvement
from tests.improvement.test_demo import TODAY
from tests.web.conftest import client_for


@pytest.fixture
def seeded(db: None, settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    demo.seed_demo()
    seed_improvement(today=TODAY)


def test_the_facility_page_shows_up_to_three_peer_insights(seeded: None) -> None:
    admin = User.objects.get(username="factory.admin")
    with_insights = [
        (f, found)
        for f in facility_access.facilities_for(admin)
        if (found := services.get_peer_insights(f.pk, user=admin, lang="vi"))
    ]
    assert with_insights  # the demo makes them meaningful for the demo group's factories
    facility, found = with_insights[0]
    page = (
        client_for("factory.admin", "vi", demo.PASSWORD).get(f"/facilities/{facility.pk}/").content.decode()
    )
    assert "Điều đã hiệu quả ở các nhà máy giống bạn" in page or "giống bạn" in page
    assert found[0].sentence in page and "dựa trên" in found[0].sentence
    assert sum(i.sentence in page for i in found) == min(3, len(found))
