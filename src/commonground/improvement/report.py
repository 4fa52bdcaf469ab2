"""The facility report of one assessment (issue 15, point 1; decision 0031): the one use case behind
the results page's download, the API's operation and a job's, as PDF or XLSX in the reader's language.

Read under the results page's rule (assessments.access.get_assessment: the facility's own people and
the verifier body it invited, whose read goes in the facility's access log). The sections a file
gives come from core.facility_report; this adds the action plan and the trends where the reader may
see them (actions.access, facilities.access: otherwise the report says they are not shared), and
the verification.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from commonground.accounts.library import library
from commonground.actions import services as action_services
from commonground.assessments import access as assessment_access
from commonground.assessments.evaluations import evaluate
from commonground.assessments.models import Answer, Assessment
from commonground.assessments.services import buyers_by_framework
from commonground.common.downloads import PDF_TYPE, Document
from commonground.common.pdf import html_to_pdf
from commonground.core import actions as action_rules
from commonground.core.engine import Evaluation
from commonground.core.errors import Lang
from commonground.core.facility_report import (
    ActionLine,
    Chart,
    FacilityReport,
    VerificationLine,
    build_report,
    report_html,
    report_sheets,
)
from commonground.core.numbers import date_text
from commonground.core.spreadsheet import XLSX_TYPE, xlsx_bytes
from commonground.improvement import services
from commonground.improvement.trend_charts import trend_charts

KINDS = ("pdf", "xlsx")


@dataclass(frozen=True)
class Made:
    report: FacilityReport
    evaluation: Evaluation
    buyers: dict[str, list[str]]
    assessment: Assessment


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username()) if user else ""


def _verification(item: Assessment, lang: Lang) -> VerificationLine:
    counts = dict(item.answers.values_list("verification").annotate(n=Count("pk")).order_by())
    people = (
        item.answers.exclude(verified_by=None)
        .values_list("verified_by__first_name", "verified_by__last_name", "verified_by__username")
        .distinct()
    )
    names = sorted({f"{first} {last}".strip() or username for first, last, username in people})
    verifier = item.verifier
    verifier_name = (
        "" if verifier is None else (verifier.name_vi if lang == "vi" and verifier.name_vi else verifier.name)
    )
    return VerificationLine(
        status=str(item.get_status_display()),
        verifier=verifier_name,
        verified_on=date_text(timezone.localtime(item.verified_at).date(), lang) if item.verified_at else "",
        people=tuple(names),
        confirmed=counts.get(Answer.Verification.CONFIRMED, 0),
        corrected=counts.get(Answer.Verification.CORRECTED, 0),
        pending=counts.get(Answer.Verification.PENDING, 0),
    )


def _actions(item: Assessment, user: Any, lang: Lang, channel: str) -> tuple[ActionLine, ...] | None:
    """This assessment's actions and every one still to do; None when the reader may not see the plan
    (the read is logged as the action plan page logs it)."""
    try:
        rows = action_services.list_actions(item.facility_id, user=user, channel=channel)
    except Http404:
        return None
    lib = library()
    shown = [a for a in rows if a.assessment_id == item.pk or a.status in action_rules.PENDING]
    shown.sort(key=lambda a: (a.due_date, a.pk))
    return tuple(
        ActionLine(
            title=a.title,
            status=str(a.get_status_display()),
            owner=_person(a.owner),
            due=date_text(a.due_date, lang),
            overdue=a.overdue,
            findings=tuple(
                lib.datapoints[f.datapoint].label.get(lang) if f.datapoint in lib.datapoints else f.datapoint
                for f in a.findings.all()
            ),
        )
        for a in shown
    )


def _charts(item: Assessment, user: Any, lang: Lang) -> tuple[Chart, ...] | None:
    """Requirements met, scores and levels across the facility's periods (the improvement page's
    charts); None when the reader may not see the facility's other periods."""
    try:
        trends = services.get_trends(item.facility_id, user=user, lang=lang)
    except Http404:
        return None
    if len(trends.periods) < 2:
        return ()
    drawn = trend_charts(trends, metrics=False)
    charts = [drawn["compliance_chart"], drawn["score_chart"], *(svg for _f, svg in drawn["level_charts"])]
    return tuple(Chart(title="", svg=str(svg)) for svg in charts if svg)


