"""Facility use cases: what a facility must answer, and the burden that saves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from commonground.accounts import access
from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.assessments.evaluations import frameworks_for
from commonground.assessments.models import Assessment
from commonground.assessments.services import AnswerRefused, checked_value, store_answer
from commonground.core import regions
from commonground.core.errors import Lang
from commonground.core.i18n import gettext
from commonground.core.questionnaire import Questionnaire, build_questionnaire
from commonground.facilities import access as facility_access
from commonground.facilities import profile
from commonground.facilities.models import Facility, SupplyLink
from commonground.facilities.signals import facility_created


@dataclass(frozen=True)
class FacilityBurden:
    buyers: int
    questionnaire: Questionnaire

    def sentence(self, lang: str) -> str:
        b = self.questionnaire.burden
        text = gettext(
            "Your {buyers} buyers' frameworks, with Vietnamese law, contain {requirements} requirements; "
            "you answer {asked} data points.",
            "vi" if lang == "vi" else "en",
        )
        return text.format(buyers=self.buyers, requirements=b.requirements, asked=b.datapoints_asked)


def get_facility_burden(facility_id: int, *, user: Any) -> FacilityBurden:
    """The facility's questionnaire: the union of its buyers' frameworks and the law, each fact once."""
    return facility_burden(facility_access.get_facility(facility_id, user))


def facility_burden(facility: Facility) -> FacilityBurden:
    """The burden of a facility the caller has already been allowed to see."""
    buyers = SupplyLink.objects.filter(facility=facility).values("buyer").distinct().count()
    return FacilityBurden(buyers, build_questionnaire(library(), frameworks_for(facility)))


def derive_region(province: str, locality: str, on: dt.date) -> str:
    """The minimum-wage region for a location, or "" when it cannot be told.

    Without a commune or ward the province's "remaining units" region would be a guess (and the
    lowest one), so no region is derived: the facility answers it instead.
    """
    if not locality.strip():
        return ""
    try:
        match = regions.region_for(province, locality, on)
    except regions.AmbiguousLocalityError:
        return ""
    return match.region if match else ""


def owners_for_new_facility(user: Any) -> QuerySet[Organisation]:
    """The factory groups the user may add a facility to (with an editing role), oldest first."""
    editable = access.organisations_of(user, write=True)
    return editable.filter(kind=Organisation.Kind.FACTORY_GROUP).order_by("pk")


PROFILE_LOCKED = _(
    "This is answered in a submitted or verified assessment: change it in a new version of that "
    "assessment or in the next period."
)


def save_facility(
    facility_id: int | None,
    data: dict[str, Any],
    *,
    user: Any,
    owner_id: int | None = None,
    on: dt.date | None = None,
) -> Facility:
    """Create a facility for a factory group the user edits for (`owner_id`, or the first; 404 when
    none), its profile stored on it until a period answers it and its minimum-wage region derived
    from its commune on `on` (today) unless given; or change a facility the user may change: the
    identity on the row, the profile through `set_profile`. One transaction; the page, the API and
    the demo call this same function."""
    data = dict(data)
    facts = {field: data.pop(field) for field in profile.FACTS if field in data}
    with transaction.atomic():
        if facility_id is None:
            return _create(data, facts, user=user, owner_id=owner_id, on=on)
        facility = facility_access.get_facility(facility_id, user, write=True)
        stored = Facility.objects.select_for_update().get(pk=facility.pk)  # not a caller's copy
        for field, value in data.items():
            setattr(stored, field, value)
        stored.save(update_fields=[*data, "updated_at"])
        set_profile(stored, facts, user=user)
    return stored


def _create(
    data: dict[str, Any], facts: dict[str, Any], *, user: Any, owner_id: int | None, on: dt.date | None
) -> Facility:
    owners = owners_for_new_facility(user)
    owner = (owners.filter(pk=owner_id) if owner_id is not None else owners).first()
    if owner is None:
        raise Http404
    given = {**data, **facts}
    if "minimum_wage_region" not in given:
        region = derive_region(given.get("province", ""), given.get("locality", ""), on or dt.date.today())
        facts["minimum_wage_region"] = region
    created = Facility(owner=owner, **data, **facts)
    created.save()
    facility_created.send(sender=Facility, facility=created, user=user)
    return created


def set_profile(facility: Facility, values: dict[str, Any], *, user: Any) -> None:
    """Change profile facts from the facility form (decision 0025). A fact some period answers is
    changed as the answer of the latest assessment, which must still be open to the factory; a fact
    no period answers yet lives on the facility row, or becomes the open latest period's answer.
    Refused, naming each field, when a submitted or verified period holds it."""
    changed = {f: v for f, v in values.items() if getattr(facility, f) != v}
    if not changed:
        return
    latest = Assessment.objects.filter(facility=facility).order_by("-period_end", "-version").first()
    answered = profile.latest_answers([facility.pk]).get(facility.pk, {})
    open_latest = latest is not None and latest.open_to_factory
    refused = [f for f in changed if f in answered and not open_latest]
    if refused:
        raise ValidationError({f: PROFILE_LOCKED for f in refused})
    with transaction.atomic():
        for field, value in changed.items():
            if open_latest and latest is not None:
                dp = profile.FACTS[field]
                raw = profile.answer_value(field, value)
                try:
                    stored = None if raw is None else checked_value(dp, raw, None)
                except AnswerRefused as exc:
                    lang: Lang = "vi" if (translation.get_language() or "").startswith("vi") else "en"
                    raise ValidationError({field: exc.problem.message(lang)}) from None
                store_answer(latest, dp, stored, user=user, reason=profile.PREFILL_REASON)
        answered = profile.latest_answers([facility.pk]).get(facility.pk, {})
        rest = {f: v for f, v in changed.items() if f not in answered}  # the row is their one store
        if rest:
            Facility.objects.filter(pk=facility.pk).update(**rest, updated_at=timezone.now())
        facility.refresh_from_db(fields=[*profile.FACTS, "updated_at"])
