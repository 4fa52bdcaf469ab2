"""Numbers in the reader's language on pages: `{% load cg_numbers %}` then `value|num`,
`value|num:1`, `amount|money`, `rate|pct`. One rule with the CLI and reports (core.numbers)."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.common.language import active_lang
from commonground.core import numbers, units
from commonground.core.report import value_text

register = template.Library()


def _number(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


@register.filter
def num(value: Any, digits: int | None = None) -> str:
    """5.200.000 / 5,200,000; every digit the value has, or at most `digits` decimals. What this
    shows in a form field reads back as the same value."""
    number = _number(value)
    if number is None:
        return "" if value is None else str(value)
    return numbers.format_number(number, active_lang(), None if digits is None else int(digits))


@register.filter
def money(value: Any, digits: int = 0) -> str:
    """An amount in đồng: 5.200.000 đ / VND 5,200,000."""
    number = _number(value)
    return "–" if number is None else numbers.money(number, active_lang(), int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    """A rate between 0 and 1: 87,5 % / 87.5%."""
    return numbers.percent(_number(value), active_lang(), int(digits))


@register.filter
def unit(value: Any) -> str:
    """A catalogue unit in the reader's words: h -> giờ / h, VND/month -> đồng/tháng / VND/month."""
    return units.unit_word(str(value), active_lang()) if value else ""


@register.filter
def answer(value: Any, datapoint: str) -> str:
    """A stored answer of `datapoint` as the reader reads it (value_text): 5.200.000 đ/tháng, 44 h,
    option labels, yes/no; "–" when there is none."""
    from commonground.accounts.library import library

    dp = library().datapoints.get(datapoint)
    if value is None or value == "":
        return "–"
    if dp is None:
        return str(value)
    return value_text(frozenset(value) if isinstance(value, list) else value, dp, active_lang())
