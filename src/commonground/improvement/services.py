"""Improvement use cases, one function each, called by pages and the API alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.library import library
from commonground.actions import services as action_services
from commonground.actions.models import Adoption
from commonground.assessments.evaluations import LAW, core_assessment, frameworks_for
from commonground.assessments.services import buyers_by_framework
from commonground.core.benchmarks import DIMENSIONS
from commonground.core.engine import Engine, Evaluation
from commonground.core.errors import Lang
from commonground.core.metrics import BASES, all_metrics
from commonground.core.priorities import Priority, positions_by_datapoint, rank, reason_text
from commonground.core.report import value_text
from commonground.core.solutions import Solution, TrainingResource, solutions_for, trainings_for
from commonground.facilities import access as facility_access
from commonground.facilities.models import Facility
from commonground.improvement import peer_insights, sector
from commonground.improvement.benchmarking import PeerGroup, peer_group, percentiles
from commonground.improvement.models import Training
from commonground.improvement.peer_insights import Insight
from commonground.improvement.trends import (
    FrameworkTrend,
    MetricTrend,
    Period,
    choose_periods,
    evaluate_periods,
    framework_trends,
    metric_trends,
)


@dataclass(frozen=True)
class Trends:
    facility: Facility
    periods: list[Period]
    frameworks: list[FrameworkTrend]
    metrics: list[MetricTrend]


def get_trends(facility_id: int, *, user: Any, lang: Lang = "en") -> Trends:
    """Levels per section, scores and compliance rates of every framework the facility answers to,
    and its key metrics, for each of its periods (the latest verified version, else the latest version)."""
    facility = facility_access.get_facility(facility_id, user)
    periods = choose_periods(facility)
    if not periods:
        return Trends(facility, [], [], [])
    lib = library()
    many = evaluate_periods(lib, periods, frameworks_for(facility))
    return Trends(facility, periods, framework_trends(many, lang), metric_trends(lib, many, lang))


def latest_evaluation(facility: Facility) -> tuple[Period, Evaluation] | None:
    """The facility's most recent period, evaluated (for a facility the caller may see)."""
    periods = choose_periods(facility)
    if not periods:
        return None
    period = periods[-1]
    engine = Engine(library(), frameworks_for(facility))
    return period, engine.evaluate(core_assessment(period.assessment))


# ---- trainings ------------------------------------------------------------------------------------

COVERAGE_DAYS = 365
MAX_PARTICIPANTS = 100_000
LIMITS = {"title": 200, "provider": 200, "note": 2000, "topic": 60, "resource_id": 100}


@dataclass(frozen=True)
class Coverage:
    """One finding of the latest period and the trainings on it in the last 12 months."""

    datapoint: str
    label: str
    topic: str
    trainings: list[Training]  # delivered on the finding's topic or with a resource about its fact
    resources: list[TrainingResource]  # what the library offers on it


@dataclass(frozen=True)
class TrainingCoverage:
    period: Period | None
    since: dt.date
    findings: list[Coverage]

    @property
    def covered(self) -> list[Coverage]:
        return [c for c in self.findings if c.trainings]

    @property
    def uncovered(self) -> list[Coverage]:
        return [c for c in self.findings if not c.trainings]


def _covers(training: Training, datapoint: str, lib: Any) -> bool:
    resource = lib.trainings.get(training.resource_id)
    return training.topic == datapoint.split(".", 1)[0] or (
        resource is not None and datapoint in resource.datapoints
    )


def get_training_coverage(facility_id: int, *, user: Any, lang: Lang = "en") -> TrainingCoverage:
    """Which findings of the latest period had a training on their topic or fact in the last 12
    months, and which did not (with the library's resources for each)."""
    facility = facility_access.get_facility(facility_id, user)
    since = timezone.localdate() - dt.timedelta(days=COVERAGE_DAYS)
    latest = latest_evaluation(facility)
    if latest is None:
        return TrainingCoverage(None, since, [])
    period, evaluation = latest
    lib = library()
    recent = list(facility.trainings.filter(delivered_on__gte=since))
    rows = [
        Coverage(
            f.datapoint,
            lib.datapoints[f.datapoint].label.get(lang),
            f.datapoint.split(".", 1)[0],
            [t for t in recent if _covers(t, f.datapoint, lib)],
            trainings_for(lib, f.datapoint),
        )
        for f in evaluation.findings
    ]
    return TrainingCoverage(period, since, rows)


