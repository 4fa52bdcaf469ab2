"""A buyer's supplier lists: the suppliers and where their consent stands, the portfolio of those
sharing (a table sorted by any column, searched by name, filtered by province, sector and
framework), its CSV, and access asked of many suppliers at once."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from commonground.accounts import access
from commonground.accounts.library import library
from commonground.accounts.models import Organisation
from commonground.accounts.throttle import Throttled
from commonground.common.ids import optional_id, parse_id
from commonground.common.language import page_lang
from commonground.core import provinces
from commonground.core.errors import Lang
from commonground.core.standing import ENOUGH
from commonground.facilities.models import Facility
from commonground.sharing import services
from commonground.sharing.models import Grant
from commonground.sharing.views import _expiry

PORTFOLIO_PAGE = 50  # suppliers per page: the summary above the list covers all of them
SEARCH_LENGTH = 100


def _portfolio_filters(request: HttpRequest) -> dict[str, str]:
    """The filters of a list, from the query (or the bulk request's form): anything unknown is no
    filter, a search longer than SEARCH_LENGTH is cut there."""
    source = request.POST if request.method == "POST" else request.GET
    found = {key: source.get(key, "")[:SEARCH_LENGTH] for key in ("province", "sector", "framework", "q")}
    key = provinces.province_key(found["province"])
    if key in provinces.provinces():  # "Hồ Chí Minh", "TP.HCM": the list's own entry
        found["province"] = key
    return found


def _province_choices(lang: Lang) -> list[tuple[str, str]]:
    """The province list: every name before and after the 2025 mergers, former ones saying where
    they are now."""
    found = []
    known = provinces.provinces()
    for province in provinces.options(lang):
        label = province.name(lang)
        if province.merged:
            now = known[province.now].name(lang)
            label = _("%(former)s (part of %(now)s since 1 July 2025)") % {"former": label, "now": now}
        found.append((province.key, label))
    return found


def _province_note(chosen: str, lang: Lang) -> str:
    """What a former province's name finds, said on the page."""
    province = provinces.provinces().get(provinces.province_key(chosen)) if chosen else None
    if province is None or not province.merged:
        return ""
    now = provinces.provinces()[province.now].name(lang)
    return _(
        "%(former)s has been part of %(now)s since 1 July 2025: "
        "suppliers recorded under either name are shown."
    ) % {"former": province.name(lang), "now": now}


def _list_context(request: HttpRequest, filters: dict[str, str]) -> dict[str, Any]:
    lang = page_lang(request)
    buyers = access.organisations_of(request.user, write=True).filter(kind=Organisation.Kind.BUYER)
    return {
        "can_ask": buyers.exists(),  # a buyer's viewers see the lists without the request form
        "filters": filters,
        "provinces": _province_choices(lang),
        "province_note": _province_note(filters["province"], lang),
        "sectors": Facility.Sector.choices,
        "scopes": Grant.Scope.choices,
        "contents": Grant.Content.choices,
        "min_expiry": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
    }


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


@login_required
def suppliers(request: HttpRequest) -> HttpResponse:
    """A buyer's suppliers and the state of their consent; access asked of many at once."""
    from commonground.sharing.portfolio import list_suppliers

    filters = _portfolio_filters(request)
    rows = list_suppliers(
        request.user, province=filters["province"], sector=filters["sector"], search=filters["q"]
    )
    page = Paginator(rows, PORTFOLIO_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": _query(request, "page"), **_list_context(request, filters)}
    return render(request, "sharing/suppliers.html", context)


@login_required
@require_POST
def ask(request: HttpRequest, facility_id: int) -> HttpResponse:
    """One supplier asked (the form of earlier pages): the same service as many."""
    return _ask(request, [facility_id])


@login_required
@require_POST
def ask_many(request: HttpRequest) -> HttpResponse:
    """The suppliers ticked (or every supplier the filters list) asked for access in one request."""
    if request.POST.get("all") == "1":
        from commonground.sharing.portfolio import list_suppliers

        filters = _portfolio_filters(request)
        rows = list_suppliers(
            request.user, province=filters["province"], sector=filters["sector"], search=filters["q"]
        )
        return _ask(request, [r.facility.pk for r in rows])
    raw = request.POST.getlist("facility")
    if not raw or len(raw) > services.MAX_REQUESTS or not all(optional_id(v) for v in raw):
        messages.error(
            request, _("Tick at least one supplier (at most %(n)s at once).") % {"n": services.MAX_REQUESTS}
        )
        return _back(request)
    return _ask(request, [parse_id(v) for v in raw])


def _ask(request: HttpRequest, facility_ids: list[int]) -> HttpResponse:
    try:
        terms = _request_terms(request)
        done = services.request_access(request.user, facility_ids, **terms)
    except services.NotABuyer as exc:
        raise PermissionDenied(exc.message(page_lang(request))) from None
    except Throttled as exc:
        messages.error(request, exc.message(page_lang(request)))
        return _back(request)
    except (ValidationError, ValueError, OverflowError):
        messages.error(
            request,
            _("Give a scope, what is shared, a purpose (at most 300 characters) and a future expiry date."),
        )
        return _back(request)
    if done.sent:
        messages.success(
            request,
            ngettext(
                "Your request is sent to %(n)s supplier.",
                "Your request is sent to %(n)s suppliers.",
                len(done.sent),
            )
            % {"n": len(done.sent)},
        )
    for line in _skipped_lines(done):
        messages.warning(request, line)
    return _back(request)


def _skipped_lines(done: services.AccessRequests) -> list[str]:
    """One line per reason: how many suppliers were not asked, and which (never the names of
    facilities that are not the buyer's suppliers: the service names only its suppliers)."""
    skipped, names = done.skipped, done.names
    lines = []
    for reason in services.Skip:
        ids = [i for i, r in skipped if r == reason]
        if ids:
            listed = ", ".join(names[i] for i in ids[:5] if i in names) + (" …" if len(ids) > 5 else "")
            text = ngettext(
                "%(n)s supplier not asked: %(reason)s", "%(n)s suppliers not asked: %(reason)s", len(ids)
            )
            lines.append(text % {"n": len(ids), "reason": reason.label} + (f" ({listed})" if listed else ""))
    return lines


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list the request came from, with its filters and page."""
    target = "portfolio" if request.POST.get("next") == "portfolio" else "suppliers"
    query = request.POST.get("back", "")
    safe = query if len(query) < 2000 and not any(c in query for c in "\r\n\x00") else ""
    return redirect(reverse(target) + (f"?{safe}" if safe else ""))


def _request_terms(request: HttpRequest) -> dict[str, Any]:
    """The terms of a request from its form (ValueError when the organisation or date is not one)."""
    grantee = request.POST.get("grantee", "")
    return {
        "grantee_id": parse_id(grantee) if grantee else None,
        "scope": request.POST.get("scope", ""),
        "content": request.POST.get("content", ""),
        "purpose": request.POST.get("purpose", ""),
        "expires_at": _expiry(request.POST.get("expires", "")),
    }


SORT_COLUMNS = (
    ("name", pgettext_lazy("supplier list", "Supplier")),
    ("province", _lazy("Province")),
    ("sector", _lazy("Sector")),
)
TAIL_COLUMNS = (
    ("zero_tolerance", pgettext_lazy("supplier list", "Zero-tolerance findings")),
    ("overdue", pgettext_lazy("supplier list", "Overdue actions")),
    ("verified", pgettext_lazy("supplier list", "Last verified")),
)


def _columns(
    request: HttpRequest, names: dict[str, str], frameworks: list[str], sort: tuple[str, bool]
) -> list[dict[str, Any]]:
    """The table's headers, each a link that sorts on it (again: the other way round)."""
    base = _query(request, "sort", "page")
    columns = [*SORT_COLUMNS, *((f"framework:{f}", names.get(f, f)) for f in frameworks), *TAIL_COLUMNS]
    found = []
    for key, label in columns:
        active = sort[0] == key
        ask = f"-{key}" if active and not sort[1] else key
        arrow = ("▼" if sort[1] else "▲") if active else ""
        found.append(
            {
                "key": key,
                "label": label,
                "href": f"?{base}{'&' if base else ''}sort={ask}",
                "arrow": arrow,
                "framework": key.startswith("framework:"),
                "wide": key in ("province", "sector"),  # shown under the name on a phone
            }
        )
    return found


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    from commonground.sharing.portfolio import portfolio_summary, show_rows, sort_key, sort_rows

    lang = page_lang(request)
    filters = _portfolio_filters(request)
    found = portfolio_summary(request.user, **_build_filters(filters))
    lib = library()
    names = {f: lib.frameworks[f].spec.name.get(lang) for f in found.available}
    top = [(lib.datapoints[dp].label.get(lang), n) for dp, n in found.top_findings]
    show = request.GET.get("show", "")
    listed = {"zero_tolerance": found.with_zero_tolerance, "overdue": found.with_overdue}.get(
        show, found.suppliers
    )
    sort = sort_key(request.GET.get("sort", ""), found.frameworks)
    page = Paginator(sort_rows(listed, *sort), PORTFOLIO_PAGE).get_page(request.GET.get("page"))
    # the rows shown get their waiting requests; every supplier the counts summarise is logged (0011)
    show_rows(request.user, found, list(page.object_list), read=found.suppliers)
    extra = _list_context(request, filters)
    context = {
        "portfolio": found,
        "names": names,
        "top": top,
        "show": show,
        "page": page,
        "query": _query(request, "page"),
        "back": request.GET.urlencode(),
        "columns": _columns(request, names, found.frameworks, sort),
        "sort_value": f"{'-' if sort[1] else ''}{sort[0]}",
        "enough": f"{round(ENOUGH * 100)} %",
        "rows_key": _rows_key(found, list(page.object_list), lang, extra["can_ask"]),
        **extra,
    }
    return render(request, "sharing/portfolio.html", context)


def _rows_key(found: Any, rows: list[Any], lang: str, can_ask: bool) -> str:
    """What the table's rows show, as one key for the rendered rows kept in the shared cache: the
    portfolio's summary key (every supplier's grant, latest verification and results), the
    language, whether the reader may ask for access, and of each row shown what the summary does not
    cover (its names, province, sector, overdue actions, waiting request). Rendering 50 rows of six
    frameworks took 50-60 ms of a 200 ms view; a kept fragment is read in under a millisecond."""
    shown = [(*row.facility, row.overdue, row.pending.isoformat() if row.pending else "") for row in rows]
    return hashlib.sha256(repr((found.key, lang, can_ask, shown)).encode()).hexdigest()


def _build_filters(filters: dict[str, str]) -> dict[str, str]:
    return {
        "province": filters["province"],
        "sector": filters["sector"],
        "framework": filters["framework"],
        "search": filters["q"],
    }


@login_required
def portfolio_export(request: HttpRequest, kind: str = "csv") -> HttpResponse:
    """The portfolio as CSV or XLSX in the reader's language, the suppliers in the page's order. A
    long XLSX (over DIRECT_LIMIT suppliers) is written by a background job: its page shows the
    progress, then the download link."""
    from commonground.common.downloads import spreadsheet_response
    from commonground.core.spreadsheet import csv_of
    from commonground.sharing import portfolio

    lang = page_lang(request)
    filters = _build_filters(_portfolio_filters(request))
    sort = request.GET.get("sort", "")[:100]
    if kind == "xlsx" and portfolio.suppliers_linked(request.user) > portfolio.DIRECT_LIMIT:
        return redirect("job", _export_job(request, filters, sort, lang).pk)
    sheet = portfolio.export_sheet(request.user, lang, filters, sort)
    if kind == "xlsx":
        return spreadsheet_response([sheet], "xlsx", "portfolio", lang)
    plain = _page_dates(sheet)
    response = HttpResponse(csv_of(plain, lang), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="portfolio.csv"'
    return response


def _page_dates(sheet: Any) -> Any:
    """The CSV keeps writing the last verification as the pages do (dd/mm/yyyy in both languages)."""
    from commonground.core.spreadsheet import Sheet

    rows = ([c.strftime("%d/%m/%Y") if isinstance(c, dt.date) else c for c in row] for row in sheet.rows)
    return Sheet(sheet.title, sheet.header, rows)


def _export_job(request: HttpRequest, filters: dict[str, str], sort: str, lang: str) -> Any:
    import json

    from commonground.jobs.services import DOUBLE_CLICK, enqueue
    from commonground.sharing.portfolio import buyer_of

    params = {"filters": filters, "sort": sort, "lang": lang}
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    key = f"portfolio_export:{request.user.pk}:{digest}"
    return enqueue(
        "portfolio_export",
        user=request.user,
        organisation=buyer_of(request.user),
        key=key,
        repeat_within=DOUBLE_CLICK,
        **params,
    )
