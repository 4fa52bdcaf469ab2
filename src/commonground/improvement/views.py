"""Improvement pages: parse, call the service, render (charts drawn here from the service's figures)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.accounts.library import library
from commonground.common.downloads import document_response
from commonground.common.language import page_lang
from commonground.core.benchmarks import DIMENSIONS
from commonground.core.errors import Lang
from commonground.core.insights import usual_range
from commonground.core.metrics import METRICS
from commonground.core.numbers import money_range, number
from commonground.core.priorities import severity_word
from commonground.core.progress import order_topics
from commonground.facilities import access as facility_access
from commonground.improvement import charts, report, services
from commonground.improvement.benchmarking import MetricBenchmark
from commonground.improvement.forms import AdoptionForm, TrainingForm
from commonground.improvement.peer_insights import Insight
from commonground.improvement.trend_charts import honest_rates, trend_charts
from commonground.improvement.trends import unit_of


def _can_edit(request: HttpRequest, facility_id: int) -> bool:
    return facility_access.facilities_for(request.user, write=True).filter(pk=facility_id).exists()


def _percent(values: list[float | None], lang: Lang) -> list[str]:
    return ["–" if x is None else f"{number(x, lang)}\u00a0%" for x in values]


def _compliance_cells(trend: Any, lang: Lang) -> list[str]:
    """Each period's rate, or how many requirements are decided when too few are to show one."""
    cells = _percent(honest_rates(trend), lang)
    for i, s in enumerate(trend.standing):
        if s.verdict == "not_enough":
            cells[i] = _("not enough answers (%(decided)s of %(applicable)s decided)") % {
                "decided": s.decided,
                "applicable": s.applicable,
            }
    return cells


@login_required
def report_download(request: HttpRequest, assessment_id: int, kind: str) -> HttpResponse:
    """The facility report of an assessment (PDF or XLSX), in the page's language or the one `lang`
    asks for (vi, en); readable where the results page is."""
    asked = request.GET.get("lang", "")
    lang: Lang = asked if asked in ("vi", "en") else page_lang(request)  # type: ignore[assignment]
    made = report.report_file(assessment_id, kind, user=request.user, lang=lang)
    return document_response(made.content, made.content_type, made.filename)