def list_trainings(facility_id: int, *, user: Any) -> list[Training]:
    facility = facility_access.get_facility(facility_id, user)
    return list(facility.trainings.all())


def _training_problems(fields: dict[str, Any]) -> dict[str, str]:
    lib, problems = library(), {}
    if fields["topic"] not in lib.topics:
        problems["topic"] = _("Choose a topic from the list.")
    if fields["resource_id"] and fields["resource_id"] not in lib.trainings:
        problems["resource_id"] = _("Choose a training resource from the list, or none.")
    if not str(fields["title"]).strip():
        problems["title"] = _("Give the training a title.")
    for name, limit in LIMITS.items():
        if len(str(fields.get(name, ""))) > limit:
            problems[name] = _("At most %(n)s characters.") % {"n": limit}
    if fields["delivered_on"] > timezone.localdate():
        problems["delivered_on"] = _("The date cannot be in the future.")
    counts = [fields[k] for k in ("women", "men", "others")]
    if any(c < 0 for c in counts):
        problems["women"] = _("Participants cannot be negative.")
    elif any(c > MAX_PARTICIPANTS for c in counts):
        problems["women"] = _("At most %(n)s participants per group.") % {"n": MAX_PARTICIPANTS}
    elif sum(counts) == 0:
        problems["women"] = _("Count at least one participant.")
    return problems


def record_training(
    facility_id: int,
    *,
    user: Any,
    topic: str,
    title: str,
    delivered_on: dt.date,
    women: int,
    men: int,
    others: int = 0,
    resource_id: str = "",
    provider: str = "",
    note: str = "",
) -> Training:
    """Record a training delivered at the facility; refused field by field, nothing half-saved."""
    facility = facility_access.get_facility(facility_id, user, write=True)
    fields = {
        "topic": topic,
        "title": title,
        "delivered_on": delivered_on,
        "women": women,
        "men": men,
        "others": others,
        "resource_id": resource_id,
        "provider": provider,
        "note": note,
    }
    problems = _training_problems(fields)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return Training.objects.create(
            facility=facility,
            recorded_by=user,
            **{**fields, "title": title.strip(), "provider": provider.strip(), "note": note.strip()},
        )


def aggregate_k() -> int:
    return int(getattr(settings, "AGGREGATE_K", 5))


# ---- benchmarks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmarks:
    facility: Facility
    group: PeerGroup | None  # None: no verified assessment to compare yet
    computed_at: dt.datetime | None = None  # when the sector's figures were last computed


def _latest_verified_year(facility: Facility) -> int | None:
    ends = (
        facility.assessments.filter(status="verified")
        .order_by("-period_end")
        .values_list("period_end", flat=True)
    )
    first = ends.first()
    return first.year if first else None


def _group(facility: Facility, widen: frozenset[str]) -> tuple[PeerGroup | None, dt.datetime | None]:
    year = _latest_verified_year(facility)
    if year is None:
        return None, None
    rows = sector.verified_rows(year)
    index = rows.index_of(facility.pk, year)
    if index is None:
        return None, rows.computed_at
    return peer_group(library(), rows, index, year, widen, aggregate_k()), rows.computed_at


def get_benchmarks(facility_id: int, *, user: Any, widen: frozenset[str] = frozenset()) -> Benchmarks:
    """The facility's position on every metric among peers of its sector, minimum-wage region and
    size band (the year of its latest verified assessment), less the dimensions it widens."""
    facility = facility_access.get_facility(facility_id, user)
    unknown = widen - set(DIMENSIONS)
    if unknown:
        raise ValidationError(
            {"widen": _("Unknown peer dimension: %(name)s") % {"name": ", ".join(sorted(unknown))}}
        )
    return Benchmarks(facility, *_group(facility, widen))


# ---- what to fix first ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityRow:
    priority: Priority
    label: str
    value: str
    reasons: list[str]
    trainings: list[TrainingResource]


