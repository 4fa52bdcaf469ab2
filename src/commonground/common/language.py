"""The language an API client asks for: Vietnamese when Accept-Language starts with vi, else English."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language

from commonground.core.errors import Lang


def api_lang(request: HttpRequest) -> Lang:
    return "vi" if request.headers.get("Accept-Language", "").lower().startswith("vi") else "en"


def page_lang(request: HttpRequest) -> Lang:
    """The language a page is shown in (LocaleMiddleware's choice for this request)."""
    return "vi" if (request.LANGUAGE_CODE or "").startswith("vi") else "en"


def active_lang() -> Lang:
    """The language active now (a form field or a template filter, with no request at hand)."""
    return "vi" if (get_language() or "").startswith("vi") else "en"
