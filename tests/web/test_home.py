"""Each role's home page on the seeded demo: what it needs first, nothing of another organisation,
a cost that does not grow with the sector, and k-suppression kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.accounts.models import Organisation
from commonground.actions.models import Action
from commonground.assessments.models import Assessment
from commonground.core import actions as rules
from commonground.facilities.models import Facility
from commonground.sharing.models import Grant
from commonground.web import home
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.conftest import seeded_once
from tests.web.conftest import client_for, share_results

SECTIONS = {
    "factory.admin": ('id="requests"', 'id="actions-due"', 'id="in-progress"'),
    "factory.editor": ('id="requests"', 'id="actions-due"', 'id="in-progress"'),
    "factory.viewer": ('id="requests"', 'id="actions-due"', 'id="in-progress"'),
    "buyer": ('id="portfolio-glance"',),
    "verifier": (),
    "authority": ('id="province"',),
    "cso": ('id="province"',),
}
WORDS = {
    ("factory.admin", "en"): (
        "Access requests waiting for your decision",
        "Actions due",
        "questions answered",
    ),
    ("factory.admin", "vi"): ("Yêu cầu truy cập đang chờ bạn quyết định", "Hành động đến hạn", "câu hỏi"),
    ("buyer", "en"): ("Your portfolio at a glance", "zero-tolerance", "overdue action"),
    ("buyer", "vi"): ("Tổng quan danh mục nhà cung cấp", "không khoan nhượng", "quá hạn"),
    ("authority", "en"): (
        "Sector indicators: Ho Chi Minh City",
        "Facilities that publish their results",
    ),
    ("authority", "vi"): ("Chỉ số ngành: Hồ Chí Minh", "Nhà máy công khai kết quả"),
    ("cso", "en"): ("Sector indicators: Dong Nai",),
    ("cso", "vi"): ("Chỉ số ngành: Đồng Nai",),
}


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo as `manage.py seed_demo` makes it (facilities, actions, adoptions, grants), seeded
    once for this module (tests/conftest.py seeded_once)."""
    with seeded_once(django_db_blocker, lambda: call_command("seed_demo", verbosity=0)):
        yield


