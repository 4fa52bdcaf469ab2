"""Template filters that show library data in the reader's language: labels, framework names, units."""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from commonground.assessments.services import library
from commonground.core.errors import Lang
from commonground.core.text import Label, text_in
from commonground.core.units import unit_word as core_unit_word

register = template.Library()


def active_lang() -> Lang:
    return "vi" if (translation.get_language() or "").startswith("vi") else "en"


@register.filter
def label(value: Label | None) -> str:
    """A library label (`{en, vi}` or a plain string) in the page's language."""
    return text_in(value, active_lang())


@register.filter
def framework_name(framework_id: str) -> str:
    """A framework's name in the page's language, never its id (an unknown id stays as it is)."""
    found = library().frameworks.get(framework_id)
    return found.spec.name.get(active_lang()) if found else framework_id


@register.filter
def framework_names(framework_ids: list[str]) -> list[str]:
    """Framework ids to names in the page's language, in order."""
    return [framework_name(f) for f in framework_ids]


@register.filter
def unit_word(unit: str | None) -> str:
    """A unit as the reader writes it: đồng/tháng, giờ… in Vietnamese; VND/month, h… in English."""
    return core_unit_word(unit, active_lang())


@register.filter
def estimate_note(kind: str | None) -> str:
    """Which of a solution's figures are our estimate rather than the source's."""
    if kind == "cost_and_payback":
        return _("cost and payback: our estimate")
    return _("cost: our estimate") if kind == "cost" else ""
