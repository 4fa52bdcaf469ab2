"""Evidence of completion: the same checks and storage as an assessment's evidence files."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Any

from django.http import Http404

from commonground.actions.access import log_read
from commonground.actions.errors import ActionRefused, message
from commonground.actions.models import ActionEvent, ActionEvidence
from commonground.actions.services import load_action, record_event
from commonground.assessments.evidence import Download, check_file, file_with_row, write_file
from commonground.common.storage import action_file


def attach_evidence(
    action_id: int, upload: IO[bytes], *, name: str, size: int, user: Any, note: str = ""
) -> ActionEvidence:
    """Store a file for an action (EvidenceRefused: nothing is stored). The facility's editors only."""
    action, plan = load_action(action_id, user)
    if not plan.can_edit:
        raise Http404
    if action.status == action.Status.VERIFIED:
        raise ActionRefused({"file": message("verified_final")})
    head = upload.read(2048)
    content_type = check_file(name, head, size)
    stored_name = uuid.uuid4().hex
    stored = action_file(action.pk, stored_name)
    with file_with_row(stored):
        evidence = ActionEvidence.objects.create(
            action=action,
            stored_name=stored_name,
            original_name=Path(name).name[:255],
            content_type=content_type,
            size=size,
            note=note.strip()[:300],
            uploaded_by=user,
        )
        record_event(action, user, ActionEvent.Kind.EVIDENCE, changes={"file": evidence.original_name})
        write_file(stored, upload)
    return evidence


def get_download(evidence_id: int, *, user: Any, channel: str = "page") -> Download:
    """The file as an attachment, for whoever may read the action (a grantee's read is logged)."""
    evidence = ActionEvidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    _, plan = load_action(evidence.action_id, user)
    log_read(plan, user, f"action {evidence.action_id} evidence: {evidence.original_name}", channel)
    return Download(
        action_file(evidence.action_id, evidence.stored_name), evidence.original_name, evidence.content_type
    )
