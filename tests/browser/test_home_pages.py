"""Each role's home page on the seeded demo, in a real browser at phone width: its sections are
there, in the reader's language, and nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from commonground.facilities.demo import PASSWORD

SECTIONS = {
    "factory.admin": ("#requests", "#actions-due", "#in-progress"),
    "factory.viewer": ("#requests", "#actions-due", "#in-progress"),
    "buyer": ("#portfolio-glance",),
    "authority": ("#province",),
    "cso": ("#province",),
}
HEADINGS = {
    "vi": {"factory.admin": "Hành động đến hạn", "buyer": "Tổng quan danh mục", "authority": "Chỉ số ngành"},
    "en": {
        "factory.admin": "Actions due",
        "buyer": "Your portfolio at a glance",
        "authority": "Sector indicators",
    },
}


@pytest.fixture
def seeded(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)


def _log_in(page: Any, server: str, username: str, lang: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def test_every_home_fits_a_phone_in_both_languages(seeded: None, live_server: Any, browser: Any) -> None:
    for lang in ("vi", "en"):
        context = browser.new_context(
            viewport={"width": 360, "height": 780}, extra_http_headers={"Accept-Language": lang}
        )
        for username, sections in SECTIONS.items():
            page = context.new_page()
            _log_in(page, live_server.url, username, lang)
            page.goto(f"{live_server.url}/")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, (username, lang)
            for section in sections:
                assert page.locator(section).is_visible(), (username, lang, section)
            heading = HEADINGS[lang].get(username)
            if heading:
                assert heading in page.locator("main").inner_text(), (username, lang)
            page.context.clear_cookies()
            page.close()
        context.close()
