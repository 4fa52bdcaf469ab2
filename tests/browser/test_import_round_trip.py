"""In Vietnamese, in a real browser: download the questionnaire workbook, fill it offline, upload it,
read the preview of every row, import, and find the answers on the assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from commonground.assessments.models import Answer, Assessment
from tests.browser.conftest import shoot
from tests.browser.test_main_flow import log_in, submit


def test_the_template_round_trip_in_vietnamese(
    live_server: Any, page: Any, cast: dict[str, Any], assessment: Assessment, tmp_path: Path
) -> None:
    log_in(page, live_server.url, "alice", "vi")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng câu hỏi để điền ngoại tuyến (Excel)").click()
    path = tmp_path / "bang-cau-hoi.xlsx"
    download.value.save_as(path)

    wb = load_workbook(path)
    assert wb["Cơ sở - Facility"]["B3"].value == "Song Hong Factory 1"
    ws = wb["Câu hỏi - Questions"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["working_time.overtime_hours_month_max"], 8).value = "42,5"
    ws.cell(rows["working_time.overtime_voluntary"], 8).value = "Có"
    ws.cell(rows["wages.lowest_base_wage_month_vnd"], 8).value = "5.310.000 đ"
    wb.save(path)

    page.get_by_role("link", name="Nhập câu trả lời từ tệp").click()
    page.set_input_files("input[name=file]", str(path))
    submit(page, page.get_by_role("button", name="Xem trước"))
    preview = page.locator("#preview")
    assert "commonground-template" in preview.inner_text()
    assert "42,5" in preview.locator("tr.ok", has_text="working_time.overtime_hours_month_max").inner_text()
    assert not Answer.objects.filter(assessment=assessment).exists()  # a preview stores nothing
    shoot(page, "import-preview-vi", full_page=True)

    submit(page, page.get_by_role("button", name="Nhập các câu trả lời này"))
    page.wait_for_selector("text=Đã nhập 3 câu trả lời")
    answer = Answer.objects.get(assessment=assessment, datapoint="working_time.overtime_hours_month_max")
    assert answer.value == 42.5 and answer.source.endswith(
        "Câu hỏi - Questions › #" + str(rows[answer.datapoint])
    )
    assert (
        Answer.objects.get(assessment=assessment, datapoint="wages.lowest_base_wage_month_vnd").value
        == 5_310_000
    )
