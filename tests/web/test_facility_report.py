"""The facility report from the seeded demo (issue 15, point 1): the PDF read back with pdftotext in
Vietnamese and English, the XLSX opened with openpyxl, from the results page and from the API; the
same access as the results page, and a verifier body's read in the facility's access log."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from commonground.accounts.library import library
from commonground.accounts.tokens import create_token
from commonground.assessments.evaluations import evaluate
from commonground.assessments.models import Assessment
from commonground.core.report import framework_names
from commonground.sharing.models import AccessLogEntry
from commonground.web.demo.facilities import PASSWORD
from tests.conftest import seeded_once
from tests.pdf_tools import require_poppler
from tests.web.conftest import forced_client as client_for


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo as `manage.py seed_demo --facilities 8` seeds it, once for the module
    (tests/conftest.py seeded_once)."""

    def seed() -> None:
        call_command("seed_demo", "--facilities", "8", stdout=io.StringIO())

    with seeded_once(django_db_blocker, seed):
        yield


@pytest.fixture
def verified(demo: Any, db: None) -> Assessment:
    """The demo factory's latest verified assessment."""
    found = (
        Assessment.objects.filter(
            facility__owner__memberships__user__username="factory.admin", status=Assessment.Status.VERIFIED
        )
        .order_by("-period_end")
        .first()
    )
    assert found is not None
    return found


def pdf_text(content: bytes, tmp_path: Path) -> str:
    require_poppler()
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(out.split())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_pdf_from_the_results_page_reads_back(verified: Assessment, tmp_path: Path, lang: str) -> None:
    client = client_for("factory.admin", lang, PASSWORD)
    results = client.get(f"/assessments/{verified.pk}/results/").content.decode()
    assert f"/assessments/{verified.pk}/report/prepare" in results  # the PDF: a job (test_export_jobs)
    assert f"/assessments/{verified.pk}/report.xlsx" in results
    response = client.get(f"/assessments/{verified.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"report-{verified.pk}-{lang}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)

    facility = verified.facility
    evaluation = evaluate(verified)
    lib = library()
    finding = evaluation.findings[0]
    assert (facility.name_vi if lang == "vi" else facility.name) in text
    assert lib.datapoints[finding.datapoint].label.get(lang) in text
    assert framework_names([finding.frameworks[0]], lib, lang)[0] in text
    verifier = verified.verifier
    assert verifier is not None
    if lang == "vi":
        assert "Bộ luật Lao động" in text
        assert "Báo cáo cơ sở" in text and "Đã thẩm tra" in text and verifier.name_vi in text
        assert "Kế hoạch hành động khắc phục" in text and "Xu hướng qua các kỳ" in text
        assert f"{verified.period_start:%d/%m/%Y} – {verified.period_end:%d/%m/%Y}" in text
    else:
        assert "Facility report" in text and "Verified" in text and verifier.name in text
        assert "The action plan" in text and "Trends across periods" in text
        assert f"1 Jan {verified.period_start.year} – 31 Dec {verified.period_end.year}" in text
        assert "Bộ luật" not in text
    # the trend charts are drawn (pygal's SVG, its text in the text layer)
    assert ("Tỷ lệ yêu cầu đạt (%)" if lang == "vi" else "Requirements met (%)") in text


def test_the_other_language_on_request_and_the_xlsx(verified: Assessment, tmp_path: Path) -> None:
    client = client_for("factory.admin", "vi", PASSWORD)
    english = client.get(f"/assessments/{verified.pk}/report.pdf?lang=en")
    assert "Facility report" in pdf_text(english.content, tmp_path)
    response = client.get(f"/assessments/{verified.pk}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng quan",
        "Các yêu cầu",
        "Phát hiện",
        "Cấp độ theo từng phần",
        "Mục tiêu ràng buộc",
        "Kế hoạch hành động khắc phục",
    ]
    plan = list(book["Kế hoạch hành động khắc phục"].iter_rows(min_row=2, values_only=True))
    assert plan and all(row[2] is not None for row in plan)  # due dates, as dates


