"""A buyer's portfolio: the suppliers sharing with it, their latest verified results against the
buyer's frameworks and the law, and the findings across the supply base — every read logged. The
results of all the suppliers are kept between views as one summary in the shared cache (decision
0035): a page view fills only the rows it shows.

Filters (name, province before or after the 2025 mergers, sector) and sorting work on the rows read
for the view, never on the whole sector: a buyer's view costs the same number of queries whatever the
number of its suppliers, and nothing of other buyers' suppliers is read."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
from django.core.cache import cache
from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from commonground.accounts import access
from commonground.accounts.library import current
from commonground.accounts.models import Organisation
from commonground.assessments.evaluations import LAW
from commonground.assessments.services import VerifiedRef, latest_verified_refs
from commonground.core import provinces
from commonground.core.errors import Lang
from commonground.core.excel_csv import csv_document
from commonground.core.library import Library
from commonground.core.spreadsheet import Sheet
from commonground.core.standing import Standing
from commonground.facilities.models import Facility, RequiredFramework
from commonground.sharing.models import Grant
from commonground.sharing.outcomes import Outcome, outcomes_of
from commonground.sharing.services import (
    GrantTerms,
    framework_in_scope,
    grant_terms_in_force,
    in_force_until,
    pending_requests,
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

    def matches(self, search: str) -> bool:
        return provinces.matches(search, self.name, self.name_vi)

    def get_province_display(self) -> str:
        """The province as the reader names it (in the active language)."""
        return provinces.label(self.province, "vi" if translation.get_language() == "vi" else "en")


@dataclass(frozen=True)
class RateCell:
    """One framework's result of one supplier as the table shows it, by core.standing's rule: the rate
    only when enough of the applicable requirements are decided, else "not enough answers"; the share
    decided, and a bar of met, not met and unknown (of the applicable requirements)."""

    framework: str
    rate: float | None
    standing: Standing | None

    @property
    def thin(self) -> bool:
        """Not decided enough for the rate to be the headline (or nothing to show)."""
        return self.rate is None or self.standing is None or self.standing.verdict != "rate"

    @property
    def text(self) -> str:
        if self.rate is None:
            return "–"
        if self.thin and self.standing is not None:
            return not_enough_text(self.standing)
        return f"{round(self.rate * 100)} %"

    @property
    def answered(self) -> float | None:
        """Decided among the applicable requirements."""
        return None if self.standing is None else self.standing.decided_share

    @property
    def answered_text(self) -> str:
        return "–" if self.answered is None else f"{round(self.answered * 100)} %"

    @property
    def bar(self) -> tuple[int, int, int]:
        """Met, not met and unknown as whole percentages of the applicable requirements."""
        s = self.standing
        if s is None or not s.applicable:
            return 0, 0, 100
        met, not_met = round(100 * s.met / s.applicable), round(100 * s.not_met / s.applicable)
        return met, not_met, max(0, 100 - met - not_met)


def not_enough_text(s: Standing) -> str:
    """core.standing's words for a rate that may not be the headline (as the results pages say it)."""
    return _("not enough answers (%(decided)s of %(applicable)s decided)") % {
        "decided": s.decided,
        "applicable": s.applicable,
    }


