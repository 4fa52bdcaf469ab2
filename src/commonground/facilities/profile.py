"""A facility's profile (sector, province, minimum-wage region, workers, processes), stored once.

The facts are the answers of the `facility.*` data points, one per period (decision 0025). The
facility row keeps a copy of the *current* profile — each fact's value in the latest period that
answers it — because the portfolio filters and sorts on it in SQL; only `refresh` writes that copy,
in the transaction that changed an answer. A facility that no period answers yet (one just created,
or created from a buyer's supplier list) has its profile in those columns only: that is the one
stored value, and the first period starts with it as its answers (`prefill`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from commonground.assessments.models import Answer, AnswerChange, Assessment
from commonground.facilities.models import Facility

# the facility column -> the data point that holds the fact per period
FACTS: dict[str, str] = {
    "sector": "facility.sector",
    "province": "facility.province",
    "minimum_wage_region": "facility.minimum_wage_region",
    "workers": "facility.workers_total",
    "processes": "facility.processes",
}
FIELD_OF = {dp: field for field, dp in FACTS.items()}
PREFILL_REASON = "facility profile"


def column_value(field: str, answer: Any) -> Any:
    """An answer as the facility column holds it ("" / 0 / [] for what the column cannot take)."""
    if field == "workers":
        return int(answer) if isinstance(answer, int | float) and not isinstance(answer, bool) else 0
    if field == "processes":
        return sorted(str(p) for p in answer) if isinstance(answer, list) else []
    return str(answer) if answer is not None else ""


def answer_value(field: str, column: Any) -> Any:
    """A facility column as an answer, or None when the column holds no fact (blank, or 0 workers)."""
    if field == "workers":
        return int(column) if column else None
    if field == "processes":
        return sorted(column) if column else None
    return column or None


def latest_answers(facility_ids: Iterable[int] | QuerySet[Any]) -> dict[int, dict[str, Any]]:
    """Facility id -> {column: the value of its latest period (newest end, then version) answering
    it}; drafts count, so what the factory types now is its current profile. One query."""
    rows = (
        Answer.objects.filter(assessment__facility_id__in=facility_ids, datapoint__in=FIELD_OF)
        .order_by("assessment__period_end", "assessment__version", "assessment_id")
        .values_list("assessment__facility_id", "datapoint", "value")
    )
    found: dict[int, dict[str, Any]] = {}
    for facility_id, datapoint, value in rows:  # later periods overwrite earlier ones
        field = FIELD_OF[datapoint]
        found.setdefault(facility_id, {})[field] = column_value(field, value)
    return found


def refresh(facility_ids: Iterable[int] | QuerySet[Any]) -> int:
    """Write each facility's current profile into its columns where it differs; returns how many
    facilities changed. Call it inside the transaction that changed an answer."""
    latest = latest_answers(facility_ids)
    changed = []
    for facility in Facility.objects.filter(pk__in=list(latest)).only("pk", *FACTS):
        fresh = {f: v for f, v in latest[facility.pk].items() if getattr(facility, f) != v}
        if fresh:
            for field, value in fresh.items():
                setattr(facility, field, value)
            facility.updated_at = timezone.now()  # the sector snapshots' fingerprint sees it
            changed.append(facility)
    if changed:
        Facility.objects.bulk_update(changed, [*FACTS, "updated_at"], batch_size=500)
    return len(changed)


def refresh_after(datapoints: Iterable[str], facility_id: int) -> None:
    """`refresh` for one facility when any of `datapoints` is a profile fact."""
    if any(dp in FIELD_OF for dp in datapoints):
        refresh([facility_id])


def current(facility: Facility) -> dict[str, Any]:
    """The facility's current profile (the maintained copy): column -> value."""
    return {field: getattr(facility, field) for field in FACTS}


def period_profile(values: Mapping[str, Any], facility: Facility) -> dict[str, Any]:
    """The profile of one period: its own answers (data point -> value), and the facility's current
    profile for a fact the period does not answer (an assessment from before the fact was asked)."""
    return {
        field: column_value(field, values[dp]) if values.get(dp) is not None else getattr(facility, field)
        for field, dp in FACTS.items()
    }


def answered(assessments: Sequence[Assessment], datapoint: str) -> dict[int, Any]:
    """Assessment id -> its answer of one data point, for many assessments (a bounded query per 5,000
    ids: SQLite takes at most 32,766 parameters)."""
    ids = [a.pk for a in assessments]
    found: dict[int, Any] = {}
    for start in range(0, len(ids), 5000):
        rows = Answer.objects.filter(assessment__in=ids[start : start + 5000], datapoint=datapoint)
        found.update(rows.values_list("assessment_id", "value"))
    return found


def period_answers(values: Mapping[str, Any], facility: Facility) -> dict[str, Any]:
    """`period_profile` as data point -> answer value, leaving out a fact neither the period nor the
    row holds (no sector typed, 0 workers), so a peer profile counts it unknown rather than small."""
    found: dict[str, Any] = {}
    for field, dp in FACTS.items():
        if values.get(dp) is not None:
            found[dp] = values[dp]
        elif (value := answer_value(field, getattr(facility, field))) is not None:
            found[dp] = value
    return found


def prefill(assessment: Assessment, *, user: Any) -> int:
    """The facility's first period starts with the profile entered on the facility form as its
    answers (recorded as changes); later periods copy forward from the previous one instead."""
    if Assessment.objects.filter(facility_id=assessment.facility_id).exclude(pk=assessment.pk).exists():
        return 0
    facility = Facility.objects.get(pk=assessment.facility_id)
    have = set(assessment.answers.values_list("datapoint", flat=True))
    values = {
        dp: value
        for field, dp in FACTS.items()
        if dp not in have and (value := answer_value(field, getattr(facility, field))) is not None
    }
    Answer.objects.bulk_create(
        Answer(assessment=assessment, datapoint=dp, value=v, source=PREFILL_REASON, updated_by=user)
        for dp, v in values.items()
    )
    AnswerChange.objects.bulk_create(
        AnswerChange(assessment=assessment, datapoint=dp, new_value=v, reason=PREFILL_REASON, changed_by=user)
        for dp, v in values.items()
    )
    return len(values)


def disagreements(facilities: QuerySet[Facility] | None = None) -> list[tuple[int, str, Any, Any]]:
    """(facility id, column, column value, latest answer) wherever the copy is not the truth."""
    rows = facilities if facilities is not None else Facility.objects.all()
    latest = latest_answers(rows.values("pk"))
    found = []
    for facility in rows.filter(pk__in=list(latest)).only("pk", *FACTS).order_by("pk"):
        for field, value in latest[facility.pk].items():
            if getattr(facility, field) != value:
                found.append((facility.pk, field, getattr(facility, field), value))
    return found
