"""The labour-law self-inspection form from the demo data (issue 15, point 4): offered on the results
page, downloaded as XLSX (read back with openpyxl: the demo's answers in their items, the unanswered
items listed) and as PDF (read back with pdftotext: the Vietnamese diacritics in the text layer);
nobody outside the facility gets it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from commonground.assessments.models import Answer, Assessment
from commonground.core.spreadsheet import XLSX_TYPE
from commonground.web.demo.facilities import PASSWORD, seed_demo
from tests.pdf_tools import require_poppler
from tests.web.conftest import client_for

FORM = "vn-labour-self-inspection"


@pytest.fixture
def assessment(db: None, settings: Any) -> Assessment:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(facilities=3)
    mine = Assessment.objects.filter(facility__owner__memberships__user__username="factory.admin")
    found = mine.order_by("-period_end").first()
    assert found is not None
    return found


def _answer(item: Assessment, datapoint: str) -> Any:
    return Answer.objects.get(assessment=item, datapoint=datapoint).value


@pytest.mark.parametrize(
    ("lang", "sheet", "unanswered", "no_data"),
    [
        ("vi", "Phiếu tự kiểm tra", "Chưa có dữ liệu", "chưa có dữ liệu"),
        ("en", "Self-inspection form", "Unanswered", "no data yet"),
    ],
)
def test_the_form_as_xlsx_from_the_demo(
    assessment: Assessment, lang: str, sheet: str, unanswered: str, no_data: str
) -> None:
    client = client_for("factory.admin", lang, PASSWORD)
    page = client.get(f"/assessments/{assessment.pk}/results/").content.decode()
    assert f"/assessments/{assessment.pk}/forms/{FORM}.xlsx" in page
    assert f"/assessments/{assessment.pk}/forms/{FORM}/prepare" in page  # the PDF: a job (test_export_jobs)
    response = client.get(f"/assessments/{assessment.pk}/forms/{FORM}.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == [sheet, unanswered]
    rows = {r[0]: r for r in book[sheet].iter_rows(min_row=2, values_only=True)}
    facility = assessment.facility
    assert rows["0.1"][2] == (facility.name_vi or facility.name if lang == "vi" else facility.name)
    workers = _answer(assessment, "facility.workers_total")
    assert rows["0.10"][2] == workers and isinstance(rows["0.10"][2], int)
    overtime = _answer(assessment, "working_time.overtime_hours_month_max")
    assert rows["5.2"][2] == pytest.approx(float(overtime))
    assert rows["1.1"][2] == no_data  # no data point answers the workforce report yet
    listed = [r[0] for r in book[unanswered].iter_rows(min_row=2, values_only=True)]
    assert "1.1" in listed and "0.10" not in listed
    assert all(rows[i][2] == no_data for i in listed)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils: make pdf-tools")
def test_the_form_as_pdf_from_the_demo(assessment: Assessment, tmp_path: Path) -> None:
    client = client_for("factory.admin", "vi", PASSWORD)
    response = client.get(f"/assessments/{assessment.pk}/forms/{FORM}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (tmp_path / "form.pdf").write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "form.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (
        "PHIẾU TỰ KIỂM TRA",
        "Thông tư số 17/2018/TT-BLĐTBXH",
        "Thời giờ làm việc",
        "chưa có dữ liệu",
    ):
        assert words in text
    name = assessment.facility.name_vi or assessment.facility.name
    assert name.split()[0] in text


def test_outsiders_and_unknown_forms_get_nothing(assessment: Assessment) -> None:
    outsider = client_for("cso", "en", PASSWORD)
    assert outsider.get(f"/assessments/{assessment.pk}/forms/{FORM}.xlsx").status_code in (403, 404)
    assert outsider.get(f"/assessments/{assessment.pk}/forms/{FORM}.pdf").status_code in (403, 404)
    own = client_for("factory.admin", "en", PASSWORD)
    assert own.get(f"/assessments/{assessment.pk}/forms/no-such-form.xlsx").status_code == 404


def test_the_invited_verifiers_download_is_in_the_facilitys_access_log(assessment: Assessment) -> None:
    from commonground.sharing.models import AccessLogEntry

    item = Assessment.objects.filter(verifier__memberships__user__username="verifier").first()
    assert item is not None, "the demo invites a verifier"
    entries = AccessLogEntry.objects.filter(facility=item.facility, read__reader__username="verifier")
    before = entries.count()
    response = client_for("verifier", "vi", PASSWORD).get(f"/assessments/{item.pk}/forms/{FORM}.xlsx")
    assert response.status_code == 200
    assert entries.count() == before + 1
    assert entries.order_by("-id")[0].what.startswith("results ")


DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_form_pages_as_images(assessment: Assessment, tmp_path: Path) -> None:
    """The demo factory's filled form (Vietnamese, as it is filed) rendered to PNG by pdftoppm: its
    first page and its last (the unanswered items). Into docs/screenshots with `make report-screenshots` (SCREENSHOTS=docs);
    otherwise into a temporary folder (tests never write tracked files)."""
    require_poppler()
    folder = DOCS_SCREENSHOTS if os.environ.get("SCREENSHOTS") == "docs" else tmp_path
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(
        client_for("factory.admin", "vi", PASSWORD)
        .get(f"/assessments/{assessment.pk}/forms/{FORM}.pdf")
        .content
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    last = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert last > 1
    for number, page in enumerate((1, last), 1):
        target = folder / f"state-form-vi-{number}"
        args = ["pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*args, str(pdf), str(target)], check=True)
        image = target.with_suffix(".png")
        assert image.stat().st_size > 10_000 and image.read_bytes().startswith(b"\x89PNG")
