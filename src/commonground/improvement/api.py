"""This area in the API (added to the one NinjaAPI by config/api.py): what to fix first, levels over
time, benchmarks, peer insights of a solution, and trainings. The same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from commonground.common.downloads import document_response
from commonground.common.language import api_lang
from commonground.improvement import report, services
from commonground.improvement.models import Training
from commonground.jobs.api import JobOut, job_out

router = Router(tags=["improvement"])


@router.get("/assessments/{assessment_id}/report")
def assessment_report(
    request: HttpRequest, assessment_id: int, format: Literal["pdf", "xlsx"] = "pdf"
) -> HttpResponse:
    """The facility report of an assessment as a file (`application/pdf`, or XLSX with
    `format=xlsx`) in the language of Accept-Language (vi or en): coverage and compliance per
    framework, levels, findings, binding targets, the action plan, trends and the verification.
    Readable by whoever may read the assessment's results (404 otherwise)."""
    made = report.report_file(assessment_id, format, user=request.user, lang=api_lang(request), channel="api")
    return document_response(made.content, made.content_type, made.filename)


@router.post("/assessments/{assessment_id}/report/jobs", response={202: JobOut})
def assessment_report_job(
    request: HttpRequest, assessment_id: int, format: Literal["pdf", "xlsx"] = "pdf"
) -> Status[JobOut]:
    """The facility report written by a background job, for a client that would rather not wait on
    one request: 202 with the job (follow it at `GET /api/jobs/{id}`; its file, once done, at
    `GET /api/jobs/{id}/file`, for the same token's person only). The same file as
    `GET /api/assessments/{id}/report`, in the language of Accept-Language; the same access rule
    (404 otherwise), and a verifier body's read logged the same way, once, when the job reads it.
    The same request within the minute gives back the same job."""
    job = report.start_report(assessment_id, format, user=request.user, lang=api_lang(request), channel="api")
    return Status(202, job_out(request, job))


class PriorityOut(Schema):
    rank: int
    datapoint: str
    label: str
    value: str
    severity: str
    legal: bool
    frameworks: list[str]
    buyers: list[str]
    reasons: list[str]
    solutions: list[str]
    trainings: list[str]


@router.get("/facilities/{facility_id}/priorities", response=list[PriorityOut])
def priorities(request: HttpRequest, facility_id: int) -> list[PriorityOut]:
    found = services.get_priorities(facility_id, user=request.user, lang=api_lang(request))
    return [
        PriorityOut(
            rank=r.priority.rank,
            datapoint=r.priority.datapoint,
            label=r.label,
            value=r.value,
            severity=r.priority.severity,
            legal=r.priority.legal,
            frameworks=list(r.priority.frameworks),
            buyers=list(r.priority.buyers),
            reasons=r.reasons,
            solutions=[s.id for s in r.priority.solutions],
            trainings=[t.id for t in r.trainings],
        )
        for r in found.rows
    ]


class SectionOut(Schema):
    section: str
    name: str
    levels: list[int | None]
    scores: list[float | None]


class FrameworkTrendOut(Schema):
    framework: str
    name: str
    compliance_pct: list[float | None]
    score: list[float | None]
    sections: list[SectionOut]


class MetricTrendOut(Schema):
    metric: str
    label: str
    unit: str
    values: list[float | None]


class TrendsOut(Schema):
    periods: list[str]
    verified: list[bool]
    assessments: list[int]
    frameworks: list[FrameworkTrendOut]
    metrics: list[MetricTrendOut]


@router.get("/facilities/{facility_id}/levels", response=TrendsOut)
def levels(request: HttpRequest, facility_id: int) -> TrendsOut:
    t = services.get_trends(facility_id, user=request.user, lang=api_lang(request))
    return TrendsOut(
        periods=[p.label for p in t.periods],
        verified=[p.verified for p in t.periods],
        assessments=[p.assessment.pk for p in t.periods],
        frameworks=[
            FrameworkTrendOut(
                framework=f.framework_id,
                name=f.name,
                compliance_pct=f.compliance,
                score=f.score,
                sections=[
                    SectionOut(section=s.section, name=s.name, levels=s.achieved, scores=s.score)
                    for s in f.sections
                ],
            )
            for f in t.frameworks
        ],
        metrics=[
            MetricTrendOut(metric=m.metric_id, label=m.label, unit=m.unit, values=m.values) for m in t.metrics
        ],
    )


