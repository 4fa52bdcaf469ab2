"""`{% standing summary %}`: a compliance figure with what it stands on, in words and as a bar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import get_language

from commonground.core.numbers import number
from commonground.core.standing import standing as standing_of

register = template.Library()


def _percent(share: float | None, lang: str) -> str:
    return "–" if share is None else f"{number(100 * share, 'vi' if lang == 'vi' else 'en', 0)} %"


@register.inclusion_tag("web/_standing.html")
def standing(summary: Any, compact: bool = False) -> dict[str, Any]:
    """`summary`: a framework Summary (its `counts`) or the counts themselves."""
    counts: Mapping[str, int] = summary if isinstance(summary, Mapping) else summary.counts
    s = standing_of(counts)
    lang = get_language() or "en"
    return {
        "s": s,
        "rate": _percent(s.rate, lang),
        "answered": _percent(s.decided_share, lang),
        "bar": s.bar(),
        "compact": compact,
    }
