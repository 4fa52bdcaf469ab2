"""On a phone, a refused value lands the page on its field: message beside it, what was typed kept."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.assessments.models import Answer, Assessment
from tests.browser.conftest import shoot
from tests.browser.test_main_flow import log_in

FIELD = "working_time.overtime_hours_month_max"
IN_VIEW = """id => {
  const box = document.getElementById(id).getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
}"""


@pytest.mark.parametrize(("lang", "script"), [("vi", True), ("en", True), ("vi", False)])
def test_a_refused_value_keeps_what_was_typed_and_shows_the_field(
    live_server: Any, browser: Any, cast: dict[str, Any], assessment: Assessment, lang: str, script: bool
) -> None:
    """The page needs no script for this: the form posts to the field's fragment, which focuses it."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, device_scale_factor=1, java_script_enabled=script
    )
    page = context.new_page()
    log_in(page, live_server.url, "alice", lang)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/?topic=working_time")
    form = page.locator(f"form[id='{FIELD}']")
    form.locator("[name=value]").fill("about forty-eight")
    form.locator("[name=unit]").fill("h")
    with page.expect_navigation():
        form.get_by_role("button").last.click()

    assert page.evaluate("location.hash") == f"#v-{FIELD}"
    assert page.evaluate(IN_VIEW, f"v-{FIELD}"), "the refused field is on the screen"
    assert page.evaluate(IN_VIEW, f"e-{FIELD}"), "the message is on the screen beside it"
    assert page.evaluate("document.activeElement.id") == f"v-{FIELD}"
    assert form.locator("[role=alert]").inner_text().strip()
    assert form.locator("[name=value]").input_value() == "about forty-eight"
    assert form.locator("[name=unit]").input_value() == "h"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, f"answer-refused-phone-{lang}{'' if script else '-no-script'}")
    assert not Answer.objects.filter(assessment=assessment, datapoint=FIELD).exists()

    form.locator("[name=value]").fill("48")
    with page.expect_navigation():
        form.get_by_role("button").last.click()
    assert Answer.objects.get(assessment=assessment, datapoint=FIELD).value == 48
    assert page.evaluate(IN_VIEW, FIELD), "after saving, the page comes back to the same question"
    context.close()
