"""A buyer's portfolio: the suppliers sharing with it, their latest verified results against the
buyer's frameworks and the law, and the findings across the supply base — every read logged."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from commonground.accounts import access
from commonground.accounts.models import Organisation
from commonground.assessments.services import LAW, VerifiedRef, latest_verified_refs, library
from commonground.core.library import Library
from commonground.core.questionnaire_out import safe_cell
from commonground.facilities.models import Facility, RequiredFramework
from commonground.sharing.models import Grant
from commonground.sharing.outcomes import Outcome, outcomes_of
from commonground.sharing.services import (
    GrantTerms,
    framework_in_scope,
    grant_terms_in_force,
    record_reads,
    visible_datapoints,
)


class Supplier(NamedTuple):
    """What the page and the export show of a supplier (read as values, not as a model)."""

    pk: int
    name: str
    name_vi: str
    province: str
    sector: str

    def get_sector_display(self) -> str:
        return (
            str(Facility.Sector(self.sector).label) if self.sector in Facility.Sector.values else self.sector
        )


@dataclass
class SupplierRow:
    facility: Supplier
    grant: GrantTerms
    assessment: VerifiedRef | None
    rates: dict[str, float | None] = field(default_factory=dict)  # framework id -> compliance rate
    zero_tolerance: list[str] = field(default_factory=list)  # data points with zero-tolerance findings
    overdue: int | None = None  # overdue actions; None when the grant does not cover the action plan

    @property
    def rate_texts(self) -> list[tuple[str, str]]:
        """Each rate as the page shows it ("83 %", "–" when unknown), worked out once here instead
        of by template tags in a loop of hundreds of suppliers (the same rounding as widthratio)."""
        return [(f, "–" if r is None else f"{round(r * 100)} %") for f, r in self.rates.items()]


@dataclass
class Portfolio:
    buyer: Organisation
    frameworks: list[str]  # the frameworks evaluated (one when the buyer filters by framework)
    available: list[str]  # the buyer's frameworks and the law: what the framework filter offers
    suppliers: list[SupplierRow]
    top_findings: list[tuple[str, int]]  # data point, suppliers with a finding on it

    @property
    def with_zero_tolerance(self) -> list[SupplierRow]:
        return [r for r in self.suppliers if r.zero_tolerance]

    @property
    def with_overdue(self) -> list[SupplierRow]:
        return [r for r in self.suppliers if r.overdue]

    @property
    def plans_shared(self) -> int:
        return sum(1 for r in self.suppliers if r.overdue is not None)


def _buyer(user: Any) -> Organisation:
    from django.http import Http404

    buyer = access.organisations_of(user).filter(kind=Organisation.Kind.BUYER).first()
    if buyer is None:
        raise Http404
    return buyer


def build_portfolio(
    user: Any, *, province: str = "", sector: str = "", framework: str = "", channel: str = "page"
) -> Portfolio:
    """The buyer's sharing suppliers; `framework` narrows the results and findings to one framework.
    Each supplier read is logged on its channel (page, export or api), all in one append."""
    buyer, lib = _buyer(user), library()
    available = [*LAW, *RequiredFramework.objects.filter(buyer=buyer).values_list("framework_id", flat=True)]
    available = [f for f in dict.fromkeys(available) if f in lib.frameworks]
    frameworks = [framework] if framework in available else available
    facilities = Facility.objects.filter(supply_links__buyer=buyer)
    if province:
        facilities = facilities.filter(province=province)
    if sector:
        facilities = facilities.filter(sector=sector)
    grants = grant_terms_in_force(buyer)  # never cached: a revocation counts at once
    listed = facilities.order_by("name").values_list(*Supplier._fields)
    suppliers = [Supplier(*row) for row in listed if row[0] in grants]
    latest = latest_verified_refs(facilities.values("pk"))
    outcomes = outcomes_of(lib, frameworks, [latest[f.pk] for f in suppliers if f.pk in latest])
    rows, counts, reads = [], Counter[str](), []
    scope = _Scope(lib)
    for facility in suppliers:
        grant = grants[facility.pk]
        row = SupplierRow(facility, grant, latest.get(facility.pk))
        if row.assessment is not None:
            _fill(row, outcomes[row.assessment.pk], scope, grant, counts)
            reads.append((facility.pk, grant.pk, f"portfolio: results {row.assessment.period_end.year}"))
        rows.append(row)
    _overdue(rows, scope)
    record_reads(reads, user=user, organisation=buyer, channel=channel)
    return Portfolio(buyer, frameworks, available, rows, counts.most_common(10))


class _Scope:
    """What a grant shows, worked out once per kind of grant within one portfolio."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self._visible: dict[tuple[str, tuple[str, ...]], set[str]] = {}
        self._shown: dict[tuple[str, tuple[str, ...], str], bool] = {}

    def _key(self, grant: GrantTerms) -> tuple[str, tuple[str, ...]]:
        return grant.scope, tuple(sorted(grant.sensitive_datapoints))

    def visible(self, grant: GrantTerms) -> set[str]:
        key = self._key(grant)
        if key not in self._visible:
            self._visible[key] = visible_datapoints(grant)
        return self._visible[key]

    def shows(self, grant: GrantTerms, framework_id: str) -> bool:
        key = (*self._key(grant), framework_id)
        if key not in self._shown:
            framework = self.lib.frameworks[framework_id]
            self._shown[key] = framework_in_scope(framework, self.visible(grant), self.lib.context)
        return self._shown[key]


def _fill(row: SupplierRow, outcome: Outcome, scope: _Scope, grant: GrantTerms, counts: Counter[str]) -> None:
    visible = scope.visible(grant)
    for framework_id, rate in outcome.rates:
        if scope.shows(grant, framework_id):
            row.rates[framework_id] = rate
    for datapoint, severity in outcome.findings:
        if datapoint in visible:
            counts[datapoint] += 1
            if severity == "zero_tolerance":
                row.zero_tolerance.append(datapoint)


def _overdue(rows: list[SupplierRow], scope: _Scope) -> None:
    """Overdue actions of the suppliers whose grant covers the action plan (in the grant's scope)."""
    from commonground.actions.services import overdue_visible

    plans = {
        r.facility.pk: scope.visible(r.grant) for r in rows if r.grant.content == Grant.Content.ACTION_PLAN
    }
    counts = overdue_visible(plans) if plans else {}
    for row in rows:
        row.overdue = counts.get(row.facility.pk)


def portfolio_csv(portfolio: Portfolio) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["facility", "province", "sector", "period_end", *portfolio.frameworks, "zero_tolerance"]
    writer.writerow([*header, "overdue_actions"])
    for row in portfolio.suppliers:
        period = row.assessment.period_end.isoformat() if row.assessment else ""
        rates = ["" if row.rates.get(f) is None else row.rates[f] for f in portfolio.frameworks]
        cells = [
            row.facility.name,
            row.facility.province,
            row.facility.sector,
            period,
            *rates,
            " ".join(row.zero_tolerance),
            "" if row.overdue is None else row.overdue,
        ]
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue()
