"""A buyer's supplier list onboarded: upload, every row matched (suggestions confirmed or rejected by
a person), applied as a job, then access asked of every matched supplier at once."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from commonground.accounts.throttle import Throttled
from commonground.common.ids import optional_id
from commonground.common.language import page_lang
from commonground.core.errors import CommonGroundError, Lang
from commonground.sharing import onboarding, services, supplier_matching
from commonground.sharing.models import Grant, SupplierRow
from commonground.sharing.supplier_views import _request_terms, _skipped_lines

Outcome = SupplierRow.Outcome


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the form and the buyer's recent lists. POST: the list kept, read and matched; then its page."""
    lists = onboarding.list_supplier_lists(request.user)  # 404 for anyone but a buyer's editors
    context: dict[str, Any] = {"lists": lists}
    if request.method != "POST":
        return render(request, "sharing/onboarding.html", context)
    file = request.FILES.get("file")
    if file is None:
        context["problems"] = [_("Choose a file to upload.")]
        return render(request, "sharing/onboarding.html", context, status=422)
    name = (file.name or "file")[:100]
    try:
        made = onboarding.upload_supplier_list(file, name=name, size=file.size or 0, user=request.user)
    except CommonGroundError as exc:
        context["problems"] = [p.render(page_lang(request)) for p in exc.problems]
        return render(request, "sharing/onboarding.html", context, status=422)
    if made.matched_at is None:  # a long list: its job's page shows the progress
        return redirect("job", onboarding.start_matching(made, user=request.user).pk)
    return redirect("supplier_list", made.pk)


@login_required
def supplier_list(request: HttpRequest, list_id: int) -> HttpResponse:
    """Every row and what became of it; the suggestions to decide, or access to ask."""
    found = onboarding.get_supplier_list(list_id, request.user)
    rows = list(found.rows.select_related("facility", "invitation__facility"))
    lang = page_lang(request)
    facility_ids = onboarding.supplier_facilities(rows)
    access = _access(found.buyer, facility_ids) if found.applied_at else {}
    context = {
        "list": found,
        "lines": [_line(r, found.name, lang, access) for r in rows],
        "counts": {o: sum(1 for r in rows if r.outcome == o) for o in Outcome.values},
        "matched": len(facility_ids),
        "scopes": Grant.Scope.choices,
        "contents": Grant.Content.choices,
        "min_expiry": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
    }
    return render(request, "sharing/supplier_list.html", context)


class Line(NamedTuple):
    item: SupplierRow
    problem: str  # a row in error: the file, row, column and reason in the reader's language
    access: str  # a matched supplier: "shared", "pending" or ""


def _line(row: SupplierRow, file: str, lang: Lang, access: dict[int, str]) -> Line:
    problem = supplier_matching.row_problem(row, file).render(lang) if row.outcome == Outcome.ERROR else ""
    supplier = row.facility_id if row.outcome in (Outcome.MATCHED, Outcome.CONFIRMED) else None
    if row.invitation is not None and row.invitation.facility_id is not None:  # the invited factory joined
        supplier = row.invitation.facility_id
    shown = access.get(supplier or 0, "")
    return Line(row, problem, shown)


def _access(buyer: Any, facility_ids: list[int]) -> dict[int, str]:
    """Facility id -> "shared" or "pending", for the matched suppliers."""
    found = {i: "pending" for i in services.pending_requests(buyer, facility_ids)}
    for facility_id in services.in_force_until(buyer):
        if facility_id in facility_ids:
            found[facility_id] = "shared"
    return found


@login_required
@require_POST
def apply(request: HttpRequest, list_id: int) -> HttpResponse:
    """The suggestions decided as ticked, then the list applied in one transaction, as a job."""
    found = onboarding.get_supplier_list(list_id, request.user)
    decisions: dict[int, str] = {}
    for key in request.POST:
        number = optional_id(key.removeprefix("row-")) if key.startswith("row-") else None
        if number:
            decisions[number] = request.POST.get(key, "")
    try:
        onboarding.decide_suggestions(found.pk, decisions, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supplier_list", found.pk)
    return redirect("job", onboarding.start_applying(found, user=request.user).pk)


@login_required
@require_POST
def ask(request: HttpRequest, list_id: int) -> HttpResponse:
    """Access asked of every supplier the list matched, in one request."""
    found = onboarding.get_supplier_list(list_id, request.user)
    try:
        terms = {k: v for k, v in _request_terms(request).items() if k != "grantee_id"}
        done = onboarding.request_access_for_list(found.pk, user=request.user, **terms)
    except services.NotABuyer as exc:
        raise PermissionDenied(exc.message(page_lang(request))) from None
    except Throttled as exc:
        messages.error(request, exc.message(page_lang(request)))
        return redirect("supplier_list", found.pk)
    except (ValidationError, ValueError, OverflowError):
        messages.error(
            request,
            _("Give a scope, what is shared, a purpose (at most 300 characters) and a future expiry date."),
        )
        return redirect("supplier_list", found.pk)
    if done.sent:
        text = ngettext(
            "Your request is sent to %(n)s supplier.",
            "Your request is sent to %(n)s suppliers.",
            len(done.sent),
        )
        messages.success(request, text % {"n": len(done.sent)})
    for line in _skipped_lines(done):
        messages.warning(request, line)
    return redirect("supplier_list", found.pk)
