"""Sharing pages: a facility's grants and access log; what a grantee may see, logged on every read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.accounts.models import Organisation
from commonground.assessments.evidence import as_attachment
from commonground.common.ids import optional_id, parse_id
from commonground.common.language import page_lang
from commonground.facilities import access as facility_access
from commonground.sharing import services
from commonground.sharing.log_export import log_csv
from commonground.sharing.models import Grant
from commonground.sharing.shared import read_shared, shared_download

LOG_PAGE = 100  # access-log lines per page; the CSV export has all of them


def _expiry(raw: str) -> dt.datetime:
    day = dt.date.fromisoformat(raw)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def _terms(request: HttpRequest) -> dict[str, Any]:
    """The terms of a grant from its form (ValueError when the organisation or date is not one)."""
    return {
        "grantee_id": parse_id(request.POST.get("grantee", "")),
        "scope": request.POST.get("scope", ""),
        "content": request.POST.get("content", ""),
        "purpose": request.POST.get("purpose", ""),
        "expires_at": _expiry(request.POST.get("expires", "")),
    }


@login_required
def grants(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = facility_access.get_facility(facility_id, request.user)
    can_edit = facility_access.facilities_for(request.user, write=True).filter(pk=facility_id).exists()
    context = {
        "facility": facility,
        "can_edit": can_edit,
        "grants": facility.grants.select_related("grantee"),
        "organisations": Organisation.objects.exclude(kind=Organisation.Kind.FACTORY_GROUP),
        "scopes": Grant.Scope.choices,
        "contents": Grant.Content.choices,
        **_log_context(request, facility_id),
    }
    return render(request, "sharing/grants.html", context)


def _reader_filter(request: HttpRequest) -> int | None:
    return optional_id(request.GET.get("reader", ""))


def _log_context(request: HttpRequest, facility_id: int) -> dict[str, Any]:
    """The facility's log, a page at a time, optionally one organisation's reads only."""
    reader = _reader_filter(request)
    log = services.facility_log(facility_id, user=request.user, organisation_id=reader)
    return {
        "log": Paginator(log, LOG_PAGE).get_page(request.GET.get("log_page")),
        "readers": services.log_readers(facility_id, user=request.user),
        "reader": reader,
        "seal": services.seal_status(),
    }


@login_required
def access_log_export(
    request: HttpRequest, facility_id: int, kind: str = "csv"
) -> StreamingHttpResponse | HttpResponse:
    """The facility's whole log (or one organisation's reads) as CSV or XLSX; its own people only."""
    log = services.facility_log(facility_id, user=request.user, organisation_id=_reader_filter(request))
    if kind == "xlsx":
        from commonground.common.downloads import spreadsheet_response
        from commonground.sharing.log_export import log_sheet

        sheet = log_sheet(log.iterator(chunk_size=2000))
        return spreadsheet_response([sheet], "xlsx", f"access-log-{facility_id}", page_lang(request))
    response = StreamingHttpResponse(
        log_csv(log.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="access-log-{facility_id}.csv"'
    return response


@login_required
@require_POST
def decide(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = Grant.objects.filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "revoke":
            services.revoke_grant(grant_id, user=request.user)
        else:
            expires = _expiry(request.POST["expires"]) if request.POST.get("expires") else None
            services.decide_grant(
                grant_id,
                user=request.user,
                approve=action == "approve",
                scope=request.POST.get("scope") or None,
                content=request.POST.get("content") or None,
                expires_at=expires,
            )
    except (ValidationError, ValueError):
        messages.error(
            request, _("A request can only be narrowed: a smaller scope, less content or an earlier expiry.")
        )
    return redirect("grants", grant.facility_id)


@login_required
@require_POST
def give(request: HttpRequest, facility_id: int) -> HttpResponse:
    try:
        services.grant_unasked(facility_id, user=request.user, **_terms(request))
        messages.success(request, _("Access granted."))
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError) and getattr(exc, "code", None) == "grantee":
            messages.error(request, exc.messages[0])  # never a factory group, the facility's own included
        else:
            messages.error(
                request,
                _("Give an organisation, a scope, what is shared, a purpose and a future expiry date."),
            )
    return redirect("grants", facility_id)


@login_required
def shared(request: HttpRequest, facility_id: int) -> HttpResponse:
    """What a grantee may see of a facility, under its grant; every view is logged."""
    view = read_shared(facility_id, user=request.user, lang=page_lang(request), channel="page")
    return render(request, "sharing/shared.html", {"view": view})


@login_required
def shared_evidence(request: HttpRequest, facility_id: int, evidence_id: int) -> FileResponse:
    found = shared_download(facility_id, evidence_id, user=request.user, channel="page")
    return as_attachment(found)


def aggregates(request: HttpRequest) -> HttpResponse:
    """Public: safe aggregates by province, sector and year; groups under k are not shown."""
    from commonground.sharing.aggregates import law_aggregates

    table = law_aggregates(request.LANGUAGE_CODE)
    year = request.GET.get("year")
    cells = [c for c in table.cells if c.published and (not year or str(c.key[2]) == year)]
    # The tables are rendered once per snapshot, language and year, then served from the shared
    # cache (a country's sector has hundreds of groups): the rows are built only on a miss.
    rows = SimpleLazyObject(lambda: [_aggregate_row(table, c) for c in cells])
    hidden = sum(1 for c in table.cells if not c.published)
    years = sorted({c.key[2] for c in table.cells if c.key[2] is not None})
    context = {"rows": rows, "k": table.k, "hidden": hidden, "year": year, "years": years}
    context["computed_at"] = table.computed_at
    context["version"] = [table.snapshot, request.LANGUAGE_CODE, year or ""]
    return render(request, "sharing/aggregates.html", {**context, "sections": table.sections})


def _aggregate_row(table: Any, cell: Any) -> dict[str, Any]:
    from commonground.sharing.aggregates import LEVEL, OVERALL

    rates = {r: v for r, v in cell.values.items() if r in table.requirements}
    return {
        "key": ["–" if v is None else v for v in cell.key],
        "facilities": cell.facilities,
        "overall": cell.values.get(OVERALL),
        "change": table.change(cell, OVERALL),
        "levels": [cell.values.get(LEVEL + s) for s in table.sections],
        "top": sorted(((rate, table.requirements[r]) for r, rate in rates.items()), reverse=True)[:3],
    }


def open_data(request: HttpRequest, kind: str = "csv") -> HttpResponse:
    from commonground.sharing.aggregates import law_aggregates, to_csv

    if kind == "xlsx":
        from commonground.common.downloads import spreadsheet_response
        from commonground.sharing.aggregates import open_data_sheet

        sheet = open_data_sheet(law_aggregates("en"))
        return spreadsheet_response([sheet], "xlsx", "commonground-labour-aggregates", "en")
    response = HttpResponse(to_csv(law_aggregates("en")), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commonground-labour-aggregates.csv"'
    return response