def facility_report(
    assessment_id: int, *, user: Any, lang: Lang, channel: str = "page", plan_and_trends: bool = True
) -> Made:
    """The report of one assessment, as far as `user` may read it (Http404 where the results page
    would answer 404); without the action plan and the trends when `plan_and_trends` is false."""
    item = assessment_access.get_assessment(assessment_id, user, channel=channel, what="report")
    evaluation = evaluate(item)
    buyers = buyers_by_framework(item.facility)
    facility = item.facility
    with translation.override(lang):
        report = build_report(
            evaluation,
            library(),
            lang,
            facility=facility.name_vi if lang == "vi" and facility.name_vi else facility.name,
            buyers=buyers,
            address=facility.address,
            today=timezone.localdate(),
        )
        report = dataclasses.replace(report, verification=_verification(item, lang))
        if plan_and_trends:
            actions = _actions(item, user, lang, channel)
            charts = _charts(item, user, lang)
            hidden = tuple(name for name, part in (("actions", actions), ("trends", charts)) if part is None)
            report = dataclasses.replace(report, actions=actions, charts=charts, hidden=hidden)
    return Made(report, evaluation, buyers, item)


def report_file(
    assessment_id: int,
    kind: str,
    *,
    user: Any,
    lang: Lang,
    channel: str = "page",
    progress: Callable[[int, str], None] | None = None,
) -> Document:
    """The report as `report-<id>-<lang>.pdf` or `.xlsx` (Http404 for another kind): the one use
    case behind the page's download, the API's operation and the job (`progress(step, message)`,
    steps 0 and 1 of STEPS, as the reading and the writing begin)."""
    if kind not in KINDS:
        raise Http404
    step = progress or (lambda _step, _message: None)
    name = f"report-{assessment_id}-{lang}.{kind}"
    step(0, READING)
    if kind == "pdf":
        made = facility_report(assessment_id, user=user, lang=lang, channel=channel)
        step(1, WRITING_PDF)
        return Document(html_to_pdf(report_html(made.report)), PDF_TYPE, name)
    # the workbook: the results export's sheets, levels and targets, then the action plan's export
    made = facility_report(assessment_id, user=user, lang=lang, channel=channel, plan_and_trends=False)
    step(1, WRITING_XLSX)
    sheets = report_sheets(made.evaluation, library(), made.report, made.buyers)
    with contextlib.suppress(Http404):  # unless the reader may not see the action plan
        sheets.append(
            action_services.plan_sheet(made.assessment.facility_id, user=user, lang=lang, channel=channel)
        )
    return Document(xlsx_bytes(sheets, lang), XLSX_TYPE, name)


# ---- the report as a background job (decision 0036) --------------------------------------------

STEPS = 3  # reading and evaluating, writing the file, keeping it
READING = gettext_noop("Reading and evaluating the assessment")
WRITING_PDF = gettext_noop("Writing the PDF")
WRITING_XLSX = gettext_noop("Writing the Excel workbook")
KEEPING = gettext_noop("Keeping the file for you")
READY = gettext_noop("The file {name} is ready to download.")


def start_report(assessment_id: int, kind: str, *, user: Any, lang: Lang, channel: str = "page") -> Any:
    """Queue the report of an assessment as a job for `user` (Http404 where report_file would answer
    404: nothing is queued for a reader who may not read it). The same request again within the
    minute (a double click) gives back the same job. Only `user` may follow it and fetch its file."""
    from commonground.jobs.services import DOUBLE_CLICK, enqueue

    if kind not in KINDS or lang not in ("vi", "en"):
        raise Http404
    assessment_access.check_readable(assessment_id, user)
    key = f"facility_report:{user.pk}:{assessment_id}:{kind}:{lang}:{channel}"
    return enqueue(
        "facility_report",
        user=user,
        key=key,
        repeat_within=DOUBLE_CLICK,
        assessment_id=assessment_id,
        file_type=kind,
        lang=lang,
        channel=channel,
    )


def report_job(job: Any, *, assessment_id: int, file_type: str, lang: Lang, channel: str) -> Any:
    """The background job: report_file as the person who started it (their read logged as the
    download's would be), the file kept through the storage API for them to download."""
    from commonground.jobs.services import Result, keep_file, report

    def progress(step: int, message: str) -> None:
        report(job, step, STEPS, message)

    if job.started_by is None:
        raise Http404  # the account is gone: nobody to make it for
    made = report_file(
        assessment_id, file_type, user=job.started_by, lang=lang, channel=channel, progress=progress
    )
    progress(2, KEEPING)
    stored = keep_file(job, made.filename, made.content)
    return Result(READY, {"name": made.filename, "file": stored}, url=f"/jobs/{job.pk}/download")


def check_download(job: Any, user: Any) -> None:
    """The file of a report job only while its reader may still read the assessment."""
    assessment_access.check_readable(int(job.params.get("assessment_id", 0)), user)
