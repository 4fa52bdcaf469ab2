"""A buyer's portfolio: the suppliers sharing with it, their latest verified results against the
buyer's frameworks and the law, and the findings across the supply base — every read logged."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from commonground.accounts import access
from commonground.accounts.models import Organisation
from commonground.assessments.models import Assessment
from commonground.assessments.services import LAW, core_assessment, latest_verified, library
from commonground.core.engine import Engine, Evaluation
from commonground.core.questionnaire_out import safe_cell
from commonground.facilities.models import Facility, RequiredFramework
from commonground.sharing.models import Grant
from commonground.sharing.services import active_grant, framework_in_scope, record_read, visible_datapoints


@dataclass
class SupplierRow:
    facility: Facility
    grant: Grant
    assessment: Assessment | None
    rates: dict[str, float | None] = field(default_factory=dict)  # framework id -> compliance rate
    zero_tolerance: list[str] = field(default_factory=list)  # data points with zero-tolerance findings


@dataclass
class Portfolio:
    buyer: Organisation
    frameworks: list[str]  # the frameworks evaluated (one when the buyer filters by framework)
    available: list[str]  # the buyer's frameworks and the law: what the framework filter offers
    suppliers: list[SupplierRow]
    top_findings: list[tuple[str, int]]  # data point, suppliers with a finding on it


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
    Each supplier read is logged on its channel (page, export or api)."""
    buyer = _buyer(user)
    available = [*LAW, *RequiredFramework.objects.filter(buyer=buyer).values_list("framework_id", flat=True)]
    available = [f for f in dict.fromkeys(available) if f in library().frameworks]
    frameworks = [framework] if framework in available else available
    engine = Engine(library(), frameworks)
    facilities = Facility.objects.filter(supply_links__buyer=buyer).order_by("name")
    if province:
        facilities = facilities.filter(province=province)
    if sector:
        facilities = facilities.filter(sector=sector)
    rows, counts = [], Counter[str]()
    for facility in facilities:
        grant = active_grant(buyer, facility)
        if grant is None:
            continue
        row = SupplierRow(facility, grant, latest_verified(facility))
        if row.assessment is not None:
            evaluation = engine.evaluate(core_assessment(row.assessment))
            _fill(row, evaluation, grant, counts)
            record_read(
                facility,
                user=user,
                organisation=buyer,
                grant=grant,
                channel=channel,
                what=f"portfolio: results {row.assessment.period_end.year}",
            )
        rows.append(row)
    return Portfolio(buyer, frameworks, available, rows, counts.most_common(10))


def _fill(row: SupplierRow, evaluation: Evaluation, grant: Grant, counts: Counter[str]) -> None:
    visible = visible_datapoints(grant)
    context = library().context
    for fr in evaluation.frameworks:
        if framework_in_scope(fr.framework, visible, context):
            row.rates[fr.framework.id] = fr.summary.compliance_rate
    for finding in evaluation.findings:
        if finding.datapoint in visible:
            counts[finding.datapoint] += 1
            if finding.severity == "zero_tolerance":
                row.zero_tolerance.append(finding.datapoint)


def portfolio_csv(portfolio: Portfolio) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["facility", "province", "sector", "period_end", *portfolio.frameworks, "zero_tolerance"])
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
        ]
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue()