@dataclass
class SupplierRow:
    facility: Supplier
    grant: GrantTerms
    assessment: VerifiedRef | None
    # the portfolio's kept results of every supplier: this row's are read from it when first asked for
    # (a view shows 50 rows of 2,000: their dicts and `Standing`s are built for those only)
    summary: _Summary | None = field(default=None, compare=False, repr=False)
    overdue: int | None = None  # overdue actions; None when the grant does not cover the action plan
    pending: dt.datetime | None = None  # when a request still waiting for the supplier's decision was sent

    @cached_property
    def rates(self) -> dict[str, float | None]:
        """Framework id -> compliance rate, for the frameworks the grant shows."""
        return {} if self.summary is None else self.summary.rates_of(self.facility.pk)

    @cached_property
    def standings(self) -> dict[str, Standing]:
        """Framework id -> what the rate stands on."""
        return {} if self.summary is None else self.summary.standings_of(self.facility.pk)

    @cached_property
    def zero_tolerance(self) -> list[str]:
        """The data points with zero-tolerance findings the grant shows."""
        return [] if self.summary is None else list(self.summary.zero_tolerance.get(self.facility.pk, ()))

    @property
    def cells(self) -> list[RateCell]:
        """Each framework's rate as the table shows it, worked out here instead of by template tags
        in a loop of hundreds of suppliers."""
        return [RateCell(f, r, self.standings.get(f)) for f, r in self.rates.items()]

    @property
    def rate_texts(self) -> list[tuple[str, str]]:
        return [(c.framework, c.text) for c in self.cells]

    @property
    def verified_on(self) -> dt.date | None:
        if self.assessment is None:
            return None
        moment = self.assessment.verified_at
        return moment.date() if moment is not None else self.assessment.period_end


@dataclass
class Portfolio:
    buyer: Organisation
    frameworks: list[str]  # the frameworks evaluated (one when the buyer filters by framework)
    available: list[str]  # the buyer's frameworks and the law: what the framework filter offers
    suppliers: list[SupplierRow]
    top_findings: list[tuple[str, int]]  # data point, suppliers with a finding on it
    key: str = ""  # the kept summary's key: changes whenever any supplier's results as shown change

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

    buyer = access.organisations_of(user).filter(kind=Organisation.Kind.BUYER).order_by("pk").first()
    if buyer is None:
        raise Http404
    return buyer


def _linked(buyer: Organisation, *, province: str, sector: str, search: str) -> list[Supplier]:
    """The buyer's suppliers that pass the filters, read in one query and filtered here: a province
    named before or after the 2025 mergers, a name typed without its diacritics."""
    facilities = Facility.objects.filter(supply_links__buyer=buyer)
    if sector:
        facilities = facilities.filter(sector=sector)
    found = [Supplier(*row) for row in facilities.order_by("name", "pk").values_list(*Supplier._fields)]
    if province:
        now = provinces.now_key(province)
        found = [f for f in found if provinces.now_key(f.province) == now]
    if search.strip():
        found = [f for f in found if f.matches(search)]
    return found


def build_portfolio(
    user: Any,
    *,
    province: str = "",
    sector: str = "",
    framework: str = "",
    search: str = "",
    channel: str = "page",
) -> Portfolio:
    """The buyer's sharing suppliers; `framework` narrows the results and findings to one framework.
    Every supplier's results are shown (an export, the buyer's home), so each one's read is logged
    on its channel (page, export or api), all in one append."""
    found = portfolio_summary(user, province=province, sector=sector, framework=framework, search=search)
    show_rows(user, found, found.suppliers, channel=channel)
    return found


def portfolio_summary(
    user: Any, *, province: str = "", sector: str = "", framework: str = "", search: str = ""
) -> Portfolio:
    """The buyer's sharing suppliers that pass the filters, with their results and the findings
    across them, logging nothing (`show_rows` logs the rows shown). The results come from a summary
    kept in the shared cache between views (decision 0035), under a key that carries what they
    depend on: the buyer, the frameworks and their version (the shipped library and the buyer's
    codes), and each supplier with its grant's terms and its latest verified assessment (id and
    moment of verification). Grants, the suppliers' names and the latest assessments are read on
    every call (a revocation counts at once); overdue actions too (they fall due with the date)."""
    loaded = current()
    buyer, lib = _buyer(user), loaded.library
    available = [*LAW, *RequiredFramework.objects.filter(buyer=buyer).values_list("framework_id", flat=True)]
    available = [f for f in dict.fromkeys(available) if f in lib.frameworks]
    frameworks = [framework] if framework in available else available
    grants = grant_terms_in_force(buyer)  # never cached: a revocation counts at once
    linked = _linked(buyer, province=province, sector=sector, search=search)
    suppliers = [f for f in linked if f.pk in grants]
    latest = latest_verified_refs(Facility.objects.filter(supply_links__buyer=buyer).values("pk"))
    version = loaded.version(frameworks)
    parts = (_part(f.pk, grants[f.pk], latest.get(f.pk)) for f in sorted(suppliers, key=lambda f: f.pk))
    key = _summary_key(buyer, version, frameworks, parts)
    scope = _Scope(lib)
    summary: _Summary | None = cache.get(key)
    if summary is None:
        summary = _summarise(lib, frameworks, version, suppliers, grants, latest, scope)
        cache.set(key, summary)
    rows = [SupplierRow(f, grants[f.pk], latest.get(f.pk), summary) for f in suppliers]
    _overdue(rows, scope)
    return Portfolio(buyer, frameworks, available, rows, list(summary.top_findings), key)