@dataclass(frozen=True)
class Priorities:
    facility: Facility
    period: Period | None
    rows: list[PriorityRow]


def _ranked(facility: Facility, evaluation: Evaluation) -> list[Priority]:
    lib = library()
    group, _ = _group(facility, frozenset())
    volumes = frozenset(dp for dp, _per, _words in BASES.values())
    found = percentiles(group) if group else {}
    positions = positions_by_datapoint(found, all_metrics(lib), skip=lib.context | volumes)
    return rank(
        evaluation.findings,
        law=set(LAW),
        buyers_by_framework=buyers_by_framework(facility),
        positions=positions,
        solutions={f.datapoint: solutions_for(lib, f.datapoint) for f in evaluation.findings},
        names={fid: f.spec.name for fid, f in lib.frameworks.items()},
    )


def get_priorities(facility_id: int, *, user: Any, lang: Lang = "en") -> Priorities:
    """The findings of the facility's most recent period, ranked, with the reasons for each rank."""
    facility = facility_access.get_facility(facility_id, user)
    latest = latest_evaluation(facility)
    if latest is None:
        return Priorities(facility, None, [])
    period, evaluation = latest
    lib, values = library(), evaluation.assessment.values
    rows = [
        PriorityRow(
            p,
            lib.datapoints[p.datapoint].label.get(lang),
            value_text(values.get(p.datapoint), lib.datapoints[p.datapoint], lang),
            [reason_text(r, lang) for r in p.reasons],
            trainings_for(lib, p.datapoint),
        )
        for p in _ranked(facility, evaluation)
    ]
    return Priorities(facility, period, rows)


# ---- solutions and peer insights ------------------------------------------------------------------


def list_solutions(*, lang: Lang = "en", topic: str = "") -> dict[str, list[Solution]]:
    """The catalogue by topic (the topic's name in the reader's language), easiest first."""
    lib, out = library(), dict[str, list[Solution]]()
    for s in sorted(lib.solutions.values(), key=lambda s: (s.topic, *s.effort, s.id)):
        if topic and s.topic != topic:
            continue
        header = lib.topics.get(s.topic)
        out.setdefault(header.name.get(lang) if header else s.topic, []).append(s)
    return out


@dataclass(frozen=True)
class SolutionDetail:
    solution: Solution
    trainings: list[TrainingResource]
    adopters: int
    insights: list[Insight]
    k: int


def get_solution(solution_id: str, *, user: Any, lang: Lang = "en") -> SolutionDetail:
    """A solution, its trainings, how many facilities adopted it and what changed at them against
    similar non-adopters (suppressed under k)."""
    lib = library()
    if not user.is_authenticated or solution_id not in lib.solutions:
        raise Http404
    solution, k = lib.solutions[solution_id], aggregate_k()
    found = peer_insights.sector_effects(solution_id=solution_id)
    trainings = [lib.trainings[t] for t in solution.trainings if t in lib.trainings]
    return SolutionDetail(
        solution, trainings, peer_insights.adopters(solution_id), peer_insights.described(lib, found, lang), k
    )


def get_peer_insights(facility_id: int, *, user: Any, lang: Lang = "en") -> list[Insight]:
    """ "Factories like yours that did X saw Y": effects among adopters of the facility's sector and
    size band that moved the metric the right way, shown ones only."""
    facility = facility_access.get_facility(facility_id, user)
    lib = library()
    found = peer_insights.sector_effects(like=facility.pk)
    shown = [i for i in peer_insights.described(lib, found, lang) if i.sentence and peer_insights.helped(i)]
    return sorted(shown, key=lambda i: -abs(i.effect.difference or 0.0))


def list_adoptions(facility_id: int, *, user: Any) -> list[Adoption]:
    facility = facility_access.get_facility(facility_id, user)
    return list(facility.adoptions.all())


def record_adoption(
    facility_id: int, solution_id: str, *, user: Any, adopted_on: dt.date, note: str = ""
) -> Adoption:
    """The facility records a solution it adopted directly (the actions area keeps adoptions)."""
    return action_services.record_adoption(
        facility_id, solution_id, user=user, adopted_on=adopted_on, note=note
    )
