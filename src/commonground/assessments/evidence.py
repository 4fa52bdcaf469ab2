"""Evidence files: refused unless their type and size are allowed; kept outside the web root, in the
evidence storage (local disk or object storage, decision 0020), and only ever sent as downloads."""

from __future__ import annotations

import codecs
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.http import FileResponse, Http404

from commonground.accounts.library import library
from commonground.assessments import access as assessment_access
from commonground.assessments.models import Evidence
from commonground.common.storage import assessment_file, evidence_storage
from commonground.core.i18n import gettext, gettext_noop

# extension -> (content type, how the file must start); None: plain text, checked by decoding
ALLOWED: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".csv": ("text/csv", None),
}

# Why a file is refused, in English; the Vietnamese is in the catalogue (decision 0014).
MESSAGES = {
    "too_large": gettext_noop("the file is larger than {limit} MB"),
    "type_refused": gettext_noop("files of this type are not accepted; use PDF, JPG, PNG, XLSX, DOCX or CSV"),
    "datapoint_unknown": gettext_noop("there is no data point {id} in the catalogue"),
    "content_mismatch": gettext_noop("the file's content does not match its name ({name})"),
}


class EvidenceRefused(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def message(self, lang: str = "en") -> str:
        return gettext(MESSAGES[self.code], "vi" if lang == "vi" else "en").format(**self.params)


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Download:
    name: str  # in the evidence storage
    filename: str
    content_type: str


def check_file(name: str, head: bytes, size: int) -> str:
    """The content type of an upload whose name, size and first bytes are allowed (else refused)."""
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise EvidenceRefused("too_large", limit=limit // (1024 * 1024))
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED:
        raise EvidenceRefused("type_refused")
    content_type, magic = ALLOWED[extension]
    if magic is not None and not head.startswith(magic):
        raise EvidenceRefused("content_mismatch", name=name)
    if magic is None:
        try:  # the first bytes may end inside a character: only a complete file must end whole
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) >= size)
        except UnicodeDecodeError:
            raise EvidenceRefused("content_mismatch", name=name) from None
    return content_type


def write_file(name: str, upload: IO[bytes]) -> None:
    """Store the whole upload (read again from its start) under `name` in the evidence storage.
    Wrapped, so the client's claimed content type goes nowhere (objects are application/octet-stream)."""
    saved = evidence_storage().save(name, File(upload, name=name))
    if saved != name:  # never: stored names are random; but a row must name its own file
        evidence_storage().delete(saved)
        raise FileExistsError(f"evidence file {name} exists already")


@contextmanager
def file_with_row(name: str) -> Iterator[None]:
    """The transaction that creates an evidence row and then writes its file `name`: when anything
    fails (the write, the commit), the row is rolled back and the file is removed."""
    try:
        with transaction.atomic():
            yield
    except BaseException:
        try:
            evidence_storage().delete(name)
        except Exception:  # the storage is out of reach: the first failure is the one to report
            logger.exception("evidence file %s could not be removed", name)
        raise


def attach_evidence(
    assessment_id: int, upload: IO[bytes], *, name: str, size: int, user: Any, datapoint: str = ""
) -> Evidence:
    """Store an uploaded file for an assessment (refused, nothing is stored)."""
    from commonground.assessments import services  # services import this module's neighbours

    assessment = assessment_access.get_assessment(assessment_id, user, write=True)
    services.check_open_to_factory(assessment)
    if datapoint and datapoint not in library().datapoints:
        raise EvidenceRefused("datapoint_unknown", id=datapoint[:100].encode("utf-8", "replace").decode())
    head = upload.read(2048)
    content_type = check_file(name, head, size)
    stored_name = uuid.uuid4().hex
    stored = assessment_file(assessment.pk, stored_name)
    with file_with_row(stored):
        services.check_open_to_factory(services.lock_assessment(assessment.pk))
        evidence = Evidence.objects.create(
            assessment=assessment,
            datapoint=datapoint,
            stored_name=stored_name,
            original_name=Path(name).name[:255],
            content_type=content_type,
            size=size,
            uploaded_by=user,
        )
        write_file(stored, upload)
    return evidence


def get_download(evidence_id: int, *, user: Any, channel: str = "page") -> Download:
    """The file to send as an attachment (never inline), for people who may read the assessment."""
    try:
        evidence = Evidence.objects.get(pk=evidence_id)
    except Evidence.DoesNotExist:
        raise Http404 from None
    assessment_access.get_assessment(
        evidence.assessment_id, user, channel=channel, what=f"evidence {evidence.original_name}"
    )
    return download_of(evidence)


def download_of(evidence: Evidence) -> Download:
    """Where an evidence file is kept (for a caller that has checked who may read it)."""
    name = assessment_file(evidence.assessment_id, evidence.stored_name)
    return Download(name, evidence.original_name, evidence.content_type)


def as_attachment(found: Download) -> FileResponse:
    """Always a download with a neutral content type, never shown inline (no HTML from uploads),
    streamed from the evidence storage through this process (never a link into the bucket)."""
    try:
        content = evidence_storage().open(found.name, "rb")
    except FileNotFoundError:
        logger.error("evidence file %s is missing from the evidence storage", found.name)
        raise Http404 from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=found.filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
