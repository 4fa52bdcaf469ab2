"""The language an API client asks for: Vietnamese when Accept-Language starts with vi, else English."""

from __future__ import annotations

from django.http import HttpRequest

from commonground.core.errors import Lang


def api_lang(request: HttpRequest) -> Lang:
    return "vi" if request.headers.get("Accept-Language", "").lower().startswith("vi") else "en"
