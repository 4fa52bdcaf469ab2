"""An S3-compatible server on loopback (moto in server mode, started once per test run) and a fresh
bucket per test, set up from the same environment variables an operator sets (decision 0020).
Use it as tests/actions/conftest.py uses the web cast: `s3_server, s3_bucket = s3.s3_server, ...`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

PREFIX = "evidence"  # EVIDENCE_S3_PREFIX's default


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The endpoint URL of a moto server on 127.0.0.1, on a port the system chooses."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass(frozen=True)
class Bucket:
    name: str
    client: Any
    env: dict[str, str]  # what an operator sets to keep evidence in this bucket

    def files(self) -> dict[str, bytes]:
        """Every object in the bucket, by key, with its content."""
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {
            o["Key"]: self.client.get_object(Bucket=self.name, Key=o["Key"])["Body"].read() for o in listed
        }


def make_bucket(endpoint: str) -> Bucket:
    name = f"cg-evidence-{uuid.uuid4().hex[:12]}"
    env = {
        "EVIDENCE_STORAGE": "s3",
        "EVIDENCE_S3_BUCKET": name,
        "EVIDENCE_S3_ENDPOINT_URL": endpoint,
        "EVIDENCE_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=name)
    return Bucket(name, client, env)


@pytest.fixture
def s3_bucket(s3_server: str, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Bucket:
    """Evidence kept in a new, empty bucket, configured through the settings' own reading of the
    environment; the local evidence folder points at an empty directory that must stay empty."""
    from commonground.config.settings import evidence_storage_settings

    bucket = make_bucket(s3_server)
    for name, value in bucket.env.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "evidence": evidence_storage_settings()}
    settings.EVIDENCE_ROOT = tmp_path / "local-evidence"
    return bucket
