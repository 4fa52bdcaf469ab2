"""Evidence uploads: type and size limits, nothing stored on refusal, downloads only for readers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404

from commonground.assessments.evidence import EvidenceRefused, attach_evidence, get_download
from commonground.assessments.models import Assessment, Evidence
from commonground.common.storage import evidence_storage

PDF = b"%PDF-1.7\n" + b"x" * 5000


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024


def test_a_pdf_is_stored_outside_the_web_root_and_downloaded_as_itself(
    cast: dict[str, Any], assessment: Assessment, tmp_path: Path
) -> None:
    evidence = attach_evidence(
        assessment.pk,
        io.BytesIO(PDF),
        name="payroll march.pdf",
        size=len(PDF),
        user=cast["alice"],
        datapoint="wages.lowest_base_wage_month_vnd",
    )
    download = get_download(evidence.pk, user=cast["victor"])
    with evidence_storage().open(download.name) as stored:
        assert stored.read() == PDF
    assert (tmp_path / "evidence" / download.name).read_bytes() == PDF
    assert (download.filename, download.content_type) == ("payroll march.pdf", "application/pdf")


@pytest.mark.parametrize(
    ("name", "content", "size", "code"),
    [
        ("big.pdf", PDF, 2 * 1024 * 1024, "too_large"),
        ("page.html", b"<html><script>alert(1)</script>", 30, "type_refused"),
        ("script.exe", b"MZ", 2, "type_refused"),
        ("fake.pdf", b"<html>not a pdf</html>", 22, "content_mismatch"),
        ("fake.png", PDF, len(PDF), "content_mismatch"),
        ("binary.csv", b"\xff\xfe\x00\x00\x81", 5, "content_mismatch"),
    ],
)
def test_refused_files_leave_nothing_behind(
    cast: dict[str, Any],
    assessment: Assessment,
    tmp_path: Path,
    name: str,
    content: bytes,
    size: int,
    code: str,
) -> None:
    with pytest.raises(EvidenceRefused) as exc:
        attach_evidence(assessment.pk, io.BytesIO(content), name=name, size=size, user=cast["alice"])
    assert exc.value.code == code
    assert exc.value.message("vi") and exc.value.message("en") != exc.value.message("vi")
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in (tmp_path / "evidence").rglob("*"))


def test_outsiders_can_neither_upload_nor_download(cast: dict[str, Any], assessment: Assessment) -> None:
    with pytest.raises(Http404):
        attach_evidence(assessment.pk, io.BytesIO(PDF), name="a.pdf", size=len(PDF), user=cast["charlie"])
    evidence = attach_evidence(
        assessment.pk, io.BytesIO(PDF), name="a.pdf", size=len(PDF), user=cast["alice"]
    )
    with pytest.raises(Http404):
        get_download(evidence.pk, user=cast["charlie"])
    with pytest.raises(Http404):
        get_download(evidence.pk + 1000, user=cast["alice"])


def test_a_large_page_upload_kept_on_disk_while_it_arrives_is_stored_whole(
    cast: dict[str, Any], assessment: Assessment, settings: Any, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.web.conftest import client_for

    settings.EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    large = PDF * 600  # 3 MB: past Django's 2.5 MB in memory, so the upload arrives as a temporary file
    upload = SimpleUploadedFile("drill.pdf", large)
    assert (
        client_for("alice").post(f"/assessments/{assessment.pk}/evidence", {"file": upload}).status_code
        == 302
    )
    evidence = Evidence.objects.get()
    assert (tmp_path / "evidence" / str(assessment.pk) / evidence.stored_name).read_bytes() == large
    download = client_for("victor").get(f"/evidence/{evidence.pk}/download")
    assert b"".join(download.streaming_content) == large


def test_a_csv_whose_first_bytes_end_inside_a_character_is_accepted(
    cast: dict[str, Any], assessment: Assessment
) -> None:
    text = b"note\n" + b"a" * 2042 + "ế,120\n".encode() * 10  # the 2,048th byte starts "ế"
    with pytest.raises(UnicodeDecodeError):
        text[:2048].decode("utf-8")
    evidence = attach_evidence(
        assessment.pk, io.BytesIO(text), name="cod.csv", size=len(text), user=cast["alice"]
    )
    assert evidence.content_type == "text/csv"