SUMMARY_FORMAT = 3  # in the kept summary's key: a summary kept in another shape is never read back


def _summary_key(buyer: Organisation, version: str, frameworks: list[str], parts: Iterator[str]) -> str:
    """The kept summary's key: the buyer, the frameworks and their version, and every supplier with
    its grant's terms and its latest verified assessment (as `_part` writes them, in id order)."""
    digest = hashlib.sha256(f"{buyer.pk}|{version}|{','.join(frameworks)}".encode())
    for part in parts:
        digest.update(part.encode())
    return f"portfolio:{SUMMARY_FORMAT}:{digest.hexdigest()}"


def _part(facility_id: int, grant: GrantTerms, ref: VerifiedRef | None) -> str:
    """One supplier's share of the key: what its results as the grant shows them depend on."""
    sensitive = ",".join(sorted(grant.sensitive_datapoints))
    terms = f"{facility_id}:{grant.pk}:{grant.scope}:{grant.content}:{sensitive}"
    if ref is None:
        return terms + ";"
    moment = "" if ref.verified_at is None else ref.verified_at.timestamp()
    return f"{terms}:{ref.pk}:{ref.version}:{moment};"


@dataclass(frozen=True, eq=False)
class _Summary:
    """What a portfolio view needs of every supplier's results, as the grant shows them, kept as
    columns (one row per supplier with a verified assessment, one column per framework): a view
    reads it whole from the shared cache and builds the dicts and `Standing`s of the 50 rows it
    shows only. Kept as 12,000 `Standing` objects, then as nested tuples, it took 10-90 ms, then
    20 ms, to read back and expand on every view; as arrays under a millisecond."""

    frameworks: tuple[str, ...]
    index: dict[int, int]  # facility id -> its row
    rates: np.ndarray  # (rows, frameworks) float: the compliance rate, NaN when there is none
    shown: np.ndarray  # (rows, frameworks) bool: the grant shows the framework's result
    counts: np.ndarray  # (rows, frameworks, 4) int: met, not met, unknown, not applicable; -1: none
    zero_tolerance: dict[int, tuple[str, ...]]  # facility id -> its zero-tolerance findings (if any)
    top_findings: tuple[tuple[str, int], ...]  # the most frequent findings across the suppliers

    def rates_of(self, facility_id: int) -> dict[str, float | None]:
        i = self.index.get(facility_id)
        if i is None:
            return {}
        values, shown = self.rates[i].tolist(), self.shown[i].tolist()
        return {f: None if r != r else r for f, r, s in zip(self.frameworks, values, shown, strict=True) if s}

    def standings_of(self, facility_id: int) -> dict[str, Standing]:
        i = self.index.get(facility_id)
        if i is None:
            return {}
        counts, shown = self.counts[i].tolist(), self.shown[i].tolist()
        return {
            f: Standing(*c) for f, c, s in zip(self.frameworks, counts, shown, strict=True) if s and c[0] >= 0
        }


