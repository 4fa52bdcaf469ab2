"""Two records of the same factory made one (issue 14 point 5, decision 0040): everything of the
merged facility moves to the kept one in one transaction, all or nothing; the merged row stays,
marked merged, its id an alias of the kept facility and its access log untouched (decisions 0006,
0023: the log is never rewritten; the kept facility's log shows both). In `sharing` because grants,
consent given by the owner, move with it; what higher apps hold moves on `facility_merged`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from commonground.accounts.access import administered, organisations_of
from commonground.assessments.models import Assessment
from commonground.common.ids import MAX_ID
from commonground.core import identity, merging
from commonground.core.errors import Lang
from commonground.core.i18n import gettext, gettext_noop
from commonground.facilities import access as facility_access
from commonground.facilities import profile
from commonground.facilities.models import Facility, SupplyLink
from commonground.facilities.signals import facility_merged
from commonground.sharing import supplier_matching
from commonground.sharing.models import Grant, SupplierInvitation, SupplierRow

REFUSALS = {
    "same": gettext_noop("A facility cannot be merged into itself."),
    "merged": gettext_noop("{name} was already merged into facility {into} on {date}."),
    "other_owner": gettext_noop(
        "{name} belongs to {owner}, which you do not administer: ask an administrator of {owner} to "
        "merge it, or one who administers both groups."
    ),
    "periods": gettext_noop(
        "Both facilities have an assessment for overlapping periods ({periods}): a person must settle "
        "each pair first (keep one of the two), then merge."
    ),
    "identifier": gettext_noop(
        "The two facilities have different {what} ({kept} and {merged}): they may not be the same "
        "factory. Correct the wrong one first, then merge."
    ),
}
MOVES = {
    "assessments": _("Assessments (with their answers, evidence and history)"),
    "supply_links": _("Buyers supplied (a buyer already linked to this facility is not counted twice)"),
    "grants": _("Grants and requests of access (a request also waiting here is not moved twice)"),
    "actions": _("Actions of the action plan (with findings, comments and evidence)"),
    "adoptions": _("Solutions adopted"),
    "trainings": _("Trainings"),
}
IDENTIFIERS = {"os_id": gettext_noop("Open Supply Hub IDs"), "tax_code": gettext_noop("tax codes")}


class MergeRefused(Exception):
    """Why two facilities cannot be merged now; nothing was changed."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, language: str = "en") -> str:
        lang: Lang = "vi" if language == "vi" else "en"
        params = dict(self.params)
        if "what" in params:
            params["what"] = gettext(params["what"], lang)
        if "periods" in params:
            params["periods"] = "; ".join(
                f"{_period(k, lang)} / {_period(m, lang)}" for k, m in params["periods"]
            )
        if "date" in params:
            params["date"] = _date(params["date"], lang)
        return gettext(REFUSALS[self.code], lang).format(**params)


def _date(day: Any, lang: Lang) -> str:
    """A day as the reader writes it (decision 0012)."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    with translation.override(lang):
        return str(formats.date_format(day, "SHORT_DATE_FORMAT"))


def _period(period: merging.Period, lang: Lang) -> str:
    return f"{_date(period[0], lang)}–{_date(period[1], lang)}"


@dataclass
class MergePlan:
    """What a merge moves (a count per kind of row) and the identifiers the kept facility takes."""

    kept: Facility
    merged: Facility
    moves: dict[str, int] = field(default_factory=dict)
    takes: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[tuple[str, int]]:
        """What moves, in the reader's language, with how many."""
        return [(str(MOVES[kind]), n) for kind, n in self.moves.items()]


def merge_candidates(kept_id: int, *, user: Any) -> QuerySet[Facility]:
    """The other facilities the user could merge into this one: of the groups they administer."""
    kept = _kept(kept_id, user)
    found = Facility.objects.filter(owner__in=administered(user), merged_into__isnull=True)
    return found.exclude(pk=kept.pk).select_related("owner").order_by("name", "pk")


def likely_duplicates(kept_id: int, candidates: QuerySet[Facility], *, user: Any) -> dict[int, float]:
    """The candidates the identity matcher takes for the same factory (decision 0027): id -> score."""
    return supplier_matching.likely_duplicates(_kept(kept_id, user), candidates)


def plan_merge(kept_id: int, merged_id: int, *, user: Any) -> MergePlan:
    """What merging `merged_id` into `kept_id` would move; MergeRefused when it cannot be done,
    404 when the user does not administer the kept facility's group or cannot see the other."""
    kept = _kept(kept_id, user)
    merged = _merged(merged_id, kept, user)
    return _plan(kept, merged)


