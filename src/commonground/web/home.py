"""What each role's home page shows: reads only, bounded by the reader's own organisations.

- a factory's people: access requests waiting for a decision, actions due, assessments in progress;
- a buyer: its portfolio at a glance (the portfolio's own figures, read and logged as the portfolio);
- an authority or a civil-society organisation: the safe sector indicators of its province (the
  published, k-suppressed cells of the public aggregates) and the facilities that disclose by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from commonground.accounts import access
from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.actions.models import Action
from commonground.assessments.evaluations import frameworks_for
from commonground.assessments.models import Answer, Assessment
from commonground.core import actions as rules
from commonground.core.disclosure import Cell
from commonground.core.questionnaire import build_questionnaire
from commonground.facilities import access as facility_access
from commonground.facilities.models import Facility
from commonground.sharing.aggregates import OVERALL, AggregateTable, law_aggregates
from commonground.sharing.models import Grant

DUE_WITHIN_DAYS = 30  # actions due this soon are listed with the overdue ones
LISTED = 10  # rows per list; the page links to the full list beyond that
ACTIONS_LISTED = 5  # actions due are long to read on a phone: the most overdue few, then a count
IN_PROGRESS = ("draft", "returned")  # statuses in which the factory is still answering


# ---- the factory ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    assessment: Assessment
    answered: int
    questions: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.questions) if self.questions else 0


@dataclass(frozen=True)
class FactoryHome:
    requests: list[Grant]  # access requests waiting for a decision, oldest first
    requests_total: int
    overdue: list[Action]
    due_soon: list[Action]  # due today or within DUE_WITHIN_DAYS
    due_total: int
    in_progress: list[Progress]
    decides: frozenset[int]  # facilities whose requests the user may decide (admins and editors)


def factory_home(user: Any, *, today: dt.date | None = None) -> FactoryHome:
    """The user's own facilities only (every query goes through the access helper)."""
    facilities = facility_access.facilities_for(user)
    waiting = Grant.objects.filter(facility__in=facilities, status=Grant.Status.REQUESTED)
    due, overdue, soon = _actions_due(facilities, today or timezone.localdate())
    return FactoryHome(
        requests=list(waiting.select_related("facility", "grantee").order_by("created_at")[:LISTED]),
        requests_total=waiting.count(),
        overdue=overdue,
        due_soon=soon,
        due_total=due,
        in_progress=_in_progress(facilities),
        decides=frozenset(facility_access.facilities_for(user, write=True).values_list("pk", flat=True)),
    )


def _actions_due(facilities: QuerySet[Facility], today: dt.date) -> tuple[int, list[Action], list[Action]]:
    horizon = today + dt.timedelta(days=DUE_WITHIN_DAYS)
    rows = Action.objects.filter(facility__in=facilities, status__in=rules.PENDING, due_date__lte=horizon)
    listed = list(rows.select_related("facility").order_by("due_date", "id")[:ACTIONS_LISTED])
    overdue = [a for a in listed if a.due_date < today]
    return rows.count(), overdue, [a for a in listed if a.due_date >= today]


def _in_progress(facilities: QuerySet[Facility]) -> list[Progress]:
    """Assessments still being answered, with how many of their questions have an answer."""
    found = list(
        Assessment.objects.filter(facility__in=facilities, status__in=IN_PROGRESS)
        .select_related("facility")
        .order_by("-period_end", "facility__name")[:LISTED]
    )
    answered: dict[int, set[str]] = {a.pk: set() for a in found}
    rows = Answer.objects.filter(assessment__in=found).values_list("assessment_id", "datapoint")
    for pk, datapoint in rows:
        answered[pk].add(datapoint)
    facilities_found = {a.facility_id: a.facility for a in found}
    asked = {pk: _questions(facility) for pk, facility in facilities_found.items()}
    return [Progress(a, len(answered[a.pk] & asked[a.facility_id]), len(asked[a.facility_id])) for a in found]


def _questions(facility: Facility) -> set[str]:
    """The data points the facility's questionnaire asks (its buyers' frameworks and the law)."""
    return {q.datapoint.id for q in build_questionnaire(library(), frameworks_for(facility)).questions}


# ---- the buyer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuyerHome:
    buyer: Organisation
    suppliers: int  # suppliers sharing with the buyer now
    zero_tolerance: int  # zero-tolerance findings across them
    with_zero_tolerance: int  # suppliers with at least one
    overdue: int  # overdue actions the buyer may see
    requests_pending: int  # the buyer's access requests not decided yet


