"""Requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.defaults import bad_request

from commonground.accounts.access import organisations_of
from commonground.common.ids import parse_id
from commonground.facilities.access import final_facility_id
from commonground.facilities.models import Facility

NUL = "\x00"


class RefuseNul:
    """A NUL character in a query or a submitted form is refused: 400 with a page in the user's
    language, or for the API the usual JSON error (422). PostgreSQL can neither store nor compare
    text holding one, so it would otherwise fail deep inside a query; no legitimate input has one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = _holds_nul(request.GET) or (_is_form(request) and _holds_nul(request.POST))
        except SuspiciousOperation as exc:  # a form too large or with too many fields
            if not request.path.startswith("/api/"):
                if isinstance(exc, RequestDataTooBig):  # 413, a page in the reader's language
                    return render(request, "413.html", status=413)
                raise
            from commonground.config.api import error

            too_large = isinstance(exc, RequestDataTooBig)
            return error(
                request, *(("too_large", 413) if too_large else ("invalid", 400)), detail=type(exc).__name__
            )
        if refused:
            if request.path.startswith("/api/"):
                from commonground.config.api import error

                return error(request, "invalid", 422, detail="U+0000 (NUL)")
            return bad_request(request, SuspiciousOperation("NUL character in the request"))
        return self.get_response(request)


def _is_form(request: HttpRequest) -> bool:
    """A submitted form (its text fields; the CSRF check reads them anyway). Other bodies, such as
    the API's JSON, are left to their own parsers."""
    forms = ("application/x-www-form-urlencoded", "multipart/form-data")
    return request.method == "POST" and request.content_type in forms


def _holds_nul(values: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values.getlist(key)) for key in values)


class FacilityAliases:
    """The id of a merged facility keeps working (decision 0040): a page or API address naming it,
    that would otherwise be missing (404), is redirected to the same address of the facility it was
    merged into — a page with 302 (307 for a form sent, so that it is sent again), the API with 308
    (permanent, method and body kept). Only for a person who may reach that facility (its owner's
    people, or an organisation holding a grant or a supply link of it): to anyone else the id stays
    missing, as before. Costs nothing on the usual path: only a 404 is looked at."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return _alias_redirect(request) or response


def _alias_redirect(request: HttpRequest) -> HttpResponse | None:
    match = request.resolver_match
    if match is None or "facility_id" not in match.kwargs:
        return None
    try:  # an int for a page's path, the digits as typed for the API's
        facility_id = parse_id(str(match.kwargs["facility_id"]))
    except ValueError:
        return None
    final = final_facility_id(facility_id) if facility_id > 0 else None
    if final is None or not _reaches(request, final):
        return None
    try:
        path = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "facility_id": final})
    except NoReverseMatch:
        return None
    query = request.META.get("QUERY_STRING", "")
    location = f"{path}?{query}" if query else path
    api = request.path.startswith("/api/")
    status = 308 if api else 302 if request.method in ("GET", "HEAD") else 307
    moved = HttpResponse(status=status)
    moved["Location"] = location
    return moved


def _reaches(request: HttpRequest, facility_id: int) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    orgs = organisations_of(user)
    reach = Q(owner__in=orgs) | Q(grants__grantee__in=orgs) | Q(supply_links__buyer__in=orgs)
    return Facility.objects.filter(reach, pk=facility_id).exists()
