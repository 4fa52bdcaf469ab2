"""Where evidence files are kept (decision 0020): the storage named "evidence" in STORAGES, the local
disk under EVIDENCE_ROOT by default and S3-compatible object storage when EVIDENCE_STORAGE=s3. Every
read, write and delete of an evidence file goes through `evidence_storage()`, never through a path."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class EvidenceFileStorage(FileSystemStorage):
    """The local disk under settings.EVIDENCE_ROOT, read at each use (so a test may point it elsewhere)."""

    @property
    def base_location(self) -> str:
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def evidence_storage() -> Storage:
    return storages["evidence"]


def assessment_file(assessment_id: int, stored_name: str) -> str:
    """The storage name of an assessment's evidence file."""
    return f"{assessment_id}/{stored_name}"


def action_file(action_id: int, stored_name: str) -> str:
    """The storage name of an action's evidence file."""
    return f"actions/{action_id}/{stored_name}"


def remove_files(names: list[str]) -> None:
    """Delete evidence files whose rows are gone (a deleted draft); a file missing already is no error."""
    storage = evidence_storage()
    for name in names:
        storage.delete(name)
