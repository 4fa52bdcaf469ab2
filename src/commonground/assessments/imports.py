"""Importing a file into a draft assessment (issue 14): keep the upload, preview every row, then
apply all answers in one transaction as a background job.

The reading is core/imports (the same as `commonground import`); this module adds the upload kept
in the evidence storage, the access checks, and the answers stored with their provenance
("file › sheet › #12", the row) in the answer's source, so the verifier sees where a value came from.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path, PurePath
from typing import IO, Any

from django.core.files.base import File
from django.utils.translation import gettext_noop

from commonground.accounts.library import library
from commonground.assessments import access, services
from commonground.assessments.models import Assessment
from commonground.common.storage import evidence_storage
from commonground.core.errors import CommonGroundError, Lang, fail
from commonground.core.imports.reading import MAX_BYTES
from commonground.core.imports.run import ImportResult, import_file

SUFFIXES = (".xlsx", ".csv")
APPLYING = gettext_noop("Importing answers from {file}")
DONE = gettext_noop("{n} answers imported from {file}.")
UNCHANGED = gettext_noop("Nothing changed: every answer in {file} was already stored as it is.")


def keep_upload(assessment_id: int, upload: IO[bytes], *, name: str, size: int, user: Any) -> str:
    """Store the original upload (for the record, and for the job) and return its storage name;
    refused before anything is stored when it is not a spreadsheet or CSV file, or too large."""
    assessment = access.get_assessment(assessment_id, user, write=True)
    services.check_open_to_factory(assessment)
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise fail("import_format", file=name, suffix=suffix or "?")
    if size > MAX_BYTES:
        raise fail("import_too_large", file=name, size=size, max=MAX_BYTES)
    stored = f"imports/{assessment.pk}/{uuid.uuid4().hex}{suffix}"
    return str(evidence_storage().save(stored, File(upload)))


def _check_name(assessment: Assessment, stored: str) -> None:
    if not stored.startswith(f"imports/{assessment.pk}/") or ".." in stored:
        raise fail("file_missing", file=PurePath(stored).name)


def read_upload(assessment: Assessment, stored: str, name: str) -> ImportResult:
    """Every row of the kept upload, read for this assessment (its facility and period fill what
    the file does not say)."""
    _check_name(assessment, stored)
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / f"upload{PurePath(stored).suffix}"
        with evidence_storage().open(stored) as source:
            local.write_bytes(source.read())
        period = (assessment.period_start, assessment.period_end)
        return import_file(local, library(), facility=assessment.facility.name, period=period, name=name)


def preview(assessment_id: int, stored: str, *, name: str, user: Any) -> ImportResult:
    assessment = access.get_assessment(assessment_id, user, write=True)
    return read_upload(assessment, stored, name)


def source_of(result: ImportResult, datapoint: str) -> str:
    """Where an answer came from, as the verifier reads it in any language: `file › sheet › #12`
    (the row)."""
    where = result.sources[datapoint]
    parts = [str(where["file"]), str(where.get("sheet") or ""), f"#{where['row']}"]
    return " › ".join(p for p in parts if p)[:200]


def apply(assessment_id: int, stored: str, *, name: str, user: Any, job: Any = None) -> int:
    """Store every answer of the upload in one transaction (all or nothing); returns how many
    changed. A row in error refuses the whole import, with every problem."""
    from commonground.jobs.services import report

    assessment = access.get_assessment(assessment_id, user, write=True)
    result = read_upload(assessment, stored, name)
    if not result.ok:
        raise CommonGroundError(result.problems)
    answers = [(dp, services.to_json(value), source_of(result, dp)) for dp, value in result.values.items()]

    def progress(done: int, total: int) -> None:
        if job is not None:
            report(job, done, total, APPLYING, file=name)

    reason = f"imported from {name}"[:200]
    return services.store_answers(assessment, answers, user=user, reason=reason, progress=progress)


def template_for(assessment_id: int, *, user: Any, lang: Lang) -> tuple[bytes, str]:
    """The pre-filled questionnaire workbook of an assessment, and a file name for it."""
    from commonground.core.imports.template import write_template
    from commonground.core.questionnaire import build_questionnaire

    assessment = access.get_assessment(assessment_id, user, write=True)
    answers = dict(assessment.answers.values_list("datapoint", "value"))
    period = (assessment.period_start, assessment.period_end)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "questionnaire.xlsx"
        write_template(
            build_questionnaire(library()),
            path,
            lang,
            facility=assessment.facility.name,
            period=period,
            answers=answers,
        )
        data = path.read_bytes()
    return data, f"questionnaire-{assessment.pk}-{assessment.period_start:%Y}.xlsx"


def xlsform_for(assessment_id: int, *, user: Any) -> tuple[bytes, str]:
    """The assessment's questionnaire as an XLSForm for ODK Collect or KoboToolbox, with the
    import profile of its submissions, in one ZIP file; and a file name for it."""
    from commonground.core.questionnaire import build_questionnaire
    from commonground.core.xlsform import build_form, form_zip

    assessment = access.get_assessment(assessment_id, user, write=True)
    lib = library()
    form = build_form(build_questionnaire(lib), lib.topics)
    return form_zip(form), f"xlsform-{assessment.pk}-{assessment.period_start:%Y}.zip"


def import_job(job: Any, *, assessment_id: int, stored: str, name: str) -> Any:
    """The background job: apply the kept upload as the person who started it."""
    from commonground.jobs.services import Result

    changed = apply(assessment_id, stored, name=name, user=job.started_by, job=job)
    if not changed:
        return Result(UNCHANGED, {"file": name}, url=f"/assessments/{assessment_id}/")
    return Result(DONE, {"n": changed, "file": name}, url=f"/assessments/{assessment_id}/")
