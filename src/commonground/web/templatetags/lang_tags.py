"""Template filters that show library data in the reader's language: labels, framework names, units."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils import formats, translation
from django.utils.translation import gettext as _

from commonground.accounts.library import library
from commonground.core import provinces
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
def sector_label(code: str) -> str:
    """A sector code (garment, footwear…) as its name in the page's language; other text unchanged."""
    from commonground.facilities.models import Facility

    return str(Facility.Sector(code).label) if code in Facility.Sector.values else code


@register.filter
def province_label(name: str) -> str:
    """A province as the page's language names it (Thành phố Hồ Chí Minh: Hồ Chí Minh / Ho Chi Minh
    City; core.provinces.label)."""
    return provinces.label(name, active_lang())


@register.filter
def iso_dates(text: str) -> str:
    """Text that carries ISO dates (a period as recorded: 2024-01-01 – 2024-12-31) with each date as
    the page's language writes it (01/01/2024; 1 Jan 2024)."""

    def shown(match: re.Match[str]) -> str:
        try:
            return formats.date_format(dt.date.fromisoformat(match.group()), "SHORT_DATE_FORMAT")
        except ValueError:
            return match.group()

    return ISO_DATE.sub(shown, str(text))


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
COPIED = re.compile(r"^copied from (\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2})$")


@register.filter
def change_reason(reason: str) -> str:
    """A change's reason as recorded, with the ones the system writes (a copy from an earlier
    period, a verifier's note) in the page's language; what a person wrote stays as written."""
    copied = COPIED.match(reason or "")
    if copied:
        return _("copied from {period}").format(period=iso_dates(copied.group(1)))
    if (reason or "").startswith("verifier: "):
        return _("verifier: {note}").format(note=reason[len("verifier: ") :])
    return reason


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
