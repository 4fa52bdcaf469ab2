"""Verification on the seeded demo in a real browser: the verifier opens a submitted assessment from
its worklist, sees every answer (also those today's questionnaire no longer asks), corrects one,
confirms a topic and then the rest, and completes; and a return → the factory corrects → submits
again → verified cycle. On a phone-sized screen, in Vietnamese and English."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.assessments.models import Answer, Assessment, VerificationRecord
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.browser.conftest import shoot

WORDS = {
    "vi": {
        "login": "Đăng nhập",
        "confirm": "Xác nhận",
        "correct": "Sửa",
        "all": "Xác nhận mọi câu trả lời còn chờ",
        "complete": "Hoàn tất thẩm tra",
        "return": "Trả lại nhà máy",
        "returned": "Chuyên gia thẩm tra đã trả lại",
        "save": "Lưu",
        "submit": "Nộp để thẩm tra",
        "submit_anyway": "Vẫn nộp",
        "outside": "không còn trong bảng câu hỏi hiện nay",
        "factory": "Giá trị của nhà máy",
        "done": "Mọi câu trả lời đã được xác nhận hoặc sửa.",
    },
    "en": {
        "login": "Log in",
        "confirm": "Confirm",
        "correct": "Correct",
        "all": "Confirm every pending answer",
        "complete": "Complete verification",
        "return": "Return to the factory",
        "returned": "Returned by the verifier",
        "save": "Save",
        "submit": "Submit for verification",
        "submit_anyway": "Submit anyway",
        "outside": "not in today’s questionnaire",
        "factory": "Factory's value",
        "done": "Every answer is confirmed or corrected.",
    },
}
OVERTIME = "working_time.overtime_hours_month_max"


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(facilities=8)


def log_in(page: Any, server: str, username: str, lang: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{server}/accounts/login/")
    switch = page.get_by_role("button", name="English" if lang == "en" else "Tiếng Việt")
    if switch.count():
        click(page, switch)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    click(page, page.get_by_role("button", name=WORDS[lang]["login"]))


def click(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_verifier_verifies_a_demo_assessment_to_completion(
    live_server: Any, page: Any, demo: None, lang: str
) -> None:
    words, server = WORDS[lang], live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, server, "verifier", lang)
    link = page.locator("section.worklist a[href$='/verification/']").first
    click(page, link)  # the first submitted assessment of the worklist on the home page
    assessment = Assessment.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert assessment.status == "submitted"
    answers = assessment.answers.count()
    assert page.locator("#pending li").count() == answers  # every answer, asked today or not
    shown, outside = 0, 0
    for href in [a.get_attribute("href") for a in page.locator("main nav a").all()]:  # topic by topic
        page.goto(page.url.split("?")[0] + href)
        shown += page.locator("main article").count()
        outside += page.locator("main article", has_text=words["outside"]).count()
        no_sideways_scroll(page)
    assert shown == answers and outside > 0
    no_sideways_scroll(page)
    shoot(page, f"verification-demo-{lang}")

    page.goto(page.url.split("?")[0] + "?topic=working_time")
    card = page.locator(f"article[id='{OVERTIME}']")
    reported = Answer.objects.get(assessment=assessment, datapoint=OVERTIME).value
    card.locator("summary").click()  # the note and correction fields fold away until asked for
    card.locator("[name=value]").fill("52")
    card.locator("select[name=method]").select_option("worker_interview")
    click(page, card.get_by_role("button", name=words["correct"], exact=True))
    assert words["factory"] in page.locator(f"article[id='{OVERTIME}']").inner_text()
    page.goto(page.url.split("?")[0] + "?topic=wages")
    click(page, page.locator("#topic-wages").get_by_role("button").first)  # the whole topic
    assert not assessment.answers.filter(datapoint__startswith="wages.", verification="pending").exists()
    click(page, page.get_by_role("button", name=words["all"]))
    click(page, page.get_by_role("button", name=words["complete"]))
    assert words["done"] in page.locator("#pending").inner_text()
    no_sideways_scroll(page)

    assessment.refresh_from_db()
    corrected = Answer.objects.get(assessment=assessment, datapoint=OVERTIME)
    assert assessment.status == "verified"
    assert (corrected.value, corrected.reported_value, corrected.method) == (
        52.0,
        reported,
        "worker_interview",
    )
    assert not assessment.answers.filter(verification="pending").exists()
    assert VerificationRecord.objects.filter(assessment=assessment, step="completed").count() == 1


def test_return_the_factory_corrects_submits_again_and_it_is_verified(
    live_server: Any, page: Any, demo: None
) -> None:
    words, server = WORDS["vi"], live_server.url
    assessment = Assessment.objects.filter(
        status="submitted", facility__owner__memberships__user__username="factory.admin"
    ).first()
    assert assessment is not None, "the demo has a submitted assessment of factory.admin's group"
    url = f"{server}/assessments/{assessment.pk}/"

    log_in(page, server, "verifier", "vi")
    page.goto(url + "verification/")
    page.fill("#id_comment", "Giờ làm thêm: hãy nhập số giờ theo bảng chấm công tháng 3.")
    click(page, page.get_by_role("button", name=words["return"], exact=True))
    assert Assessment.objects.get(pk=assessment.pk).status == "returned"

    log_in(page, server, "factory.admin", "vi")
    page.goto(url + "?topic=working_time")
    assert words["returned"] in page.locator("main").inner_text()
    form = page.locator(f"form[id='{OVERTIME}']")
    form.locator("[name=value]").fill("38")
    click(page, form.get_by_role("button", name=words["save"]))
    assert Answer.objects.get(assessment=assessment, datapoint=OVERTIME).value == 38.0
    click(page, page.get_by_role("button", name=words["submit"]))
    if Assessment.objects.get(pk=assessment.pk).status == "returned":  # unanswered questions: confirm
        click(page, page.get_by_role("button", name=words["submit_anyway"]))
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"

    log_in(page, server, "verifier", "vi")
    page.goto(url + "verification/")
    assert page.locator("#pending li").count() >= 1  # at least the changed answer
    click(page, page.get_by_role("button", name=words["all"]))
    click(page, page.get_by_role("button", name=words["complete"]))
    assert Assessment.objects.get(pk=assessment.pk).status == "verified"