def _summarise(
    lib: Library,
    frameworks: list[str],
    version: str,
    suppliers: list[Supplier],
    grants: dict[int, GrantTerms],
    latest: dict[int, VerifiedRef],
    scope: _Scope,
) -> _Summary:
    with_results = [f.pk for f in suppliers if f.pk in latest]
    outcomes = outcomes_of(lib, frameworks, [latest[i] for i in with_results], version)
    column = {f: j for j, f in enumerate(frameworks)}
    n, width = len(with_results), len(frameworks)
    rates = np.full((n, width), np.nan)
    shown = np.zeros((n, width), dtype=bool)
    counts = np.full((n, width, 4), -1, dtype=np.int32)
    findings = Counter[str]()
    zero_tolerance = {}
    for i, facility_id in enumerate(with_results):
        grant, outcome = grants[facility_id], outcomes[latest[facility_id].pk]
        standings = dict(outcome.counts)
        for framework_id, rate in outcome.rates:
            j = column.get(framework_id)
            if j is None or not scope.shows(grant, framework_id):
                continue
            shown[i, j] = True
            rates[i, j] = np.nan if rate is None else rate
            if (c := standings.get(framework_id)) is not None:
                counts[i, j] = (c.met, c.not_met, c.unknown, c.not_applicable)
        found = _visible_findings(outcome, scope.visible(grant), findings)
        if found:
            zero_tolerance[facility_id] = found
    index = {facility_id: i for i, facility_id in enumerate(with_results)}
    return _Summary(
        tuple(frameworks), index, rates, shown, counts, zero_tolerance, tuple(findings.most_common(10))
    )


def _visible_findings(outcome: Outcome, visible: set[str], counts: Counter[str]) -> tuple[str, ...]:
    """Counts the findings the grant shows; returns its zero-tolerance ones."""
    zero_tolerance = []
    for datapoint, severity in outcome.findings:
        if datapoint in visible:
            counts[datapoint] += 1
            if severity == "zero_tolerance":
                zero_tolerance.append(datapoint)
    return tuple(zero_tolerance)


def show_rows(
    user: Any,
    portfolio: Portfolio,
    rows: Sequence[SupplierRow],
    *,
    channel: str = "page",
    read: Sequence[SupplierRow] | None = None,
) -> None:
    """The rows about to be shown get the requests still waiting there; a read of the results of
    `read` (by default the rows) is logged on `channel`, one append for them all. A page passes every
    supplier its counts and top findings summarise (decision 0011): each of them was read."""
    pending = pending_requests(portfolio.buyer, [r.facility.pk for r in rows])
    for row in rows:
        row.pending = pending.get(row.facility.pk)
    reads = []
    for row in rows if read is None else read:
        if row.assessment is not None:
            reads.append(
                (row.facility.pk, row.grant.pk, f"portfolio: results {row.assessment.period_end.year}")
            )
    record_reads(reads, user=user, organisation=portfolio.buyer, channel=channel)


@dataclass(frozen=True)
class SupplierState:
    """A supplier on the buyer's list and where its consent stands (nothing of its data is read)."""

    facility: Supplier
    grant: Grant | None  # in force now
    pending: dt.datetime | None  # when a request still waiting for the supplier's decision was sent


def list_suppliers(
    user: Any, *, province: str = "", sector: str = "", search: str = ""
) -> list[SupplierState]:
    """The buyer's suppliers that pass the filters, each with its grant in force or its request still
    waiting: three queries however many suppliers."""
    buyer = _buyer(user)
    linked = _linked(buyer, province=province, sector=sector, search=search)
    grants = in_force_until(buyer)
    pending = pending_requests(buyer, [f.pk for f in linked])
    return [SupplierState(f, grants.get(f.pk), pending.get(f.pk)) for f in linked]


# ---- sorting --------------------------------------------------------------------------------------

SORTS = ("name", "province", "sector", "zero_tolerance", "overdue", "verified")
FRAMEWORK_SORT = "framework:"  # followed by a framework id: its compliance rate