@login_required
@require_POST
def report_job(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The facility report written by a background job (`format`: pdf or xlsx; `lang`: vi or en,
    the page's language when absent): its page shows the progress, then the download link."""
    kind = request.POST.get("format", "")
    asked = request.POST.get("lang", "")
    lang: Lang = asked if asked in ("vi", "en") else page_lang(request)  # type: ignore[assignment]
    if kind not in report.KINDS:
        raise Http404
    job = report.start_report(assessment_id, kind, user=request.user, lang=lang)
    return redirect("job", job.pk)


@login_required
def improvement(request: HttpRequest, facility_id: int) -> HttpResponse:
    """Levels, scores and compliance across the facility's periods, with links to the other pages."""
    lang = page_lang(request)
    trends = services.get_trends(facility_id, user=request.user, lang=lang)
    context = {
        "facility": trends.facility,
        "trends": trends,
        "compliance": [(f.name, _compliance_cells(f, lang)) for f in trends.frameworks],
        "can_edit": _can_edit(request, facility_id),
        "insights": services.get_peer_insights(facility_id, user=request.user, lang=lang)[:5],
        "adoptions": _adoption_rows(request, facility_id),
        "adoption_form": _adoption_form(request),
        **(trend_charts(trends) if trends.periods else {}),
    }
    return render(request, "improvement/improvement.html", context)


def _solution_choices(lang: Lang) -> list[tuple[str, str]]:
    return sorted(((s.id, s.title.get(lang)) for s in library().solutions.values()), key=lambda c: c[1])


def _adoption_form(request: HttpRequest, data: Any = None) -> AdoptionForm:
    return AdoptionForm(data, solutions=_solution_choices(page_lang(request)))


def _adoption_rows(request: HttpRequest, facility_id: int) -> list[tuple[Any, str]]:
    lib, lang = library(), page_lang(request)
    return [
        (a, lib.solutions[a.solution_id].title.get(lang) if a.solution_id in lib.solutions else a.solution_id)
        for a in services.list_adoptions(facility_id, user=request.user)
    ]


@login_required
@require_POST
def adoption(request: HttpRequest, facility_id: int) -> HttpResponse:
    """Record a solution the facility adopted (not through an action)."""
    facility_access.get_facility(facility_id, request.user, write=True)
    form = _adoption_form(request, request.POST)
    if form.is_valid():
        try:
            services.record_adoption(facility_id, user=request.user, **form.cleaned_data)
            messages.success(request, _("Adoption recorded."))
            return redirect("improvement", facility_id)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    context = {"facility": facility_access.get_facility(facility_id, request.user), "adoption_form": form}
    return render(request, "improvement/adoption.html", context, status=400)


@login_required
def priorities(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The findings of the latest period in the order to fix them, with every rank's reasons."""
    lang = page_lang(request)
    found = services.get_priorities(facility_id, user=request.user, lang=lang)
    names = {fid: f.spec.name.get(lang) for fid, f in library().frameworks.items()}
    rows = [
        {
            "row": row,
            "severity": severity_word(row.priority.severity, lang),
            "frameworks": [names.get(f, f) for f in row.priority.frameworks],
        }
        for row in found.rows
    ]
    context = {"facility": found.facility, "found": found, "rows": rows}
    return render(request, "improvement/priorities.html", context)


def _widen(request: HttpRequest) -> frozenset[str]:
    return frozenset(w for w in request.GET.getlist("widen") if w in DIMENSIONS)


def _benchmark_row(m: MetricBenchmark, lang: Lang) -> dict[str, Any]:
    """A metric with its distribution chart (key metrics only: a page stays small)."""
    label = m.metric.label.get(lang)
    chart = None
    if m.position is not None and m.bins and m.metric.id in METRICS:
        bins = [(f"{number(b.lo, lang)}–{number(b.hi, lang)}", b.count) for b in m.bins]
        chart = charts.distribution_chart(
            f"{label} ({unit_of(m.metric, lang)})",
            bins,
            m.marked,
            peers=_("Similar factories"),
            yours=_("Your facility's range"),
            no_data=_("No data yet"),
        )
    return {
        "m": m,
        "label": label,
        "value": number(m.value, lang),
        "unit": unit_of(m.metric, lang),
        "chart": chart,
        **_plain(m, lang),
    }


def _plain(m: MetricBenchmark, lang: Lang) -> dict[str, str]:
    """The facility among similar factories in words a factory manager reads: where half of them are,
    how many do worse, and the usual range (no median, quartile, percentile or n)."""
    p = m.position
    if p is None:
        return {}
    unit = unit_of(m.metric, lang)

    def amount(x: float) -> str:
        return f"{number(x, lang)} {unit}".strip()

    worse = min(p.n, max(0, round(p.percentile * p.n / 100)))
    better = _("lower is better") if m.metric.better == "lower" else _("higher is better")
    return {
        "half": _("Half of the %(n)s similar factories are at or below %(median)s; yours is at %(value)s.")
        % {"n": p.n, "median": amount(p.median), "value": amount(m.value)},
        "worse": _("%(worse)s of the %(n)s similar factories do worse than yours (%(better)s).")
        % {"worse": worse, "n": p.n, "better": better},
        "typical": _("Half of the similar factories are between %(low)s and %(high)s.")
        % {"low": amount(p.q1), "high": amount(p.q3)}
        if amount(p.q1) != amount(p.q3)
        else _("Half of the similar factories are at %(value)s.") % {"value": amount(p.q1)},
        "worse_short": _("%(worse)s of %(n)s") % {"worse": worse, "n": p.n},
        "half_short": amount(p.median),
    }


@login_required
def benchmarks(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The facility's percentile on every metric among peers, which the facility may widen."""
    lang = page_lang(request)
    widen = _widen(request)
    found = services.get_benchmarks(facility_id, user=request.user, widen=widen)
    rows = [_benchmark_row(m, lang) for m in found.group.metrics] if found.group else []
    context = {
        "facility": found.facility,
        "group": found.group,
        "computed_at": found.computed_at,
        "rows": [r for r in rows if r["m"].metric.id in METRICS],
        "other_rows": [r for r in rows if r["m"].metric.id not in METRICS],
        "k": services.aggregate_k(),
        "widen": widen,
        "dimensions": [
            ("sector", _("Any sector")),
            ("region", _("Any minimum-wage region")),
            ("size", _("Any size")),
        ],
    }
    return render(request, "improvement/benchmarks.html", context)


@login_required
def solutions(request: HttpRequest) -> HttpResponse:
    """The catalogue of solutions by topic."""
    lang = page_lang(request)
    lib = library()
    topics = order_topics(sorted({s.topic for s in lib.solutions.values()}))
    topic = request.GET.get("topic", "")
    topic = topic if topic in topics else ""
    context = {
        "catalogue": {
            name: [
                {
                    "s": s,
                    "cost": money_range(*s.cost_vnd, lang),
                    "trainings": [
                        lib.trainings[t].title.get(lang) for t in s.trainings if t in lib.trainings
                    ],
                }
                for s in items
            ]
            for name, items in services.list_solutions(lang=lang, topic=topic).items()
        },
        "topics": [(t, lib.topics[t].name.get(lang) if t in lib.topics else t) for t in topics],
        "topic": topic,
        "lang": lang,
    }
    return render(request, "improvement/solutions.html", context)


def _signed(x: float | None, lang: Lang) -> str:
    return "–" if x is None else ("+" if x > 0 else "") + number(x, lang)


def _effect_row(i: Insight, lang: Lang) -> dict[str, Any]:
    e = i.effect
    unit = "%" if e.relative else unit_of(i.metric, lang)
    return {
        "label": i.metric.label.get(lang),
        "unit": unit,
        "e": e,
        "adopters": _signed(e.median_change_adopters, lang),
        "others": _signed(e.median_change_others, lang),
        "difference": _signed(e.difference, lang),
        "range": usual_range(e, unit, lang),
        "better": i.metric.better,
    }


@login_required
def solution(request: HttpRequest, solution_id: str) -> HttpResponse:
    """One solution: what it costs, where to learn it, and what changed where it was adopted."""
    lang = page_lang(request)
    detail = services.get_solution(solution_id, user=request.user, lang=lang)
    lib = library()
    context = {
        "detail": detail,
        "effects": [_effect_row(i, lang) for i in detail.insights],
        "s": detail.solution,
        "lang": lang,
        "cost": money_range(*detail.solution.cost_vnd, lang),
        "datapoints": [
            lib.datapoints[dp].label.get(lang) for dp in detail.solution.datapoints if dp in lib.datapoints
        ],
        "topic": lib.topics[detail.solution.topic].name.get(lang)
        if detail.solution.topic in lib.topics
        else "",
    }
    return render(request, "improvement/solution.html", context)


def _training_form(request: HttpRequest, data: Any = None) -> TrainingForm:
    lang, lib = page_lang(request), library()
    topics = sorted(((t.id, t.name.get(lang)) for t in lib.topics.values()), key=lambda t: t[1])
    resources = sorted(((t.id, t.title.get(lang)) for t in lib.trainings.values()), key=lambda t: t[1])
    return TrainingForm(data, topics=topics, resources=resources)


@login_required
def trainings(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The trainings a facility delivered; its editors record a new one here."""
    user, status = request.user, 200
    form = _training_form(request, request.POST or None)
    if request.method == "POST":
        facility_access.get_facility(facility_id, user, write=True)
        if form.is_valid():
            try:
                services.record_training(facility_id, user=user, **_clean(form.cleaned_data))
                return redirect("trainings", facility_id)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        status = 400
    context = {
        "facility": facility_access.get_facility(facility_id, user),
        "trainings": services.list_trainings(facility_id, user=user),
        "coverage": services.get_training_coverage(facility_id, user=user, lang=page_lang(request)),
        "topics": {t.id: t.name.get(page_lang(request)) for t in library().topics.values()},
        "form": form,
        "can_edit": _can_edit(request, facility_id),
    }
    return render(request, "improvement/trainings.html", context, status=status)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "others": data.get("others") or 0}
