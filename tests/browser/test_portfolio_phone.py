"""The buyer on a 360 px phone, on the seeded demo, in both languages: the supplier list filtered by a
province's pre-2025 name, two suppliers ticked and asked at once, the requests shown as waiting;
the portfolio sorted by a framework's column. Neither page scrolls sideways; the table scrolls
inside its own box with the supplier's name kept in view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from commonground.accounts.models import Organisation
from commonground.facilities.models import Facility
from commonground.sharing.models import Grant
from commonground.web.demo.facilities import PASSWORD, seed_demo
from commonground.web.demo.sharing import seed_demo_grants
from tests.browser.conftest import shoot

WORDS = {
    "vi": {"login": "Đăng nhập", "ask": "Yêu cầu quyền truy cập cho các nhà cung cấp đã chọn",
           "sent": "Đã gửi yêu cầu của bạn tới 2 nhà cung cấp.", "waiting": "đang chờ",
           "filter": "Lọc", "province": "Bình Dương (thuộc Hồ Chí Minh từ 01/07/2025)"},
    "en": {"login": "Log in", "ask": "Request access for the suppliers ticked",
           "sent": "Your request is sent to 2 suppliers.", "waiting": "waiting",
           "filter": "Filter", "province": "Binh Duong (part of Ho Chi Minh City since 1 July 2025)"},
}  # fmt: skip


def _log_in(page: Any, server: str, lang: str) -> None:
    page.goto(f"{server}/accounts/login/")
    switch = page.get_by_role("button", name="English" if lang == "en" else "Tiếng Việt")
    if switch.count():
        switch.click()
        page.wait_for_load_state()
    page.fill("#id_username", "buyer")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=WORDS[lang]["login"]).click()
    page.wait_for_load_state()


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_buyer_asks_two_suppliers_at_once_on_a_phone(
    live_server: Any, browser: Any, transactional_db: None, lang: str
) -> None:
    seed_demo(facilities=12)
    seed_demo_grants()
    lotus = Organisation.objects.get(name="Lotus Apparel")
    asked = Grant.objects.filter(grantee=lotus).values("facility_id")
    unasked = Facility.objects.filter(supply_links__buyer=lotus).exclude(pk__in=asked).order_by("pk")
    old = list(unasked.values_list("pk", flat=True)[:2])  # recorded before the 2025 mergers
    Facility.objects.filter(pk__in=old).update(province="Tỉnh Bình Dương")
    words, server = WORDS[lang], live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=1)
    page = context.new_page()
    _log_in(page, server, lang)
    page.goto(f"{server}/suppliers/")
    page.select_option("#id_province", label=words["province"])
    page.get_by_role("button", name=words["filter"]).click()
    page.wait_for_load_state()
    _no_sideways_scroll(page)
    for pk in old:
        page.locator(f"input[name=facility][value='{pk}']").check()
    page.fill("#ask-purpose", "Due diligence 2026")
    page.fill("#ask-expires", (dt.date.today() + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name=words["ask"]).click()
    page.wait_for_load_state()
    assert words["sent"] in page.content()
    assert page.locator(".pending", has_text=words["waiting"]).count() >= 2
    assert set(
        Grant.objects.filter(status="requested", purpose="Due diligence 2026").values_list(
            "facility_id", flat=True
        )
    ) == set(old)
    _no_sideways_scroll(page)
    page.goto(f"{server}/portfolio/")
    page.locator("th.fw a").first.click()
    page.wait_for_load_state()
    assert "sort=framework" in page.url
    _no_sideways_scroll(page)
    box = page.locator(".table-box")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls in its box
    first = page.locator(".table-box td").first
    assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
    shoot(page, f"portfolio-phone-{lang}", full_page=True)
    context.close()