def _sort_value(row: SupplierRow, column: str) -> Any:
    """The value a column sorts on; None sorts last whichever the direction."""
    if column == "name":
        return provinces.fold(row.facility.name)
    if column == "province":
        return provinces.fold(row.facility.get_province_display())
    if column == "sector":
        return provinces.fold(row.facility.get_sector_display())
    if column == "zero_tolerance":
        return len(row.zero_tolerance)
    if column == "overdue":
        return row.overdue
    if column == "verified":
        return row.verified_on
    cell = _cell(row, column)
    if cell is None or cell.thin:
        return None  # "not enough answers" sorts after every decided rate, whichever the direction
    return cell.rate, cell.answered


def _cell(row: SupplierRow, column: str) -> RateCell | None:
    if not column.startswith(FRAMEWORK_SORT):
        return None
    return next((c for c in row.cells if c.framework == column.removeprefix(FRAMEWORK_SORT)), None)


def _undecided_value(row: SupplierRow, column: str) -> Any:
    """For a rate that is "not enough answers": how much is decided, then the rate (to order those
    among themselves, after every decided rate); None for anything else."""
    cell = _cell(row, column)
    if cell is None or not cell.thin or cell.rate is None:
        return None
    return cell.answered, cell.rate


def sort_key(sort: str, frameworks: list[str]) -> tuple[str, bool]:
    """The column and direction asked for ("-" first: descending); the name when not a column."""
    descending, column = sort.startswith("-"), sort.removeprefix("-")
    framework = column.startswith(FRAMEWORK_SORT) and column.removeprefix(FRAMEWORK_SORT) in frameworks
    return (column, descending) if column in SORTS or framework else ("name", False)


def sort_rows(rows: list[SupplierRow], column: str, descending: bool) -> list[SupplierRow]:
    """The rows sorted on one column, then by name; rates that are "not enough answers" after the
    decided ones (sorted among themselves by how much is decided); rows without a value last."""
    by_name = sorted(rows, key=lambda r: (provinces.fold(r.facility.name), r.facility.pk))
    valued = [(v, r) for r in by_name if (v := _sort_value(r, column)) is not None]
    undecided = [(v, r) for r in by_name if (v := _undecided_value(r, column)) is not None]
    placed = {id(r) for _v, r in valued + undecided}
    empty = [r for r in by_name if id(r) not in placed]
    valued.sort(key=lambda pair: pair[0], reverse=descending)  # stable: ties stay by name
    undecided.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _v, r in valued] + [r for _v, r in undecided] + empty


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


def _overdue(rows: list[SupplierRow], scope: _Scope) -> None:
    """Overdue actions of the suppliers whose grant covers the action plan (in the grant's scope)."""
    from commonground.actions.services import overdue_visible

    plans = {
        r.facility.pk: scope.visible(r.grant) for r in rows if r.grant.content == Grant.Content.ACTION_PLAN
    }
    counts = overdue_visible(plans) if plans else {}
    for row in rows:
        row.overdue = counts.get(row.facility.pk)


def portfolio_csv(portfolio: Portfolio, names: dict[str, str], labels: dict[str, str]) -> str:
    """The portfolio as the reader's spreadsheet: headers and labels in the active language (framework
    `names` and data point `labels` given in it), no codes, dates as the pages show them, rates as
    whole percentages beside the share answered ("not enough answers" by core.standing's rule);
    UTF-8 with a BOM, formulas never run."""
    sheet = portfolio_sheet(portfolio, names, labels, typed=False)
    return csv_document(sheet.header, sheet.rows)


def portfolio_sheet(
    portfolio: Portfolio, names: dict[str, str], labels: dict[str, str], *, typed: bool = True
) -> Sheet:
    """The portfolio's rows (`typed`: the last verification a date, for XLSX; else as the pages
    write it, for CSV)."""
    header = [
        _("Facility"),
        pgettext("supplier list", "Name in Vietnamese"),
        _("Province"),
        _("Sector"),
        pgettext("supplier list", "Last verified"),
    ]
    for framework in portfolio.frameworks:
        name = {"framework": names.get(framework, framework)}
        header += [_("%(framework)s: compliance (%%)") % name, _("%(framework)s: answered (%%)") % name]
    header += [
        pgettext("supplier list", "Zero-tolerance findings"),
        pgettext("supplier list", "Overdue actions"),
    ]
    rows = (_csv_row(row, portfolio.frameworks, labels, typed) for row in portfolio.suppliers)
    return Sheet(_("Supplier portfolio"), header, rows)


