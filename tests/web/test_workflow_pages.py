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
