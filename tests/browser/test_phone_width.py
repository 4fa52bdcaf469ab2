"""No main page of the seeded demo scrolls sideways on a 360 px phone, for any role."""

from __future__ import annotations

from typing import Any

from tests.browser.pages import each_main_page

WIDTH = 360
WIDER = "() => [document.documentElement.scrollWidth, location.pathname + location.search]"


def test_no_main_page_scrolls_sideways_at_360_px(live_server: Any, browser: Any, demo_pages: None) -> None:
    too_wide: list[tuple[str, str, str, int]] = []
    seen = 0
    for visit in each_main_page(browser, live_server.url, WIDTH, 740):
        if visit.status != 200:
            too_wide.append((visit.role, visit.lang, visit.url, visit.status))
            continue
        width, where = visit.page.evaluate(WIDER)
        seen += 1
        if width > WIDTH:
            too_wide.append((visit.role, visit.lang, where, width))
    assert seen >= 80
    assert not too_wide, "\n".join(map(str, too_wide))