def test_who_may_not_see_the_results_gets_the_same_answer(verified: Assessment) -> None:
    for username in ("buyer", "authority", "cso"):
        client = client_for(username, "en", PASSWORD)
        results = client.get(f"/assessments/{verified.pk}/results/").status_code
        assert results == 404
        assert client.get(f"/assessments/{verified.pk}/report.pdf").status_code == results
        assert client.get(f"/assessments/{verified.pk}/report.xlsx").status_code == results
    assert Client().get(f"/assessments/{verified.pk}/report.pdf").status_code == 302  # to log in
    missing = client_for("factory.admin", "en", PASSWORD).get("/assessments/999999/report.pdf")
    assert missing.status_code == 404


def test_the_verifier_reads_it_and_the_read_is_logged(verified: Assessment, tmp_path: Path) -> None:
    before = AccessLogEntry.objects.filter(facility=verified.facility).count()
    client = client_for("verifier", "en", PASSWORD)
    response = client.get(f"/assessments/{verified.pk}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "The action plan" in text  # the verifier body sees the plan (actions.access) …
    assert "Not shared with you." in text  # … but not the facility's other periods
    entries = AccessLogEntry.objects.filter(facility=verified.facility).order_by("id")[before:]
    assert [e.what.split(" ")[0] for e in entries] == ["report", "action"]
    assert {e.channel for e in entries} == {"page"}


def test_the_api_gives_the_report_under_the_same_rule(verified: Assessment, tmp_path: Path) -> None:
    from django.contrib.auth.models import User

    token = create_token(User.objects.get(username="factory.admin"), name="report")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="vi")
    response = api.get(f"/api/assessments/{verified.pk}/report")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Bộ luật Lao động" in pdf_text(response.content, tmp_path)
    xlsx = api.get(f"/api/assessments/{verified.pk}/report?format=xlsx")
    assert xlsx.status_code == 200 and "Tổng quan" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    refused = api.get(f"/api/assessments/{verified.pk}/report?format=docx")
    assert refused.status_code == 422 and refused.json()["code"]
    buyer = create_token(User.objects.get(username="buyer"), name="report")
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {buyer}").get(f"/api/assessments/{verified.pk}/report")
    results = Client(HTTP_AUTHORIZATION=f"Bearer {buyer}").get(f"/api/assessments/{verified.pk}/results")
    assert outsider.status_code == results.status_code == 404
    assert outsider.json() == results.json()


DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOWN = {"vi": "Kế hoạch hành động khắc phục", "en": "The action plan"}


def test_the_report_pages_as_images(verified: Assessment, tmp_path: Path) -> None:
    """The demo factory's report rendered to PNG by pdftoppm: the first three pages and the one with
    the action plan, in each language. Into docs/screenshots with `make report-screenshots`
    (SCREENSHOTS=docs); otherwise into a temporary folder (tests never write tracked files)."""
    require_poppler()
    folder = DOCS_SCREENSHOTS if os.environ.get("SCREENSHOTS") == "docs" else tmp_path
    for lang in ("vi", "en"):
        pdf = tmp_path / f"report-{lang}.pdf"
        pdf.write_bytes(
            client_for("factory.admin", lang).get(f"/assessments/{verified.pk}/report.pdf").content
        )
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        plan = next(
            n
            for n in range(1, pages + 1)
            if SHOWN[lang]
            in subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True
            ).stdout
        )
        for number, page in enumerate(dict.fromkeys([1, 2, 3, plan]), 1):
            target = folder / f"facility-report-{lang}-{number}"
            args = ["pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile"]
            subprocess.run([*args, str(pdf), str(target)], check=True)
            image = target.with_suffix(".png")
            assert image.stat().st_size > 10_000 and image.read_bytes().startswith(b"\x89PNG")
