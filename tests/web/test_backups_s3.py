"""A backup and restore with evidence in object storage (decisions 0017 and 0020): a database whose
evidence is in one bucket is backed up, restored into an empty database (PostgreSQL when the tests
run on it, else SQLite) whose evidence goes to another, empty bucket, and the file comes back, byte
for byte, downloadable through the application. Driven through `manage.py` as an operator would."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.web import s3
from tests.web.test_backups import manage, postgres, sqlite

s3_server = s3.s3_server
postgres = postgres  # the scratch PostgreSQL database of the backup tests (None on SQLite)

PDF = b"%PDF-1.4 object storage\n" + bytes(range(256)) * 8
SETUP = f"""
import io
from django.contrib.auth.models import User
from commonground.accounts.models import Membership, Organisation
from commonground.assessments.evidence import attach_evidence
from commonground.assessments.models import Assessment
from commonground.facilities.models import Facility
group = Organisation.objects.create(name="Group", kind=Organisation.Kind.FACTORY_GROUP)
alice = User.objects.create_user("alice", "alice@example.test", "a-long-password-1")
Membership.objects.create(user=alice, organisation=group, role=Membership.Role.EDITOR)
facility = Facility.objects.create(owner=group, name="Factory 1", province="Thành phố Hà Nội", sector="garment")
assessment = Assessment.objects.create(
    facility=facility, period_start="2026-01-01", period_end="2026-12-31", created_by=alice
)
attach_evidence(assessment.pk, io.BytesIO({PDF!r}), name="drill.pdf", size={len(PDF)}, user=alice)
"""
DOWNLOAD = f"""
from django.contrib.auth.models import User
from django.test import Client
from commonground.assessments.models import Evidence
client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(username="alice"))
response = client.get(f"/evidence/{{Evidence.objects.get().pk}}/download")
assert response.status_code == 200, response.status_code
assert b"".join(response.streaming_content) == {PDF!r}
"""


def _use(bucket: s3.Bucket, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next `manage.py` commands keep evidence in `bucket`."""
    for name, value in bucket.env.items():
        monkeypatch.setenv(name, value)


def test_evidence_in_a_bucket_survives_a_backup_and_a_restore_into_another_bucket(
    s3_server: str, postgres: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = s3.make_bucket(s3_server), s3.make_bucket(s3_server)
    _use(source, monkeypatch)
    first = tmp_path / "first"
    manage(first, sqlite(first), "migrate", "-v0")
    manage(first, sqlite(first), "shell", "-v0", "-c", SETUP)
    [key] = source.files()
    archive = tmp_path / "backup.zip"
    manage(first, sqlite(first), "backup", str(archive))
    name = key.removeprefix(f"{s3.PREFIX}/")
    with zipfile.ZipFile(archive) as opened:
        assert opened.read(f"evidence/{name}") == PDF
    assert not (first / "evidence").exists()  # nothing on the local disk

    _use(target, monkeypatch)
    second = tmp_path / "second"
    url = postgres or sqlite(second)
    manage(second, url, "migrate", "-v0")
    manage(second, url, "restore", str(archive))
    assert target.files() == {key: PDF}
    manage(second, url, "shell", "-v0", "-c", DOWNLOAD)
