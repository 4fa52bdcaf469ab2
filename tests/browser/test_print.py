"""The main pages print cleanly (site.css's `@media print`): Chromium's own print of each page, read
back with pdftotext, has the page's content and none of its navigation, buttons or forms."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from commonground.actions.models import Action
from commonground.assessments.models import Assessment
from commonground.facilities import access as facility_access
from tests.browser.pages import in_language, logged_in
from tests.pdf_tools import require_poppler

# what the page's controls say (the header's, the language switch's, the results page's downloads)
CONTROLS = {
    "en": ("Log out", "API tokens", "Tiếng Việt", "Results and findings (Excel)", "Create an action"),
    "vi": ("Đăng xuất", "Mã truy cập API", "English", "Kết quả và phát hiện (Excel)", "Tạo hành động"),
}
VISIBLE_CONTROLS = """() => [...document.querySelectorAll(
  'header.top, nav, button, select, input, textarea, .downloads')].filter(
  (el) => !el.closest('form.question') && el.getClientRects().length > 0).map((el) => el.outerHTML.slice(0, 80))"""


def _pages(username: str) -> list[str]:
    user = User.objects.get(username=username)
    if username == "buyer":
        return ["/portfolio/"]
    facility = facility_access.facilities_for(user).order_by("pk").first()
    assert facility is not None
    latest = Assessment.objects.filter(facility=facility).order_by("-period_end").first()
    assert latest is not None and Action.objects.filter(facility=facility).exists()
    return [
        f"/facilities/{facility.pk}/",
        f"/assessments/{latest.pk}/results/",
        f"/assessments/{latest.pk}/results/vn-labour-code-2019/",
        f"/facilities/{facility.pk}/actions/",
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_main_pages_print_without_their_controls(
    live_server: Any, browser: Any, demo_pages: None, lang: str
) -> None:
    require_poppler()
    printed = 0
    for username in ("factory.admin", "buyer"):
        with logged_in(browser, live_server.url, username, 1280) as page:
            in_language(page, live_server.url, lang)
            for url in _pages(username):
                assert page.goto(f"{live_server.url}{url}").status == 200, url
                heading = page.locator("main h1").first.inner_text()
                page.emulate_media(media="print")
                assert page.evaluate(VISIBLE_CONTROLS) == [], url
                with tempfile.TemporaryDirectory() as folder:
                    pdf = Path(folder) / "page.pdf"
                    pdf.write_bytes(page.pdf(format="A4", print_background=True))
                    text = subprocess.run(
                        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
                    ).stdout
                text = " ".join(text.split())
                assert " ".join(heading.split())[:40] in text, url
                for control in CONTROLS[lang]:
                    assert control not in text, (url, control)
                if url == "/portfolio/":  # the table inside the request form stays
                    assert page.locator("main table").first.is_visible()
                page.emulate_media(media="screen")
                printed += 1
    assert printed == 5