class PositionOut(Schema):
    metric: str
    label: str
    unit: str
    better: str
    value: float
    percentile: float | None  # None: fewer than k peers with a value
    peers: int | None
    median: float | None
    q1: float | None
    q3: float | None


class BenchmarksOut(Schema):
    year: int | None
    k: int
    widen: list[str]
    peers: int | None  # None when under k (or no verified assessment yet)
    metrics: list[PositionOut]


class BenchmarksQuery(Schema):
    widen: list[str] = []  # any of sector, region, size: dropped from the peer group


@router.get("/facilities/{facility_id}/benchmarks", response=BenchmarksOut)
def benchmarks(request: HttpRequest, facility_id: int, query: Query[BenchmarksQuery]) -> BenchmarksOut:
    lang, widen = api_lang(request), query.widen
    found = services.get_benchmarks(facility_id, user=request.user, widen=frozenset(widen))
    group = found.group
    rows = []
    for m in group.metrics if group else []:
        p = m.position
        rows.append(
            PositionOut(
                metric=m.metric.id,
                label=m.metric.label.get(lang),
                unit=m.metric.unit,
                better=m.metric.better,
                value=m.value,
                percentile=p.percentile if p else None,
                peers=p.n if p else None,
                median=p.median if p else None,
                q1=p.q1 if p else None,
                q3=p.q3 if p else None,
            )
        )
    return BenchmarksOut(
        year=group.year if group else None,
        k=services.aggregate_k(),
        widen=sorted(widen),
        peers=group.size if group else None,
        metrics=rows,
    )


class EffectOut(Schema):
    metric: str
    adopters: int | None  # None when suppressed
    comparison: int | None
    median_change_adopters: float | None
    median_change_others: float | None
    difference: float | None
    low: float | None
    high: float | None
    relative: bool
    suppressed: bool


class SolutionInsightsOut(Schema):
    solution: str
    adopters: int
    k: int
    effects: list[EffectOut]


@router.get("/solutions/{solution_id}/insights", response=SolutionInsightsOut)
def solution_insights(request: HttpRequest, solution_id: str) -> SolutionInsightsOut:
    detail = services.get_solution(solution_id, user=request.user, lang=api_lang(request))
    effects = []
    for i in detail.insights:
        e = i.effect
        effects.append(
            EffectOut(
                metric=e.metric,
                adopters=None if e.suppressed else e.adopters,
                comparison=None if e.suppressed else e.comparison,
                median_change_adopters=e.median_change_adopters,
                median_change_others=e.median_change_others,
                difference=e.difference,
                low=e.low,
                high=e.high,
                relative=e.relative,
                suppressed=e.suppressed,
            )
        )
    return SolutionInsightsOut(solution=solution_id, adopters=detail.adopters, k=detail.k, effects=effects)


class TrainingIn(Schema):
    topic: str
    title: str
    delivered_on: dt.date
    women: int = 0
    men: int = 0
    others: int = 0
    resource_id: str = ""
    provider: str = ""
    note: str = ""


class TrainingOut(Schema):
    id: int
    topic: str
    resource_id: str
    title: str
    delivered_on: dt.date
    women: int
    men: int
    others: int
    provider: str
    note: str


@router.get("/facilities/{facility_id}/trainings", response=list[TrainingOut])
def list_trainings(request: HttpRequest, facility_id: int) -> list[Training]:
    return services.list_trainings(facility_id, user=request.user)


@router.post("/facilities/{facility_id}/trainings", response={201: TrainingOut})
def create_training(request: HttpRequest, facility_id: int, payload: TrainingIn) -> Status[Training]:
    return Status(201, services.record_training(facility_id, user=request.user, **payload.dict()))
