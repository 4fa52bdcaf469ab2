"""Facility-level public reporting only for facilities that opt in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonground.assessments.models import Assessment
from commonground.facilities.models import Facility
from commonground.web.demo.facilities import seed_demo


@pytest.fixture
def demo(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(facilities=6)


def test_only_facilities_that_opt_in_are_named(demo: None) -> None:
    assert (
        "No facility has chosen to publish yet."
        in Client(HTTP_ACCEPT_LANGUAGE="en").get("/public/facilities/").content.decode()
    )
    chosen = Facility.objects.filter(assessments__status=Assessment.Status.VERIFIED).distinct().first()
    assert chosen is not None
    Facility.objects.filter(pk=chosen.pk).update(public_disclosure=True)
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/public/facilities/").content.decode()
    from commonground.core.library import cached_library

    title = next(
        r.spec.title.en
        for r in cached_library().frameworks["vn-labour-code-2019"].requirements
        if r.id == "minors.minimum_age"
    )
    assert chosen.name in page and title in page
    others = Facility.objects.exclude(pk=chosen.pk)
    assert not any(f.name in page for f in others)
    vi = Client(HTTP_ACCEPT_LANGUAGE="vi").get("/public/facilities/").content.decode()
    assert "Báo cáo công khai theo cơ sở" in vi and (chosen.name_vi or chosen.name) in vi
    assert any(word in vi for word in ("đạt", "không đạt", "chưa rõ"))
