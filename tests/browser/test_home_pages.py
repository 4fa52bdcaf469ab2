"""Each role's home page on the seeded demo, in a real browser at phone width: its sections are
there, in the reader's language, and nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

from tests.browser.pages import LANGS, in_language, logged_in

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


def test_every_home_fits_a_phone_in_both_languages(demo_pages: None, live_server: Any, browser: Any) -> None:
    server = live_server.url
    for username, sections in SECTIONS.items():
        with logged_in(browser, server, username, 360, 780) as page:
            for lang in LANGS:
                in_language(page, server, lang)
                page.goto(f"{server}/")
                assert page.evaluate("document.documentElement.scrollWidth") <= 360, (username, lang)
                for section in sections:
                    assert page.locator(section).is_visible(), (username, lang, section)
                heading = HEADINGS[lang].get(username)
                if heading:
                    assert heading in page.locator("main").inner_text(), (username, lang)
