"""Requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.defaults import bad_request

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
