"""No main page of the seeded demo scrolls sideways on a 360 px phone, for any role."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.pages import ROLES, login, main_pages, seed_demo_for_pages

WIDTH = 360
WIDER = "() => [document.documentElement.scrollWidth, location.pathname + location.search]"


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo_for_pages()


def _log_in(page: Any, server: str, username: str) -> None:
    name, password = login(username)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_no_main_page_scrolls_sideways_at_360_px(live_server: Any, browser: Any, demo: None) -> None:
    too_wide, seen = [], 0
    for role in ROLES:
        context = browser.new_context(viewport={"width": WIDTH, "height": 740}, device_scale_factor=1)
        page = context.new_page()
        _log_in(page, live_server.url, role)
        for lang in ("vi", "en"):
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            for url in main_pages(role):
                response = page.goto(f"{live_server.url}{url}")
                if response is None or response.status != 200:
                    too_wide.append((role, lang, url, response.status if response else 0))
                    continue
                width, where = page.evaluate(WIDER)
                seen += 1
                if width > WIDTH:
                    too_wide.append((role, lang, where, width))
        context.close()
    assert seen >= 80
    assert not too_wide, "\n".join(map(str, too_wide))
