"""The main pages of the seeded demo, per role: one shared list for the crawls over every page, and
the one way those crawls log in and walk them (a browser context per role, both languages).

Used by the phone-width test (no page scrolls sideways at 360 px), the language crawl (no English
in a Vietnamese page and the reverse) and the home pages' test. The URLs are discovered from the
demo data in the database, so the demo must be seeded first (the `demo_pages` fixture).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from commonground.accounts import access
from commonground.accounts.services import organisations_to_manage
from commonground.actions.models import Action
from commonground.assessments.evaluations import evaluate
from commonground.assessments.models import Assessment
from commonground.facilities import access as facility_access
from commonground.sharing.models import Grant
from commonground.web.demo.facilities import PASSWORD

ROLES = ("factory.admin", "factory.viewer", "buyer", "verifier", "authority", "cso")
LANGS = ("vi", "en")
DEMO_FACILITIES = 16  # enough for every page (each role's data, peer groups); quick to seed


def seed_demo_for_pages() -> None:
    """The demo, seeded as `manage.py seed_demo` does (facilities, actions, improvement, grants)."""
    call_command("seed_demo", facilities=DEMO_FACILITIES, stdout=_Quiet())


@pytest.fixture
def demo_pages(transactional_db: None, settings: Any) -> None:
    """The demo seeded for the crawls (fast password hashing: every role logs in)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo_for_pages()


def log_in(page: Any, server: str, username: str) -> None:
    """Log in through the login page, as a person does."""
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def in_language(page: Any, server: str, lang: str) -> None:
    """The pages that follow in `lang` (the language cookie, as the language switch sets it)."""
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": server}])


@contextmanager
def logged_in(browser: Any, server: str, username: str, width: int, height: int = 800) -> Iterator[Any]:
    """A page of a fresh browser context, logged in as `username`; the context is closed after."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        page = context.new_page()
        log_in(page, server, username)
        yield page
    finally:
        context.close()


class Visit(NamedTuple):
    role: str
    lang: str
    url: str
    page: Any  # the Playwright page, showing `url`
    status: int  # the response's HTTP status (0: none)


def each_main_page(browser: Any, server: str, width: int, height: int = 800) -> Iterator[Visit]:
    """Every main page of every role in both languages: one browser context per role."""
    for role in ROLES:
        with logged_in(browser, server, role, width, height) as page:
            for lang in LANGS:
                in_language(page, server, lang)
                for url in main_pages(role):
                    response = page.goto(f"{server}{url}")
                    yield Visit(role, lang, url, page, response.status if response else 0)


def main_pages(username: str) -> list[str]:
    """Every main page `username` uses, as paths (no host), in a stable order."""
    user = User.objects.get(username=username)
    pages = ["/", "/solutions/"]
    if facility_access.facilities_for(user).exists():
        pages += _factory_pages(user)
    kinds = set(access.organisations_of(user).values_list("kind", flat=True))
    if "buyer" in kinds:
        pages += _buyer_pages(user)
    if "verifier_body" in kinds:
        pages += _verifier_pages(user)
    if kinds & {"authority", "cso"}:
        pages += ["/aggregates/", "/public/facilities/"]
    pages += [f"/organisations/{o.pk}/" for o in organisations_to_manage(user).order_by("pk")]
    return list(dict.fromkeys(pages))


def _factory_pages(user: User) -> list[str]:
    facility = facility_access.facilities_for(user).order_by("pk").first()
    assert facility is not None
    f = facility.pk
    pages = [f"/facilities/{f}/", f"/facilities/{f}/sharing/", f"/facilities/{f}/actions/"]
    pages += [f"/facilities/{f}/actions/due/", f"/facilities/{f}/improvement/"]
    pages += [f"/facilities/{f}/trainings/", f"/facilities/{f}/priorities/", f"/facilities/{f}/benchmarks/"]
    if facility_access.facilities_for(user, write=True).filter(pk=f).exists():
        pages += [f"/facilities/{f}/edit", "/facilities/new"]
    for item in Assessment.objects.filter(facility=facility).order_by("-period_end")[:2]:
        pages += _assessment_pages(item)
        if facility_access.facilities_for(user, write=True).filter(pk=f).exists():
            pages.append(f"/assessments/{item.pk}/actions/new")
    action = Action.objects.filter(facility=facility).order_by("pk").first()
    if action is not None:
        pages.append(f"/actions/{action.pk}/")
    solution = next(iter(_solution_ids()), None)
    if solution:
        pages.append(f"/solutions/{solution}/")
    return pages


def _assessment_pages(item: Assessment) -> list[str]:
    a = item.pk
    pages = [f"/assessments/{a}/", f"/assessments/{a}/?left=1", f"/assessments/{a}/results/"]
    pages += [f"/assessments/{a}/history/"]
    pages += [f"/assessments/{a}/results/{fr.framework.id}/" for fr in evaluate(item).frameworks]
    return pages


def _buyer_pages(user: User) -> list[str]:
    pages = ["/suppliers/", "/portfolio/"]
    grant = (
        Grant.objects.filter(grantee__in=access.organisations_of(user), status=Grant.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    if grant is not None:
        pages.append(f"/shared/{grant.facility_id}/")
    return pages


def _verifier_pages(user: User) -> list[str]:
    submitted = (
        Assessment.objects.filter(
            verifier__in=access.organisations_of(user), status=Assessment.Status.SUBMITTED
        )
        .order_by("pk")
        .first()
    )
    if submitted is None:
        return []
    return _assessment_pages(submitted)


def _solution_ids() -> list[str]:
    from commonground.accounts.library import library

    return sorted(library().solutions)


class _Quiet:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
