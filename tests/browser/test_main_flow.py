"""The main flow in a real browser, in both languages: a factory user logs in, answers and submits;
the verifier verifies; the results appear. Key screens are saved in docs/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.assessments.models import Answer, Assessment
from tests.browser.conftest import shoot
from tests.web.conftest import PASSWORD


def log_in(page: Any, server: str, username: str, lang: str) -> None:
    page.goto(f"{server}/accounts/login/")
    switch = page.get_by_role("button", name="English" if lang == "en" else "Tiếng Việt")
    if switch.count():
        submit(page, switch)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    submit(page, page.get_by_role("button", name="Log in" if lang == "en" else "Đăng nhập"))


def answer(page: Any, datapoint: str, value: str, save: str) -> None:
    form = page.locator(f"form[id='{datapoint}']")
    field = form.locator("[name=value]").first
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)
    submit(page, form.get_by_role("button", name=save))


def submit(page: Any, button: Any) -> None:
    """Click a button that posts a form and wait for the answer page, so nothing is cut short."""
    with page.expect_navigation():
        button.click()


WORDS = {
    "vi": {
        "save": "Lưu",
        "submit": "Nộp để thẩm tra",
        "submit_anyway": "Vẫn nộp",
        "verify": "Thẩm tra",
        "complete": "Hoàn tất thẩm tra",
        "results": "Kết quả",
        "finding": "Phát hiện: mỗi dữ kiện một phát hiện",
        "error": "cần một số",
    },
    "en": {
        "save": "Save",
        "submit": "Submit for verification",
        "submit_anyway": "Submit anyway",
        "verify": "Verify",
        "complete": "Complete verification",
        "results": "Results",
        "finding": "Findings: one per fact",
        "error": "expected a number",
    },
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_answer_submit_verify_and_see_results(
    live_server: Any, page: Any, cast: dict[str, Any], assessment: Assessment, lang: str
) -> None:
    words, server = WORDS[lang], live_server.url
    log_in(page, server, "alice", lang)
    page.goto(f"{server}/facilities/{cast['facility'].pk}/")
    shoot(page, f"facility-{lang}")
    page.goto(f"{server}/assessments/{assessment.pk}/?topic=working_time")
    answer(page, "working_time.overtime_hours_month_max", "many", words["save"])
    alert = page.locator("[role=alert]")
    assert words["error"] in alert.inner_text()
    alert.scroll_into_view_if_needed()
    shoot(page, f"answer-error-{lang}")
    answer(page, "working_time.overtime_hours_month_max", "48", words["save"])
    page.goto(f"{server}/assessments/{assessment.pk}/?topic=facility")
    answer(page, "facility.sector", "garment", words["save"])
    answer(page, "facility.minimum_wage_region", "1", words["save"])
    page.goto(f"{server}/assessments/{assessment.pk}/?topic=wages")
    answer(page, "wages.lowest_base_wage_month_vnd", "5000000", words["save"])
    shoot(page, f"answer-{lang}")
    submit(page, page.get_by_role("button", name=words["submit"]))
    submit(page, page.get_by_role("button", name=words["submit_anyway"]))  # most questions unanswered
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED

    page.context.clear_cookies()
    log_in(page, server, "victor", lang)
    for topic in ("working_time", "facility", "wages"):
        page.goto(f"{server}/assessments/{assessment.pk}/?topic={topic}")
        buttons = page.get_by_role("button", name=words["verify"], exact=True)
        for i in range(buttons.count()):
            submit(page, buttons.nth(i))  # the page reloads on the same topic, buttons in the same order
    assert not Answer.objects.filter(assessment=assessment, verification="pending").exists()
    submit(page, page.get_by_role("button", name=words["complete"]))
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.VERIFIED

    page.goto(f"{server}/assessments/{assessment.pk}/results/")
    body = page.locator("main").inner_text()
    assert words["finding"] in body and ("5.000.000" in body if lang == "vi" else "5,000,000" in body)
    shoot(page, f"results-{lang}")
