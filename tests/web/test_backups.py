"""Backups that restore: a seeded demo with reads in the access log and an evidence file is backed
up, restored into an empty migrated database — SQLite to PostgreSQL and back when the tests run on
PostgreSQL, SQLite to SQLite otherwise — and every row comes back with the same values (the restored
database's own backup has the same rows, byte for byte), the access log still verifies and the
evidence file is there. Each database is a real one, driven through `manage.py` as an operator would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4 backup test\n" + bytes(range(256))
# Reads through the real pages (the buyer's portfolio and its export) and one evidence file.
SETUP = f"""
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from commonground.assessments.models import Assessment, Evidence
from commonground.web.backups import evidence_storage
client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(username="buyer"))
for url in ["/portfolio/", "/portfolio.csv", "/portfolio/?lang=en"]:
    assert client.get(url).status_code == 200, url
first = Assessment.objects.order_by("pk").first()
evidence = Evidence.objects.create(
    assessment=first, stored_name="e" * 32, original_name="drill.pdf", content_type="application/pdf",
    size={len(PDF)}, uploaded_by=User.objects.get(username="factory.admin"),
)
evidence_storage().save(f"{{first.pk}}/{{evidence.stored_name}}", ContentFile({PDF!r}))
from commonground.sharing.services import seal_access_log, take_checkpoint
assert seal_access_log() == 3 and take_checkpoint() is not None
assert client.get("/portfolio/").status_code == 200  # a fourth read, not sealed yet
"""
# The checkpoints' key, the same for every database here as for every server of one installation
# (each data directory would otherwise make its own development SECRET_KEY, decision 0023).
LOG_KEY = "backup-test-log-key"


def manage(data: Path, url: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "COMMONGROUND_DATA_DIR": str(data),
        "DATABASE_URL": url,
        "COMMONGROUND_LOG_KEY": LOG_KEY,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return done


def sqlite(data: Path) -> str:
    return f"sqlite:///{data / 'db.sqlite3'}"


@pytest.fixture
def postgres() -> Iterator[str | None]:
    """A scratch PostgreSQL database next to the tests' own one (None when the tests run on SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_restore"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded demo on SQLite, with reads and an evidence file, backed up (once: seeding and
    migrating take most of this file's time); its database is next to it, in "source"."""
    tmp_path = tmp_path_factory.mktemp("backup")
    data = tmp_path / "source"
    manage(data, sqlite(data), "migrate", "-v0")
    manage(data, sqlite(data), "seed_demo", "--facilities", "4")
    manage(data, sqlite(data), "shell", "-v0", "-c", SETUP)
    assert "3 reads sealed, 1 not sealed yet" in manage(data, sqlite(data), "verify_access_log").stdout
    archive = tmp_path / "source.zip"
    manage(data, sqlite(data), "backup", str(archive))
    return archive


def contents(archive: Path) -> dict[str, bytes]:
    """Every row file and evidence file of an archive (the manifest names the database: left out)."""
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist() if name != "manifest.json"}


def restored(archive: Path, data: Path, url: str) -> Path:
    """Restore `archive` into the empty database at `url`, check it, and back it up again."""
    manage(data, url, "migrate", "-v0")
    manage(data, url, "restore", str(archive))
    assert "3 reads sealed, 1 not sealed yet" in manage(data, url, "verify_access_log").stdout
    again = data.parent / f"{data.name}.zip"
    manage(data, url, "backup", str(again))
    manage(data, url, "seal_access_log")  # the restored log goes on: the fourth read sealed after the three
    manage(data, url, "checkpoint_access_log")
    assert "4 reads sealed, 0 not sealed yet" in manage(data, url, "verify_access_log").stdout
    return again


def test_a_backup_restores_every_row_the_access_log_and_the_evidence(
    demo_backup: Path, postgres: str | None, tmp_path: Path
) -> None:
    original = contents(demo_backup)
    reads = original["rows/sharing.AccessRead.jsonl"].splitlines()
    assert len(reads) == 5  # a header and four reads
    assert [len(json.loads(r)[-1] or "") for r in reads[1:]] == [64, 64, 64, 0]  # three sealed, one not
    assert original[next(n for n in original if n.startswith("evidence/"))] == PDF
    legs = ([("postgres", postgres)] if postgres else []) + [("sqlite", "")]
    archive = demo_backup
    for name, url in legs:
        data = tmp_path / name
        archive = restored(archive, data, url or sqlite(data))
        assert contents(archive) == original  # every row, same values, same files
        assert sorted(p.read_bytes() for p in (data / "evidence").rglob("*") if p.is_file()) == [PDF]


def test_a_restore_refuses_a_database_with_rows_and_a_file_that_is_no_backup(
    demo_backup: Path, tmp_path: Path
) -> None:
    data = demo_backup.parent / "source"  # the demo the backup came from: not empty
    refused = manage(data, sqlite(data), "restore", str(demo_backup), ok=False)
    assert refused.stderr.strip().splitlines() == [
        "CommandError: restore refused: the database is not empty (accounts.Membership, "
        "accounts.Organisation, actions.Action, …): restore only into an empty, migrated one"
    ]
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    empty = tmp_path / "empty"
    manage(empty, sqlite(empty), "migrate", "-v0")
    refused = manage(empty, sqlite(empty), "restore", str(junk), ok=False)
    assert "restore refused:" in refused.stderr and "not a backup archive" in refused.stderr
    assert refused.stderr.count("\n") == 1
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(demo_backup) as source, zipfile.ZipFile(damaged, "w") as out:
        for name in source.namelist():
            body = source.read(name)
            if name == "rows/sharing.AccessRead.jsonl":
                body = body.replace(b'"page", "', b'"page", "x', 1)  # a time that is none
            out.writestr(name, body)
    refused = manage(empty, sqlite(empty), "restore", str(damaged), ok=False)
    assert "the archive is damaged" in refused.stderr and refused.stderr.count("\n") == 1
    manage(empty, sqlite(empty), "restore", str(demo_backup))  # nothing was left behind: still empty
