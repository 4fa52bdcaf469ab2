"""Evidence, copy-forward, versions and history through the pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.assessments import services
from commonground.assessments.models import Answer, Assessment, Evidence
from tests.web.conftest import client_for


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def test_upload_then_download_as_an_attachment_only(cast: dict[str, Any], assessment: Assessment) -> None:
    alice = client_for("alice")
    pdf = SimpleUploadedFile("payroll.pdf", b"%PDF-1.7 payroll", content_type="application/pdf")
    assert alice.post(f"/assessments/{assessment.pk}/evidence", {"file": pdf}).status_code == 302
    evidence = Evidence.objects.get()
    page = alice.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "payroll.pdf" in page
    response = client_for("victor").get(f"/evidence/{evidence.pk}/download")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment")
        and response["Content-Type"] == "application/octet-stream"
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.7 payroll"  # type: ignore[attr-defined]
    assert client_for("charlie").get(f"/evidence/{evidence.pk}/download").status_code == 404


def test_a_refused_upload_says_why_in_the_users_language_and_stores_nothing(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    alice = client_for("alice", "vi")
    html_file = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html")
    response = alice.post(f"/assessments/{assessment.pk}/evidence", {"file": html_file}, follow=True)
    assert "không nhận loại tệp này" in response.content.decode()
    assert not Evidence.objects.exists()
    assert (
        "Hãy chọn tệp"
        in alice.post(f"/assessments/{assessment.pk}/evidence", {}, follow=True).content.decode()
    )


def test_copy_forward_and_the_history_page(cast: dict[str, Any], assessment: Assessment) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    services.save_answer(assessment.pk, "facility.workers_total", 800, user=cast["alice"])
    later = services.create_assessment(
        cast["facility"].pk, user=cast["alice"], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    alice = client_for("alice")
    response = alice.post(f"/assessments/{later.pk}/copy-forward", follow=True)
    assert "1 answers copied from the previous period." in response.content.decode()
    history = alice.get(f"/assessments/{later.pk}/history/").content.decode()
    assert ("copied from 2025-01-01" in history and "Total workers" in history) or "workers" in history
    assert client_for("charlie").get(f"/assessments/{later.pk}/history/").status_code == 404


def test_a_verified_assessment_offers_a_new_version(cast: dict[str, Any], assessment: Assessment) -> None:
    services.save_answer(assessment.pk, "facility.workers_total", 800, user=cast["alice"])
    assessment.status = Assessment.Status.VERIFIED
    assessment.save()
    alice = client_for("alice")
    assert "start a new version" in alice.get(f"/assessments/{assessment.pk}/").content.decode()
    response = alice.post(f"/assessments/{assessment.pk}/new-version")
    second = Assessment.objects.get(version=2)
    assert response["Location"] == f"/assessments/{second.pk}/"
    assert Answer.objects.filter(assessment=second).count() == 1
    assert alice.post(f"/assessments/{second.pk}/new-version", follow=True).status_code == 200


# ---- verification, returns, periods and drafts in the pages ----------------------------------

OVERTIME, DRILLS = "working_time.overtime_hours_month_max", "fire_safety.evacuation_drills_year"


def _submitted(cast: dict[str, Any], assessment: Assessment) -> None:
    services.save_answer(assessment.pk, OVERTIME, 44, user=cast["alice"])
    services.save_answer(assessment.pk, DRILLS, 2, user=cast["alice"])
    Answer.objects.create(
        assessment=assessment, datapoint="energy.electricity_kwh", value=120000.0
    )  # not asked
    services.submit_assessment(assessment.pk, user=cast["alice"])


def test_the_verification_page_lists_every_answer_and_what_is_pending(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    _submitted(cast, assessment)
    victor = client_for("victor")
    url = f"/assessments/{assessment.pk}/verification/"
    page = victor.get(url).content.decode()
    assert "3 of 3 answers still to confirm" in page
    for dp in (OVERTIME, DRILLS, "energy.electricity_kwh"):
        topic = dp.split(".")[0]
        assert f'href="?topic={topic}#{dp}"' in page  # listed as pending, and linked
        assert f'id="{dp}"' in victor.get(f"{url}?topic={topic}").content.decode()  # one topic at a time
    assert "not in today’s questionnaire" in victor.get(f"{url}?topic=energy").content.decode()
    assert victor.post(url + "confirm", {"datapoint": DRILLS, "method": "observation"}).status_code == 302
    topic = victor.post(url + "confirm", {"topic": "working_time", "method": "document_review"})
    assert topic.status_code == 302 and topic["Location"].endswith("?topic=working_time#topic-working_time")
    refused = victor.post(url + "complete", follow=True).content.decode()
    assert "1 answers are still to confirm or correct" in refused
    assert Assessment.objects.get().status == "submitted"
    victor.post(url + "confirm", {"method": "measurement"})  # everything still pending
    victor.post(url + "complete")
    assert Assessment.objects.get().status == "verified"
    done = victor.get(url).content.decode()
    assert "Every answer is confirmed or corrected." in done and "Complete verification" not in done
    assert Answer.objects.get(datapoint="energy.electricity_kwh").method == "measurement"


def test_a_correction_shows_the_factorys_value_and_a_refusal_keeps_what_was_typed(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    _submitted(cast, assessment)
    victor = client_for("victor", "vi")
    url = f"/assessments/{assessment.pk}/verification/"
    refused = victor.post(url + "correct", {"datapoint": OVERTIME, "value": "nhiều", "method": "observation"})
    html = refused.content.decode()
    assert refused.status_code == 400 and 'role="alert"' in html and 'value="nhiều"' in html
    for data in (
        {"datapoint": OVERTIME, "value": "50", "method": "guessing"},
        {"datapoint": OVERTIME, "value": "50", "method": "observation", "note": "x" * 2001},
        {"datapoint": "no.such", "value": "1", "method": "observation"},
        {},
    ):
        assert victor.post(url + "correct", data).status_code == 400, data
    for data in (
        {"datapoint": "no.such", "method": "observation"},
        {"method": "x"},
        {"topic": "x" * 3000, "method": "observation"},
    ):
        assert victor.post(url + "confirm", data).status_code == 400, data
    assert (
        victor.post(
            url + "correct", {"datapoint": OVERTIME, "value": "52", "method": "worker_interview"}
        ).status_code
        == 302
    )
    page = victor.get(url + "?topic=working_time").content.decode()
    assert "Giá trị của nhà máy: 44 giờ" in page
    assert set(Answer.objects.values_list("verification", flat=True)) == {"pending", "corrected"}


def test_return_the_factory_sees_the_comment_corrects_and_submits_again(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    _submitted(cast, assessment)
    victor, alice = client_for("victor"), client_for("alice")
    url = f"/assessments/{assessment.pk}/"
    assert victor.post(url + "verification/return", {"comment": ""}).status_code == 400
    assert alice.post(url + "answer", {"datapoint": OVERTIME, "value": "40"}).status_code == 302
    assert Answer.objects.get(datapoint=OVERTIME).value == 44.0  # closed while submitted
    victor.post(url + "verification/return", {"comment": "Attach the March time cards."})
    page = alice.get(url + "?topic=working_time").content.decode()
    assert "Returned by the verifier" in page and "Attach the March time cards." in page
    alice.post(url + "answer", {"datapoint": OVERTIME, "value": "40"})
    assert Answer.objects.get(datapoint=OVERTIME).value == 40.0
    asked = alice.post(url + "submit")  # questions are left: the page asks to confirm
    assert asked.status_code == 200 and Assessment.objects.get().status == "returned"
    alice.post(url + "submit", {"confirm": "1"})
    assert Assessment.objects.get().status == "submitted"
    victor.post(url + "verification/confirm", {"method": "document_review"})
    victor.post(url + "verification/complete")
    assert Assessment.objects.get().status == "verified"


def test_evidence_is_attached_to_a_data_point_from_the_page_and_refused_once_submitted(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    alice = client_for("alice")
    url = f"/assessments/{assessment.pk}/"
    page = alice.get(url + "?topic=working_time").content.decode()
    assert f'<option value="{OVERTIME}">' in page  # the upload form's data point select
    pdf = SimpleUploadedFile("cards.pdf", b"%PDF-1.7 cards", content_type="application/pdf")
    response = alice.post(url + "evidence", {"file": pdf, "datapoint": OVERTIME})
    assert response.status_code == 302 and response["Location"].endswith(f"#{OVERTIME}")
    assert Evidence.objects.get().datapoint == OVERTIME
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.7 x", content_type="application/pdf")
    refused = alice.post(url + "evidence", {"file": pdf, "datapoint": "no.such"}, follow=True)
    assert "no data point no.such" in refused.content.decode() and Evidence.objects.count() == 1
    services.submit_assessment(assessment.pk, user=cast["alice"])
    pdf = SimpleUploadedFile("late.pdf", b"%PDF-1.7 late", content_type="application/pdf")
    late = alice.post(url + "evidence", {"file": pdf}, follow=True).content.decode()
    assert "takes no change until the verifier returns it" in late and Evidence.objects.count() == 1
    Assessment.objects.update(status="verified")
    pdf = SimpleUploadedFile("later.pdf", b"%PDF-1.7 later", content_type="application/pdf")
    assert alice.post(url + "evidence", {"file": pdf}).status_code == 302 and Evidence.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-01-01", "2026-12-31", "start", "Cơ sở này đã có bản đánh giá cho kỳ này."),
        ("2026-03-01", "2026-09-30", "start", "Kỳ này trùng với một bản đánh giá khác của cơ sở."),
        ("2025-12-31", "2025-01-01", "end", "Kỳ đánh giá kết thúc trước khi bắt đầu."),
        ("2024-01-01", "2025-12-31", "end", "Một kỳ đánh giá dài tối đa một năm (366 ngày)."),
        ("1999-01-01", "1999-12-31", "start", "Kỳ đánh giá phải bắt đầu từ ngày 01/01/2000 trở đi."),
        ("2030-01-01", "2030-12-31", "end", "Kỳ đánh giá phải kết thúc muộn nhất vào cuối năm nay."),
        ("x", "2025-12-31", "start", "Hãy nhập ngày (ngày, tháng và năm)."),
        ("2025-01-01", "2025-02-30", "end", "Hãy nhập ngày (ngày, tháng và năm)."),
    ],
)
def test_a_refused_period_shows_its_message_beside_the_field_and_keeps_the_dates(
    cast: dict[str, Any], assessment: Assessment, start: str, end: str, field: str, message: str
) -> None:
    alice = client_for("alice", "vi")
    response = alice.post(f"/facilities/{cast['facility'].pk}/assessments/new", {"start": start, "end": end})
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert (
        f'id="id_{field}" name="{field}" required value="{start if field == "start" else end}" aria-invalid="true"'
        in html
    )
    assert Assessment.objects.count() == 1


def test_a_draft_is_deleted_after_a_confirm_step_and_never_once_submitted(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    alice = client_for("alice")
    facility_page = alice.get(f"/facilities/{cast['facility'].pk}/").content.decode()
    assert f"/assessments/{assessment.pk}/delete" in facility_page
    assert "cannot be undone" in alice.get(f"/assessments/{assessment.pk}/delete").content.decode()
    assert client_for("bob").post(f"/assessments/{assessment.pk}/delete").status_code == 404
    response = alice.post(f"/assessments/{assessment.pk}/delete")
    assert response["Location"] == f"/facilities/{cast['facility'].pk}/" and not Assessment.objects.exists()
    second = services.create_assessment(
        cast["facility"].pk, user=cast["alice"], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    services.submit_assessment(second.pk, user=cast["alice"])
    alice.post(f"/assessments/{second.pk}/delete")
    assert Assessment.objects.filter(pk=second.pk).exists()


def test_the_verifiers_home_shows_its_worklist_by_state(cast: dict[str, Any], assessment: Assessment) -> None:
    _submitted(cast, assessment)
    home = client_for("victor").get("/").content.decode()
    assert f'href="/assessments/{assessment.pk}/verification/"' in home and "3 answers to confirm" in home
    assert "Returned to the factory (0)" in home and "Verified (0)" in home
    assert "Assessments to verify" not in client_for("alice").get("/").content.decode()
    worklist = client_for("victor").get("/verification/?status=submitted").content.decode()
    assert "Submitted (1)" in worklist and "Verified (" not in worklist


def test_the_verifier_body_cannot_be_changed_while_it_verifies(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    from commonground.accounts.models import Organisation

    other = Organisation.objects.create(name="Other Verify", kind=Organisation.Kind.VERIFIER_BODY)
    services.submit_assessment(assessment.pk, user=cast["alice"])
    response = client_for("alice").post(
        f"/assessments/{assessment.pk}/verifier", {"verifier": other.pk}, follow=True
    )
    assert "is verifying this assessment now" in response.content.decode()
    assert Assessment.objects.get().verifier == cast["verifiers"]