def buyer_home(user: Any) -> BuyerHome:
    """The portfolio's own figures (one portfolio read, logged like the portfolio page): its queries
    do not grow with the number of suppliers, and nothing of the sector is evaluated here."""
    from commonground.sharing.portfolio import build_portfolio

    portfolio = build_portfolio(user)
    rows = portfolio.suppliers
    pending = Grant.objects.filter(grantee=portfolio.buyer, status=Grant.Status.REQUESTED)
    return BuyerHome(
        buyer=portfolio.buyer,
        suppliers=len(rows),
        zero_tolerance=sum(len(r.zero_tolerance) for r in rows),
        with_zero_tolerance=len(portfolio.with_zero_tolerance),
        overdue=sum(r.overdue or 0 for r in rows),
        requests_pending=pending.values("facility").distinct().count(),
    )


# ---- authorities and civil society ----------------------------------------------------------------


@dataclass(frozen=True)
class YearFigure:
    year: int
    facilities: int
    not_met: float | None  # share of decided Labour Code requirements not met (mean over facilities)
    change: float | None  # since the previous published year

    @property
    def points(self) -> int:
        """The change in percentage points, without its sign."""
        return abs(round(100 * self.change)) if self.change is not None else 0


@dataclass(frozen=True)
class SectorFigure:
    sector: str
    label: str
    facilities: int
    not_met: float | None


@dataclass(frozen=True)
class ProvinceHome:
    organisation: Organisation
    province: str
    k: int
    years: list[YearFigure]  # the province, all sectors, latest year first
    sectors: list[SectorFigure]  # the province's sectors in the latest published year
    top: list[tuple[float, str]]  # the requirements most often not met in the latest year
    hidden: int  # groups of the province not shown because they hold fewer than k facilities
    public: list[Facility]  # facilities that publish selected results by name, the province's first


def province_home(user: Any, lang: str) -> ProvinceHome | None:
    """The first authority or civil-society organisation of the user, and its province's figures."""
    kinds = (Organisation.Kind.AUTHORITY, Organisation.Kind.CSO)
    organisation = access.organisations_of(user).filter(kind__in=kinds).order_by("pk").first()
    if organisation is None:
        return None
    table = _aggregates("vi" if lang == "vi" else "en")
    cells = [c for c in table.cells if c.key[0] == organisation.province] if organisation.province else []
    published = [c for c in cells if c.published]
    years = sorted((c for c in published if c.key[1] is None and c.key[2]), key=lambda c: -int(c.key[2]))
    latest = years[0] if years else None
    return ProvinceHome(
        organisation=organisation,
        province=organisation.province,
        k=table.k,
        years=[
            YearFigure(c.key[2], c.facilities, c.values.get(OVERALL), table.change(c, OVERALL)) for c in years
        ],
        sectors=_sectors(published, latest),
        top=_top(table, latest),
        hidden=sum(1 for c in cells if not c.published),
        public=_public(organisation.province),
    )


def _sectors(published: list[Cell], latest: Cell | None) -> list[SectorFigure]:
    if latest is None:
        return []
    rows = [c for c in published if c.key[1] is not None and c.key[2] == latest.key[2]]
    return [
        SectorFigure(c.key[1], _sector_label(c.key[1]), c.facilities, c.values.get(OVERALL))
        for c in sorted(rows, key=lambda c: -c.facilities)
    ]


def _sector_label(sector: str) -> str:
    return str(Facility.Sector(sector).label) if sector in Facility.Sector.values else sector


def _top(table: AggregateTable, latest: Cell | None) -> list[tuple[float, str]]:
    if latest is None:
        return []
    rates = [(rate, table.requirements[r]) for r, rate in latest.values.items() if r in table.requirements]
    return sorted((r for r in rates if r[0] > 0), reverse=True)[:3]


def _public(province: str) -> list[Facility]:
    """Facilities that chose to publish by name and have a verified assessment to publish: those of
    the province first."""
    verified = Assessment.objects.filter(status=Assessment.Status.VERIFIED).values("facility")
    rows = Facility.objects.filter(public_disclosure=True, pk__in=verified).order_by("name")
    return sorted(rows[: LISTED * 5], key=lambda f: f.province != province)[:LISTED]


def _aggregates(lang: str) -> AggregateTable:
    """The public aggregates, from the newest sector snapshot (a home page never scans the sector)."""
    return law_aggregates(lang)
