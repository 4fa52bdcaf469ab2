"""Numbers in a real browser at phone width: the wage typed as the reader writes it is shown the same
way and saved again unchanged; a number written the other way is refused beside the field."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.assessments.models import Answer, Assessment
from tests.browser.test_main_flow import log_in, submit

WAGE = "wages.lowest_base_wage_month_vnd"
CASES = {
    "vi": ("5 200 000", "5.200.000", "5,200,000", "hãy viết 5.200.000"),
    "en": ("5 200 000", "5,200,000", "5.200.000", "write 5,200,000"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_wage_round_trips_in_the_readers_format(
    live_server: Any, page: Any, assessment: Assessment, lang: str
) -> None:
    typed, shown, other, hint = CASES[lang]
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server.url, "alice", lang)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/?topic=wages")
    field = page.locator(f"[id='v-{WAGE}']")
    assert field.get_attribute("inputmode") == "decimal" and field.get_attribute("type") == "text"
    field.fill(typed)
    submit(page, page.locator(f"form[id='{WAGE}'] button[type=submit]"))
    assert page.locator(f"[id='v-{WAGE}']").input_value() == shown
    submit(page, page.locator(f"form[id='{WAGE}'] button[type=submit]"))  # saved again, unchanged
    assert Answer.objects.get(assessment=assessment, datapoint=WAGE).value == 5_200_000
    page.locator(f"[id='v-{WAGE}']").fill(other)
    submit(page, page.locator(f"form[id='{WAGE}'] button[type=submit]"))
    assert hint in page.locator(f"form[id='{WAGE}'] .error").inner_text()
    assert Answer.objects.get(assessment=assessment, datapoint=WAGE).value == 5_200_000
    box = page.locator(f"form[id='{WAGE}']").bounding_box()
    assert box["x"] + box["width"] <= 360  # the field, its unit and its message fit a phone