def _csv_row(row: SupplierRow, frameworks: list[str], labels: dict[str, str], typed: bool) -> list[Any]:
    verified = row.verified_on
    cells: list[Any] = [
        row.facility.name,
        row.facility.name_vi,
        row.facility.get_province_display(),
        row.facility.get_sector_display(),
        (verified if typed else verified.strftime("%d/%m/%Y")) if verified else "",
    ]
    for framework in frameworks:
        cell = RateCell(framework, row.rates.get(framework), row.standings.get(framework))
        rate: Any = "" if cell.rate is None else (cell.text if cell.thin else round(cell.rate * 100))
        cells += [rate, "" if cell.answered is None else round(cell.answered * 100)]
    cells.append("; ".join(labels.get(dp, dp) for dp in row.zero_tolerance))
    cells.append(pgettext("supplier list", "not shared") if row.overdue is None else row.overdue)
    return cells


# ---- the export: the page's download and the background job (decision 0029) --------------------

DIRECT_LIMIT = 300
"""Suppliers up to which the XLSX is written while the reader waits (about 0.3 s of writing);
beyond, a background job writes it (2,000 suppliers take seconds) and offers a download link."""

READY = gettext_noop("The portfolio of {n} suppliers is ready to download.")


def export_sheet(user: Any, lang: str, filters: dict[str, str], sort: str) -> Sheet:
    """The portfolio as one sheet in `lang`, the suppliers in the page's order (filters as
    build_portfolio takes them; `sort` as the page's query): the page's and the job's one use case."""
    with translation.override(lang):
        found = build_portfolio(user, channel="export", **filters)
        found.suppliers = sort_rows(found.suppliers, *sort_key(sort, found.frameworks))
        lib = current().library
        code: Lang = "vi" if lang == "vi" else "en"
        names = {f: lib.frameworks[f].spec.name.get(code) for f in found.frameworks}
        labels = {dp.id: dp.label.get(code) for dp in lib.datapoints.values()}
        sheet = portfolio_sheet(found, names, labels)
        sheet.rows = list(sheet.rows)  # the labels are read in `lang`, inside the override
        return sheet


def buyer_of(user: Any) -> Organisation:
    """The buyer organisation whose portfolio the user reads (404 when none)."""
    return _buyer(user)


def suppliers_linked(user: Any) -> int:
    """How many suppliers the buyer lists (whether they share or not): the export's size, cheaply."""
    return Facility.objects.filter(supply_links__buyer=_buyer(user)).count()


def export_job(job: Any, *, filters: dict[str, str], sort: str, lang: str) -> Any:
    """The background job: the portfolio written as XLSX into the file storage, with progress
    every 100 suppliers; its page then offers the download."""
    from commonground.common.storage import evidence_storage
    from commonground.core.spreadsheet import write_xlsx
    from commonground.jobs.services import Result, report

    sheet = export_sheet(job.started_by, lang, filters, sort)
    rows = list(sheet.rows)
    report(job, 0, len(rows))

    def counted() -> Iterator[Sequence[Any]]:
        for k, row in enumerate(rows, start=1):
            if k % 100 == 0:
                report(job, k, len(rows))
            yield row

    sheet.rows = counted()
    with tempfile.TemporaryFile() as out:
        write_xlsx([sheet], out, "vi" if lang == "vi" else "en")
        out.seek(0)
        stored = evidence_storage().save(f"exports/jobs/{job.pk}/portfolio.xlsx", File(out))
    report(job, len(rows), len(rows))
    return Result(READY, {"n": len(rows), "file": stored}, url=f"/jobs/{job.pk}/download")
