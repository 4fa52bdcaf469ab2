"""Improvement use cases, one function each, called by pages and the API alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts import access
from commonground.assessments.services import core_assessment, frameworks_for, library
from commonground.core.engine import Engine, Evaluation
from commonground.core.errors import Lang
from commonground.facilities.models import Facility
from commonground.improvement.models import Training
from commonground.improvement.trends import FrameworkTrend, Period, choose_periods, evaluate_periods
from commonground.improvement.trends import framework_trends as _framework_trends


@dataclass(frozen=True)
class Trends:
    facility: Facility
    periods: list[Period]
    frameworks: list[FrameworkTrend]


def get_trends(facility_id: int, *, user: Any, lang: Lang = "en") -> Trends:
    """Levels per section, scores and compliance rates of every framework the facility answers to,
    for each of its periods (the latest verified version, else the latest version)."""
    facility = access.get_facility(facility_id, user)
    periods = choose_periods(facility)
    if not periods:
        return Trends(facility, [], [])
    many = evaluate_periods(library(), periods, frameworks_for(facility))
    return Trends(facility, periods, _framework_trends(many, lang))


def latest_evaluation(facility: Facility) -> tuple[Period, Evaluation] | None:
    """The facility's most recent period, evaluated (for a facility the caller may see)."""
    periods = choose_periods(facility)
    if not periods:
        return None
    period = periods[-1]
    engine = Engine(library(), frameworks_for(facility))
    return period, engine.evaluate(core_assessment(period.assessment))


# ---- trainings ------------------------------------------------------------------------------------


def list_trainings(facility_id: int, *, user: Any) -> list[Training]:
    facility = access.get_facility(facility_id, user)
    return list(facility.trainings.all())


def _training_problems(fields: dict[str, Any]) -> dict[str, str]:
    lib, problems = library(), {}
    if fields["topic"] not in lib.topics:
        problems["topic"] = _("Choose a topic from the list.")
    if not str(fields["title"]).strip():
        problems["title"] = _("Give the training a title.")
    if fields["delivered_on"] > timezone.localdate():
        problems["delivered_on"] = _("The date cannot be in the future.")
    counts = [fields[k] for k in ("women", "men", "others")]
    if any(c < 0 for c in counts):
        problems["women"] = _("Participants cannot be negative.")
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
    facility = access.get_facility(facility_id, user, write=True)
    fields = {
        "topic": topic,
        "title": title,
        "delivered_on": delivered_on,
        "women": women,
        "men": men,
        "others": others,
    }
    problems = _training_problems(fields)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return Training.objects.create(
            facility=facility,
            resource_id=resource_id,
            provider=provider.strip(),
            note=note.strip(),
            recorded_by=user,
            **{**fields, "title": title.strip()},
        )
