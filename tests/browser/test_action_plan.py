"""The action-plan flow in a real browser, in both languages: the factory picks two findings on the
results page into one action, comments, attaches evidence and marks it done; the verifier confirms
closure. The action's page is saved in docs/screenshots/actions-<lang>.png."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.actions.models import Action
from commonground.assessments.models import Answer, Assessment
from tests.browser.conftest import shoot
from tests.browser.test_main_flow import log_in, submit

OVERTIME = "working_time.overtime_hours_month_max"
DRILLS = "fire_safety.evacuation_drills_year"
WORDS = {
    "vi": {
        "pick": "Tạo một hành động cho các phát hiện đã chọn",
        "add": "Thêm vào kế hoạch hành động",
        "comment": "Gửi bình luận",
        "attach": "Đính kèm",
        "done": "Đánh dấu hoàn thành",
        "confirm": "Xác nhận hoàn tất",
        "confirmed": "Đã xác nhận hoàn tất",
        "title": "Giới hạn giờ làm thêm và diễn tập sơ tán mỗi ca",
        "cause": "Nhận đơn hàng vượt năng lực chuyền may",
        "note": "Đã lắp máy chấm công, bảng giờ tháng 3 đính kèm",
    },
    "en": {
        "pick": "Create one action for the picked findings",
        "add": "Add to the action plan",
        "comment": "Comment",
        "attach": "Attach",
        "done": "Mark done",
        "confirm": "Confirm closure",
        "confirmed": "Closure confirmed",
        "title": "Cap overtime and drill every shift",
        "cause": "Orders accepted beyond line capacity",
        "note": "Time clocks installed, March time sheets attached",
    },
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_create_comment_attach_finish_and_confirm(
    live_server: Any,
    page: Any,
    cast: dict[str, Any],
    assessment: Assessment,
    lang: str,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.EVIDENCE_ROOT = tmp_path
    Answer.objects.create(assessment=assessment, datapoint=OVERTIME, value=60)
    Answer.objects.create(assessment=assessment, datapoint=DRILLS, value=0)
    words, server = WORDS[lang], live_server.url

    log_in(page, server, "alice", lang)
    page.goto(f"{server}/assessments/{assessment.pk}/results/")
    for datapoint in (OVERTIME, DRILLS):
        page.locator(f"input[form=pick-findings][value='{datapoint}']").check()
    submit(page, page.get_by_role("button", name=words["pick"]))
    page.fill("#id_title", words["title"])
    page.select_option("#id_root_cause_category", "planning")
    page.fill("#id_root_cause", words["cause"])
    page.select_option("#id_owner_id", label="alice")
    page.fill("#id_due_date", "2099-09-30")
    page.fill("#id_cost_estimate_vnd", "45000000")
    page.select_option("#id_solution_id", "digital_time_keeping")
    submit(page, page.get_by_role("button", name=words["add"]))
    action = Action.objects.get()
    assert set(action.findings.values_list("datapoint", flat=True)) == {OVERTIME, DRILLS}

    page.fill("#id_text", words["note"])
    submit(page, page.get_by_role("button", name=words["comment"], exact=True))
    page.set_input_files(
        "#id_file",
        files=[{"name": "time-sheets.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 sheets"}],
    )
    submit(page, page.get_by_role("button", name=words["attach"], exact=True))
    submit(page, page.get_by_role("button", name=words["done"]))
    assert Action.objects.get().status == "done" and action.evidence.count() == 1

    page.context.clear_cookies()
    log_in(page, server, "victor", lang)
    page.goto(f"{server}/actions/{action.pk}/")
    assert words["note"] in page.locator("main").inner_text()
    submit(page, page.get_by_role("button", name=words["confirm"]))
    action.refresh_from_db()
    assert (action.status, action.verified_by) == ("verified", cast["victor"])
    assert action.adoptions.get().solution_id == "digital_time_keeping"
    assert words["confirmed"] in page.locator("main").inner_text()
    shoot(page, f"actions-{lang}")
