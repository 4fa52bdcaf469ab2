"""Template tags: on the facility page, what worked for factories like it."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.core.errors import Lang
from commonground.facilities.models import Facility
from commonground.improvement import services

register = template.Library()
SHOWN = 3  # the strongest effects; the improvement page lists more


@register.inclusion_tag("improvement/_peer_insights.html", takes_context=True)
def peer_insights(context: Any, facility: Facility) -> dict[str, Any]:
    """Up to three "factories like yours that did X saw Y, n = …" sentences (none under k)."""
    request = context["request"]
    lang: Lang = "vi" if request.LANGUAGE_CODE == "vi" else "en"
    found = services.get_peer_insights(facility.pk, user=request.user, lang=lang)
    return {"facility": facility, "insights": found[:SHOWN], "more": len(found) > SHOWN}