def merge_facilities(kept_id: int, merged_id: int, *, user: Any) -> MergePlan:
    """Merge `merged_id` into `kept_id` (an alias is followed to its final facility): the checks of
    `plan_merge`, then every row moved and the merged row marked, in one transaction."""
    with transaction.atomic():
        kept = _kept(kept_id, user)
        _merged(merged_id, kept, user)  # 404 or refused before any lock
        rows = Facility.objects.select_for_update().filter(pk__in=[kept.pk, merged_id]).order_by("pk")
        locked = {f.pk: f for f in rows}
        if locked[kept.pk].merged_into_id is not None:  # merged meanwhile, by someone else
            raise MergeRefused(
                "merged", name=kept.name, into=locked[kept.pk].merged_into_id, date=timezone.now()
            )
        plan = _plan(locked[kept.pk], _merged(merged_id, locked[kept.pk], user, row=locked.get(merged_id)))
        _move(plan, user)
    return plan


def kept_facility(kept_id: int, *, user: Any) -> Facility:
    """The facility a duplicate would be merged into: the final one of an alias, of a group the user
    administers (404 otherwise)."""
    return _kept(kept_id, user)


def _kept(kept_id: int, user: Any) -> Facility:
    if not 0 < kept_id <= MAX_ID:
        raise Http404
    final = facility_access.final_facility_id(kept_id) or kept_id
    kept = Facility.objects.filter(pk=final, merged_into__isnull=True, owner__in=administered(user)).first()
    if kept is None:
        raise Http404
    return kept


def _merged(merged_id: int, kept: Facility, user: Any, row: Facility | None = None) -> Facility:
    if not 0 < merged_id <= MAX_ID:
        raise Http404
    merged = row or Facility.objects.select_related("owner").filter(pk=merged_id).first()
    if merged is None or not organisations_of(user).filter(pk=merged.owner_id).exists():
        raise Http404
    if merged.pk == kept.pk:
        raise MergeRefused("same")
    if merged.merged_into_id is not None:
        raise MergeRefused(
            "merged", name=merged.name, into=merged.merged_into_id, date=merged.merged_at or timezone.now()
        )
    if not administered(user).filter(pk=merged.owner_id).exists():
        raise MergeRefused("other_owner", name=merged.name, owner=merged.owner.name)
    return merged


def _plan(kept: Facility, merged: Facility) -> MergePlan:
    periods = merging.overlapping(_periods(kept), _periods(merged))
    if periods:
        raise MergeRefused("periods", periods=periods)
    plan = MergePlan(kept, merged)
    for name, compact in (("os_id", identity.os_id), ("tax_code", identity.tax_code)):
        taken = merging.merged_identifier(getattr(kept, name), getattr(merged, name), compact)
        if taken.conflict:
            raise MergeRefused(
                "identifier", what=IDENTIFIERS[name], kept=getattr(kept, name), merged=getattr(merged, name)
            )
        if taken.value != getattr(kept, name):
            plan.takes[name] = taken.value
    plan.moves = {
        "assessments": merged.assessments.count(),
        "supply_links": merged.supply_links.exclude(buyer__in=kept.supply_links.values("buyer")).count(),
        "grants": _grants_to_move(kept, merged).count(),
        "actions": merged.actions.count(),
        "adoptions": merged.adoptions.count(),
        "trainings": merged.trainings.count(),
    }
    return plan


def _periods(facility: Facility) -> list[merging.Period]:
    return list(Assessment.objects.filter(facility=facility).values_list("period_start", "period_end"))


def _grants_to_move(kept: Facility, merged: Facility) -> QuerySet[Grant]:
    """Every grant of the merged facility but a request that the same organisation also waits on at
    the kept one (a request is not yet consent: the duplicate is dropped; grants given stay, each with
    its own terms and expiry, and the reads logged under them)."""
    waiting = Grant.objects.filter(facility=kept, status=Grant.Status.REQUESTED).values("grantee")
    duplicate = Grant.objects.filter(facility=merged, status=Grant.Status.REQUESTED, grantee__in=waiting)
    return Grant.objects.filter(facility=merged).exclude(pk__in=duplicate.values("pk"))


def _move(plan: MergePlan, user: Any) -> None:
    kept, merged, now = plan.kept, plan.merged, timezone.now()
    Assessment.objects.filter(facility=merged).update(facility=kept)
    moved_grants = list(_grants_to_move(kept, merged).values_list("pk", flat=True))
    Grant.objects.filter(facility=merged).exclude(pk__in=moved_grants).delete()  # duplicate requests
    Grant.objects.filter(pk__in=moved_grants).update(facility=kept)
    SupplyLink.objects.filter(facility=merged, buyer__in=kept.supply_links.values("buyer")).delete()
    SupplyLink.objects.filter(facility=merged).update(facility=kept)
    SupplierInvitation.objects.filter(facility=merged).update(facility=kept)
    SupplierRow.objects.filter(facility=merged).update(facility=kept)
    facility_merged.send(sender=Facility, kept=kept, merged=merged, user=user)
    Facility.objects.filter(pk=kept.pk).update(**plan.takes, updated_at=now)  # snapshots see it
    Facility.objects.filter(pk=merged.pk).update(
        merged_into=kept, merged_at=now, merged_by=user, updated_at=now
    )
    profile.refresh([kept.pk])  # its profile now follows the latest period of both
    kept.refresh_from_db()
    merged.refresh_from_db()
