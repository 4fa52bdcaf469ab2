"""A state form filled from an assessment, as a file (issue 15, points 4 and 5; decision 0036): the
one use case behind the page's download and the background job that writes the PDF while the reader
watches its progress.

Read under the results page's rule (services.state_form: the facility's own people and the verifier
body it invited, whose read goes in the facility's access log); the job reads as the person who
started it, and its file is handed only to them, and only while they may still read the assessment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_noop

from commonground.accounts.library import library
from commonground.assessments import access, services
from commonground.common.downloads import PDF_TYPE, Document
from commonground.core.errors import Lang
from commonground.core.spreadsheet import XLSX_TYPE, xlsx_bytes

KINDS = ("pdf", "xlsx")

STEPS = 3  # reading and filling, writing the file, keeping it
READING = gettext_noop("Filling the form from the assessment's answers")
WRITING_PDF = gettext_noop("Writing the PDF")
WRITING_XLSX = gettext_noop("Writing the Excel workbook")
KEEPING = gettext_noop("Keeping the file for you")
READY = gettext_noop("The file {name} is ready to download.")


def form_file(
    assessment_id: int,
    form_id: str,
    kind: str,
    *,
    user: Any,
    lang: Lang,
    channel: str = "page",
    progress: Callable[[int, str], None] | None = None,
) -> Document:
    """The form `form_id` filled from the assessment as `<form>-<id>.pdf` or `.xlsx` (Http404 for an
    unknown form or kind, or a reader who may not see the results)."""
    from commonground.core.state_form_out import form_html, form_sheets

    if form_id not in library().forms or kind not in KINDS:
        raise Http404
    step = progress or (lambda _step, _message: None)
    step(0, READING)
    filled = services.state_form(assessment_id, form_id, user=user, lang=lang, channel=channel)
    name = f"{form_id}-{assessment_id}.{kind}"
    if kind == "pdf":
        from commonground.common.pdf import html_to_pdf

        step(1, WRITING_PDF)
        return Document(html_to_pdf(form_html(filled)), PDF_TYPE, name)
    step(1, WRITING_XLSX)
    return Document(xlsx_bytes(form_sheets(filled), filled.lang), XLSX_TYPE, name)


def start_form(
    assessment_id: int, form_id: str, kind: str, *, user: Any, lang: Lang, channel: str = "page"
) -> Any:
    """Queue the filled form as a job for `user` (Http404 where form_file would answer 404: nothing
    is queued). The same request within the minute (a double click) gives back the same job."""
    from commonground.jobs.services import DOUBLE_CLICK, enqueue

    if form_id not in library().forms or kind not in KINDS or lang not in ("vi", "en"):
        raise Http404
    access.check_readable(assessment_id, user)
    key = f"state_form:{user.pk}:{assessment_id}:{form_id}:{kind}:{lang}:{channel}"
    return enqueue(
        "state_form",
        user=user,
        key=key,
        repeat_within=DOUBLE_CLICK,
        assessment_id=assessment_id,
        form_id=form_id,
        file_type=kind,
        lang=lang,
        channel=channel,
    )


def form_job(job: Any, *, assessment_id: int, form_id: str, file_type: str, lang: Lang, channel: str) -> Any:
    """The background job: form_file as the person who started it, the file kept for them."""
    from commonground.jobs.services import Result, keep_file, report

    def progress(step: int, message: str) -> None:
        report(job, step, STEPS, message)

    if job.started_by is None:
        raise Http404  # the account is gone: nobody to make it for
    made = form_file(
        assessment_id, form_id, file_type, user=job.started_by, lang=lang, channel=channel, progress=progress
    )
    progress(2, KEEPING)
    stored = keep_file(job, made.filename, made.content)
    return Result(READY, {"name": made.filename, "file": stored}, url=f"/jobs/{job.pk}/download")


def check_download(job: Any, user: Any) -> None:
    """The file of a form job only while its reader may still read the assessment."""
    access.check_readable(int(job.params.get("assessment_id", 0)), user)
