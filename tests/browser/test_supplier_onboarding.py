"""In Vietnamese, in a real browser, as the demo buyer: upload a supplier list (two demo facilities as
they are recorded, a third spelled without its diacritics and with no address, one factory the
database does not hold), confirm the suggestion, apply the list, see the invitation, ask every
matched supplier for access at once, and read each row's outcome. On a phone and on a desktop."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from commonground.accounts.models import Organisation
from commonground.core import provinces
from commonground.facilities.models import Facility, SupplyLink
from commonground.sharing.models import Grant, SupplierInvitation, SupplierList
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.browser.conftest import shoot
from tests.browser.test_main_flow import submit

UNKNOWN = (
    "Xưởng May Hoa Sen Thử Nghiệm",
    "99 Đường Không Tên, Phường An Xuyên, Cà Mau",
    "hoa.sen@example.test",
)


def _log_in(page: Any, server: str) -> None:
    """The demo buyer, in Vietnamese (the language switch on the log-in page, as a person does)."""
    page.goto(f"{server}/accounts/login/")
    switch = page.get_by_role("button", name="Tiếng Việt")
    if switch.count():
        submit(page, switch)
    page.fill("#id_username", "buyer")
    page.fill("#id_password", PASSWORD)
    submit(page, page.get_by_role("button", name="Đăng nhập"))


def _supplier_list(path: Path, facilities: list[Facility]) -> Path:
    exact, variant = facilities[:2], facilities[2]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "address", "country", "contact_name", "contact_email"])
        for f in exact:
            out.writerow([f.name, f"{f.address}, {f.province}", "Việt Nam", "", ""])
        out.writerow([provinces.fold(variant.name).title(), "", "VN", "", ""])
        out.writerow([UNKNOWN[0], UNKNOWN[1], "VN", "Chị Hoa", UNKNOWN[2]])
    return path


@pytest.mark.parametrize("width", [360, 1280])
def test_the_buyer_onboards_its_supplier_list_in_vietnamese(
    live_server: Any, browser: Any, transactional_db: None, tmp_path: Path, width: int
) -> None:
    seed_demo(facilities=12)
    facilities = list(Facility.objects.exclude(address="").order_by("pk")[:3])
    path = _supplier_list(tmp_path / "nha-cung-cap.csv", facilities)
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/suppliers/")
    submit(page, page.get_by_role("link", name="Thêm nhà cung cấp từ danh sách"))
    page.set_input_files("input[name=file]", str(path))
    submit(page, page.get_by_role("button", name="Đối chiếu danh sách"))

    rows = page.locator("#rows tbody tr")
    assert rows.count() == 4
    for number in (1, 2):
        assert "Đã khớp" in page.locator(f"tr[data-row='{number}']").inner_text()
    assert "Gợi ý" in page.locator("tr[data-row='3']").inner_text()
    assert "sẽ được mời qua hoa.sen@example.test" in page.locator("tr[data-row='4']").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"onboarding-matched-vi-{width}", full_page=True)

    page.locator("tr[data-row='3']").get_by_label("Đúng cơ sở này").check()
    submit(page, page.get_by_role("button", name="Áp dụng danh sách"))
    page.wait_for_selector("text=Đã thêm")
    buyer = Organisation.objects.get(memberships__user__username="buyer", kind="buyer")
    made = SupplierList.objects.get(buyer=buyer)
    page.goto(f"{live_server.url}/suppliers/onboarding/{made.pk}/")
    assert (
        "Đã gửi lời mời qua email tới hoa.sen@example.test" in page.locator("tr[data-row='4']").inner_text()
    )
    assert "Đã xác nhận" in page.locator("tr[data-row='3']").inner_text()
    linked = set(SupplyLink.objects.filter(buyer=buyer).values_list("facility_id", flat=True))
    assert {f.pk for f in facilities} <= linked
    assert SupplierInvitation.objects.get(buyer=buyer).contact_email == UNKNOWN[2]

    page.fill("#ask-purpose", "Thẩm định chuỗi cung ứng")
    page.fill("#ask-expires", (dt.date.today() + dt.timedelta(days=180)).isoformat())
    waiting = Grant.objects.filter(grantee=buyer, status="requested", facility__in=facilities).count()
    submit(page, page.get_by_role("button", name="Yêu cầu quyền truy cập từ cả 3 nhà cung cấp đã khớp"))
    sent = 3 - waiting
    if sent:
        assert f"Đã gửi yêu cầu của bạn tới {sent} nhà cung cấp." in page.content()
    for number in (1, 2, 3):
        assert "Đã yêu cầu quyền truy cập, đang chờ" in page.locator(f"tr[data-row='{number}']").inner_text()
    assert Grant.objects.filter(grantee=buyer, status="requested", facility__in=facilities).count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"onboarding-done-vi-{width}", full_page=True)
    context.close()
