"""An action's evidence in S3-compatible object storage (decision 0020): uploaded through the action
page into the bucket, downloaded by a buyer only under an action-plan grant, each read logged."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.accounts.models import Membership
from commonground.actions.models import ActionEvidence
from commonground.assessments.models import Assessment
from commonground.sharing.models import Grant
from tests.actions.conftest import grant, make_action
from tests.web import s3
from tests.web.conftest import client_for, member

s3_server, s3_bucket = s3.s3_server, s3.s3_bucket

PDF = b"%PDF-1.7 completion\n" + bytes(range(256)) * 20


def test_an_actions_evidence_is_kept_in_the_bucket_and_read_under_a_grant_only(
    cast: dict[str, Any], findings: Assessment, s3_bucket: s3.Bucket
) -> None:
    action = make_action(cast, findings)
    upload = SimpleUploadedFile("drill photo.pdf", PDF)
    assert client_for("alice").post(f"/actions/{action.pk}/evidence", {"file": upload}).status_code == 302
    evidence = ActionEvidence.objects.get()
    assert s3_bucket.files() == {f"{s3.PREFIX}/actions/{action.pk}/{evidence.stored_name}": PDF}
    url = f"/action-evidence/{evidence.pk}/download"
    member("bao", cast["buyer"], Membership.Role.EDITOR)
    assert client_for("bao").get(url).status_code == 404
    grant(cast, Grant.Content.ACTION_PLAN)
    response = client_for("bao").get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    export = client_for("alice").get(f"/facilities/{cast['facility'].pk}/access-log.csv")
    log = b"".join(export.streaming_content).decode()
    assert f"action {action.pk} evidence: drill photo.pdf" in log