@pytest.fixture
def seeded(_demo: None, db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_each_role_sees_its_sections_in_both_languages(seeded: None) -> None:
    for username, sections in SECTIONS.items():
        for lang in ("vi", "en"):
            response = client_for(username, lang, PASSWORD).get("/")
            page = response.content.decode()
            assert response.status_code == 200, (username, lang)
            for section in sections:
                assert section in page, (username, lang, section)
            for words in WORDS.get((username, lang), ()):
                assert words in _text(page), (username, lang, words)
    verifier = client_for("verifier", "en", PASSWORD).get("/").content.decode()
    assert "Verifier body, Verifier" in _text(verifier) and "Editor" not in _text(verifier)


def test_the_factory_home_lists_what_is_due_waiting_and_in_progress(seeded: None) -> None:
    user = User.objects.get(username="factory.admin")
    found = home.factory_home(user)
    own = set(Facility.objects.filter(owner__memberships__user=user).values_list("pk", flat=True))
    assert found.overdue and found.in_progress and found.requests
    assert all(a.facility_id in own and a.status in rules.PENDING for a in found.overdue + found.due_soon)
    assert all(g.facility_id in own and g.status == Grant.Status.REQUESTED for g in found.requests)
    assert all(p.assessment.facility_id in own and 0 < p.answered <= p.questions for p in found.in_progress)
    page = client_for("factory.admin", "en", PASSWORD).get("/").content.decode()
    first = found.in_progress[0]
    assert f'<progress value="{first.answered}" max="{first.questions}"' in page
    assert f"{first.answered} of {first.questions} questions answered ({first.percent} %)" in page
    assert (
        f"/actions/{found.overdue[0].pk}/" in page
        and f"/facilities/{found.requests[0].facility_id}/sharing/" in page
    )


def test_only_those_who_may_add_a_facility_see_the_link(seeded: None) -> None:
    for username, shown in (("factory.admin", True), ("factory.editor", True), ("factory.viewer", False)):
        client = client_for(username, "en", PASSWORD)
        assert ('href="/facilities/new"' in client.get("/").content.decode()) is shown, username
        assert client.get("/facilities/new").status_code == (200 if shown else 404)
    for username in ("buyer", "verifier", "authority", "cso"):
        assert 'href="/facilities/new"' not in client_for(username, "en", PASSWORD).get("/").content.decode()
    viewer = client_for("factory.viewer", "en", PASSWORD).get("/").content.decode()
    assert "See the request" in viewer and ">Decide<" not in viewer  # a viewer cannot decide


def test_no_home_shows_anything_of_another_organisation(seeded: None) -> None:
    user = User.objects.get(username="factory.admin")
    own_names = set(Facility.objects.filter(owner__memberships__user=user).values_list("name", flat=True))
    others = set(Facility.objects.exclude(name__in=own_names).values_list("name", flat=True))
    page = client_for("factory.admin", "en", PASSWORD).get("/").content.decode()
    assert [n for n in others if n in page] == []
    other_actions = Action.objects.exclude(facility__owner__memberships__user=user)
    assert not any(f"/actions/{pk}/" in page for pk in other_actions.values_list("pk", flat=True))
    public = set(Facility.objects.filter(public_disclosure=True).values_list("name", flat=True))
    for username in ("buyer", "authority", "cso"):
        text = client_for(username, "en", PASSWORD).get("/").content.decode()
        named = [n for n in Facility.objects.values_list("name", flat=True) if n in text]
        assert set(named) <= public, username  # only facilities that publish by name


def test_the_province_figures_keep_k_suppression(seeded: None, settings: Any) -> None:
    authority = User.objects.get(username="authority")
    found = home.province_home(authority, "en")
    assert found is not None and found.province == "Thành phố Hồ Chí Minh"
    assert found.years and all(y.facilities >= found.k for y in found.years)
    assert all(s.facilities >= found.k for s in found.sectors)
    assert found.hidden > 0  # the province's small groups are there, and not shown
    settings.AGGREGATE_K = 1000  # the snapshot follows the threshold in force
    page = client_for("authority", "en", PASSWORD).get("/").content.decode()
    assert "No figure can be shown for this province yet" in _text(page) and 'class="years"' not in page


def test_an_organisation_without_a_province_is_told_how_to_set_one(seeded: None) -> None:
    Organisation.objects.filter(kind=Organisation.Kind.CSO).update(province="")
    page = _text(client_for("cso", "vi", PASSWORD).get("/").content.decode())
    assert "Tổ chức của bạn chưa chọn tỉnh, thành phố" in page


def test_the_buyer_home_costs_the_same_for_few_or_many_suppliers(db: None) -> None:
    _drop_demo()  # the module's demo (seeded once, maybe already) makes way for a larger one
    seed_demo(facilities=24)
    buyer = Organisation.objects.get(name="Lotus Apparel")
    user = User.objects.get(username="buyer")
    suppliers = list(Facility.objects.filter(supply_links__buyer=buyer).order_by("pk"))
    assert len(suppliers) >= 10
    share_results(buyer, suppliers[:2])
    few = _queries(user)
    share_results(buyer, suppliers[2:])
    many = _queries(user)
    assert home.buyer_home(user).suppliers == len(suppliers)
    assert many == few, (few, many)


def _queries(user: User) -> int:
    client = client_for(user.get_username(), "en", PASSWORD)
    client.get("/")  # kept evaluations warm, as in use
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_the_buyer_home_counts_what_the_portfolio_shows(seeded: None) -> None:
    user = User.objects.get(username="buyer")
    glance = home.buyer_home(user)
    from commonground.sharing.portfolio import build_portfolio

    portfolio = build_portfolio(user)
    assert glance.suppliers == len(portfolio.suppliers) > 0
    assert glance.zero_tolerance == sum(len(r.zero_tolerance) for r in portfolio.suppliers)
    assert glance.overdue == sum(r.overdue or 0 for r in portfolio.suppliers)
    pending = Grant.objects.filter(grantee=glance.buyer, status=Grant.Status.REQUESTED)
    assert glance.requests_pending == pending.values("facility").distinct().count()
    page = client_for("buyer", "en", PASSWORD).get("/").content.decode()
    assert f'<span class="figure">{glance.suppliers}</span>' in page
    assert 'href="/portfolio/?show=zero_tolerance"' in page and 'href="/portfolio/?show=overdue"' in page


def test_a_draft_shows_how_complete_it_is(seeded: None) -> None:
    draft = Assessment.objects.filter(
        status=Assessment.Status.DRAFT, facility__owner__memberships__user__username="factory.editor"
    ).first()
    assert draft is not None
    found = home.factory_home(User.objects.get(username="factory.editor"))
    assert draft.pk in {p.assessment.pk for p in found.in_progress}


def test_the_province_home_reads_kept_figures_not_the_sector(db: None) -> None:
    """Once the sector's figures are worked out, a home page reads them: the same few queries for a
    sector of 12 facilities as for one of 40."""
    counts = []
    for size in (12, 40):
        _drop_demo()
        seed_demo(facilities=size)
        user = User.objects.get(username="authority")
        home.province_home(user, "en")  # works the figures out once
        with CaptureQueriesContext(connection) as captured:
            found = home.province_home(user, "en")
        assert found is not None
        counts.append(len(captured.captured_queries))
        answers = [q["sql"] for q in captured.captured_queries if "assessments_answer" in q["sql"]]
        assert all("COUNT(" in sql for sql in answers), answers  # no answer is read, only counted
    assert counts[0] == counts[1] and counts[0] <= 10, counts  # the fingerprint, then the snapshot


def _drop_demo() -> None:
    from commonground.assessments.models import Answer

    Answer.objects.all().delete()
    Assessment.objects.all().delete()
    Facility.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()
