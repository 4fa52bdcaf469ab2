"""Evidence in S3-compatible object storage (decision 0020), against a real S3 server on loopback:
uploads through the page and the API land in the bucket (nothing on the local disk), downloads
stream through the application after the access check — the owner, the verifier, a buyer with a
grant (each read logged), never a buyer without one — and a deleted draft takes its files along."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from commonground.accounts.models import Membership
from commonground.accounts.tokens import create_token
from commonground.assessments.models import Assessment, Evidence
from commonground.sharing.models import Grant
from tests.web import s3
from tests.web.conftest import client_for, member
from tests.web.test_api import bearer

s3_server, s3_bucket = s3.s3_server, s3.s3_bucket

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40  # binary, past one read buffer
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00drill" * 500
COD = "wastewater.cod_mg_l"  # an environmental fact


def _key(evidence: Evidence) -> str:
    return f"{s3.PREFIX}/{evidence.assessment_id}/{evidence.stored_name}"


def _body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream" and "Location" not in response
    return b"".join(response.streaming_content)


def test_a_page_upload_is_kept_in_the_bucket_and_read_only_through_the_access_check(
    cast: dict[str, Any], assessment: Assessment, s3_bucket: s3.Bucket, tmp_path: Any
) -> None:
    alice = client_for("alice")
    upload = SimpleUploadedFile("payroll march.pdf", PDF, content_type="text/html")
    assert alice.post(f"/assessments/{assessment.pk}/evidence", {"file": upload}).status_code == 302
    evidence = Evidence.objects.get()
    assert s3_bucket.files() == {_key(evidence): PDF}
    head = s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=_key(evidence))
    assert head["ContentType"] == "application/octet-stream"  # never what the client claimed
    assert not (tmp_path / "local-evidence").exists()
    for reader in ("alice", "victor"):  # the factory and its verifier
        assert _body(client_for(reader).get(f"/evidence/{evidence.pk}/download")) == PDF
    assert client_for("charlie").get(f"/evidence/{evidence.pk}/download").status_code == 404


def test_a_refused_upload_leaves_the_bucket_empty_and_says_why(
    cast: dict[str, Any], assessment: Assessment, s3_bucket: s3.Bucket
) -> None:
    alice = client_for("alice", "vi")
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")
    page = alice.post(f"/assessments/{assessment.pk}/evidence", {"file": fake}, follow=True)
    assert "report.pdf" in page.content.decode() and "không khớp" in page.content.decode()
    assert s3_bucket.files() == {} and not Evidence.objects.exists()


@pytest.fixture
def tokens(cast: dict[str, Any]) -> dict[str, str]:
    bao = member("bao", cast["buyer"], Membership.Role.EDITOR)
    return {
        "alice": create_token(cast["alice"], name="compliance", can_write=True),
        "bao": create_token(bao, name="sourcing"),
    }


def _access_log(facility_id: int, alice_token: str, channel: str) -> list[str]:
    url = f"/api/facilities/{facility_id}/access-log?channel={channel}"
    return [entry["what"] for entry in Client().get(url, **bearer(alice_token)).json()["items"]]


def test_an_api_upload_is_downloaded_by_a_buyer_only_under_a_grant_and_each_read_is_logged(
    cast: dict[str, Any], assessment: Assessment, s3_bucket: s3.Bucket, tokens: dict[str, str]
) -> None:
    f = cast["facility"].pk
    upload = io.BytesIO(PNG)
    upload.name = "cod test.png"
    made = Client().post(
        f"/api/assessments/{assessment.pk}/evidence",
        {"file": upload, "datapoint": COD},
        **bearer(tokens["alice"]),
    )
    assert made.status_code == 201 and made.json()["content_type"] == "image/png"
    evidence = Evidence.objects.get(pk=made.json()["id"])
    assert s3_bucket.files() == {_key(evidence): PNG}
    assert _body(Client().get(f"/api/evidence/{evidence.pk}/download", **bearer(tokens["alice"]))) == PNG
    api_url, page_url = f"/api/shared/{f}/evidence/{evidence.pk}", f"/shared/{f}/evidence/{evidence.pk}"
    assert Client().get(api_url, **bearer(tokens["bao"])).status_code == 404  # no grant yet
    assert client_for("bao").get(page_url).status_code == 404
    assert _access_log(f, tokens["alice"], "api") == [] and _access_log(f, tokens["alice"], "page") == []
    Grant.objects.create(
        facility=cast["facility"],
        grantee=cast["buyer"],
        scope=Grant.Scope.ENVIRONMENT,
        content=Grant.Content.ANSWERS,
        purpose="due diligence",
        expires_at=timezone.now() + dt.timedelta(days=30),
        status=Grant.Status.ACTIVE,
    )
    assert _body(Client().get(api_url, **bearer(tokens["bao"]))) == PNG
    assert _body(client_for("bao").get(page_url)) == PNG
    for channel in ("api", "page"):
        assert _access_log(f, tokens["alice"], channel) == [f"evidence cod test.png ({COD})"]


def test_deleting_a_draft_removes_its_files_from_the_bucket_once_committed(
    cast: dict[str, Any],
    assessment: Assessment,
    s3_bucket: s3.Bucket,
    django_capture_on_commit_callbacks: Any,
) -> None:
    alice = client_for("alice")
    for name in ("a.pdf", "b.pdf"):
        upload = SimpleUploadedFile(name, PDF)
        alice.post(f"/assessments/{assessment.pk}/evidence", {"file": upload})
    assert len(s3_bucket.files()) == 2
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert alice.post(f"/assessments/{assessment.pk}/delete").status_code == 302
    assert not Assessment.objects.exists() and len(s3_bucket.files()) == 2  # not before the commit
    for callback in pending:
        callback()
    assert s3_bucket.files() == {}


def test_a_missing_file_is_a_404_not_a_server_error(
    cast: dict[str, Any], assessment: Assessment, s3_bucket: s3.Bucket
) -> None:
    client_for("alice").post(
        f"/assessments/{assessment.pk}/evidence", {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    evidence = Evidence.objects.get()
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=_key(evidence))
    assert client_for("alice").get(f"/evidence/{evidence.pk}/download").status_code == 404


def test_the_storage_settings_refuse_an_unknown_kind_or_a_missing_bucket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commonground.config.settings import evidence_storage_settings

    monkeypatch.setenv("EVIDENCE_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="use local"):
        evidence_storage_settings()
    monkeypatch.setenv("EVIDENCE_STORAGE", "S3")
    monkeypatch.delenv("EVIDENCE_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="EVIDENCE_S3_BUCKET"):
        evidence_storage_settings()
    monkeypatch.setenv("EVIDENCE_S3_BUCKET", "b")
    monkeypatch.setenv("EVIDENCE_S3_PREFIX", "/files/")
    options = evidence_storage_settings()["OPTIONS"]
    assert options["bucket_name"] == "b" and options["location"] == "files" and options["default_acl"] is None
    monkeypatch.setenv("EVIDENCE_STORAGE", "local")
    assert "OPTIONS" not in evidence_storage_settings()


def test_a_large_upload_goes_up_in_parts_and_comes_back_whole(
    cast: dict[str, Any], assessment: Assessment, s3_bucket: s3.Bucket, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    large = PDF + bytes(range(256)) * (9 * 4096)  # past boto3's 8 MB multipart threshold, spooled to disk
    client_for("alice").post(
        f"/assessments/{assessment.pk}/evidence", {"file": SimpleUploadedFile("big.pdf", large)}
    )
    evidence = Evidence.objects.get()
    assert evidence.size == len(large) and s3_bucket.files() == {_key(evidence): large}
    assert _body(client_for("victor").get(f"/evidence/{evidence.pk}/download")) == large


def test_when_the_bucket_cannot_take_the_file_no_row_is_left(
    cast: dict[str, Any], assessment: Assessment, s3_bucket: s3.Bucket
) -> None:
    from botocore.exceptions import ClientError

    from commonground.assessments.evidence import attach_evidence

    s3_bucket.client.delete_bucket(Bucket=s3_bucket.name)
    with pytest.raises(ClientError, match="NoSuchBucket"):
        attach_evidence(assessment.pk, io.BytesIO(PDF), name="a.pdf", size=len(PDF), user=cast["alice"])
    assert not Evidence.objects.exists()
