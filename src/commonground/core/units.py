"""Units of measure, through pint: compatible units convert, incompatible ones are refused."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

import pint
from pydantic import AfterValidator

from .errors import Lang
from .i18n import npgettext, npgettext_noop, pgettext, pgettext_noop

# Units the sector needs beyond pint's defaults. Currencies, CO2-equivalent, normal cubic metres,
# colour and A-weighted noise are their own dimensions, so nothing converts into them by accident.
_DEFINITIONS = """
VND = [currency]
kgCO2e = [greenhouse_gas]
tCO2e = 1000 * kgCO2e
Nm3 = [normal_volume]
PtCo = [colour]
dBA = [a_weighted_sound_level]
TOE = 41.868 * gigajoule
m3 = meter ** 3
m2 = meter ** 2
"""

# Spelling a person types -> what pint parses.
_ALIASES = {"%": "percent", "m³": "m3", "m²": "m2", "°C": "degC", "pct": "percent"}


@lru_cache(maxsize=1)
def registry() -> Any:
    ureg: Any = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


# ---- unit words: the one table pages, reports and the CLI show units from, and read them back ----

# The catalogue's unit -> its symbol or word in English; the Vietnamese of a word is in the catalogue,
# context "unit" (decision 0014): h -> giờ, t -> tấn. A compound unit not listed is shown word by word.
_WORDS: dict[str, str] = {
    "count": "",
    "%": "%",
    "percent": "%",
    "h": pgettext_noop("unit", "h"),
    "min": pgettext_noop("unit", "min"),
    "VND": pgettext_noop("unit", "VND"),
    "t": pgettext_noop("unit", "t"),
    "kg": "kg",
    "L": pgettext_noop("unit", "L"),
    "m": "m",
    "m2": "m²",
    "m3": "m³",
    "Nm3": "Nm³",
    "kWh": "kWh",
    "GJ": "GJ",
    "TOE": "TOE",
    "tCO2e": pgettext_noop("unit", "tCO₂e"),
    "kgCO2e": pgettext_noop("unit", "kgCO₂e"),
    "degC": "°C",
    "PtCo": "Pt-Co",
    "dBA": "dBA",
    "lux": "lux",
    "1/m": "m⁻¹",
}
# Time units are counted: the plural first (8 days), the singular for one and after a slash
# (1 day, VND/month); ngettext chooses (Vietnamese has one form).
_COUNTED: dict[str, tuple[str, str]] = {
    "day": npgettext_noop("unit", "day", "days"),
    "week": npgettext_noop("unit", "week", "weeks"),
    "month": npgettext_noop("unit", "month", "months"),
    "year": npgettext_noop("unit", "year", "years"),
}

# Words a person types -> the unit pint knows (Vietnamese, with or without diacritics, and symbols).
_TYPED: dict[str, str] = {
    "giờ": "h", "gio": "h", "tiếng": "h", "tieng": "h", "phút": "min", "phut": "min",
    "ngày": "day", "ngay": "day", "tuần": "week", "tuan": "week", "tháng": "month", "thang": "month",
    "năm": "year", "nam": "year", "đồng": "VND", "dong": "VND", "đ": "VND", "₫": "VND", "vnd": "VND",
    "vnđ": "VND", "tấn": "t", "tan": "t", "lít": "L", "lit": "L", "l": "L", "kwh": "kWh",
    "m³": "m3", "m²": "m2", "nm³": "Nm3", "°c": "degC", "độ c": "degC", "%": "percent",
    "pct": "percent", "phần trăm": "percent", "người": "count", "nguoi": "count",
    "tco₂e": "tCO2e", "tấn co₂e": "tCO2e", "tấn co2e": "tCO2e", "kgco₂e": "kgCO2e", "kg co₂e": "kgCO2e",
    "kg co2e": "kgCO2e", "pt-co": "PtCo", "m⁻¹": "1/m",
}  # fmt: skip


def unit_word(unit: str | None, lang: Lang, *, one: bool = False) -> str:
    """The catalogue's `unit` as a reader writes it: h -> giờ, VND/month -> đồng/tháng, m3 -> m³;
    `one` for a quantity of exactly one (1 day)."""
    if not unit:
        return ""
    parts = [unit] if unit in _WORDS or unit in _COUNTED else unit.split("/")
    return "/".join(_word(p, lang, 1 if one or k else 2) for k, p in enumerate(parts))


def _word(part: str, lang: Lang, n: int) -> str:
    if part in _COUNTED:
        return npgettext("unit", *_COUNTED[part], n, lang)
    word = _WORDS.get(part, part)
    return pgettext("unit", word, lang) if word else word


def parse_unit_word(text: str) -> str | None:
    """The unit pint knows for what a person typed (giờ, đ/tháng, m³, kWh…), None when unknown."""
    words = [_typed(part) for part in unicodedata.normalize("NFC", text).strip().split("/")]
    if any(not w for w in words):
        return None
    unit = "/".join(words)
    return unit if is_known(unit) else None


def _typed(word: str) -> str:
    word = " ".join(word.split())
    return _TYPED.get(word.casefold(), word)


@dataclass(frozen=True)
class UnitWord:
    """A unit in a message, written in the reader's words when the message is rendered."""

    unit: str | None

    def in_lang(self, lang: Lang) -> str:
        word = unit_word(self.unit, lang)
        return f" {word}" if word and word != "%" else word


def _normalise(unit: str) -> str:
    unit = unit.strip()
    if "/" in unit or unit.casefold() in _TYPED:
        unit = "/".join(_typed(part) for part in unicodedata.normalize("NFC", unit).split("/"))
    for alias, real in _ALIASES.items():
        unit = unit.replace(alias, real)
    return unit


@lru_cache(maxsize=512)
def parse_unit(unit: str) -> Any:
    """The pint unit for `unit`, or raise ValueError when pint does not know it."""
    try:
        return registry().parse_units(_normalise(unit))
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        TypeError,
        ValueError,
        AssertionError,
    ) as exc:
        raise ValueError(unit) from exc


def is_known(unit: str) -> bool:
    try:
        parse_unit(unit)
    except ValueError:
        return False
    return True


def _checked(unit: str) -> str:
    if not is_known(unit):
        raise ValueError(f"unknown unit '{unit}'")
    return unit


UnitName = Annotated[str, AfterValidator(_checked)]
"""A unit that pint understands, for library models."""


def same_money_basis(unit: str, other: str) -> bool:
    """False when both are money per time but per a different time (VND/h against VND/month).

    Calendar time would turn an hourly wage into a monthly one by 730 hours; the law converts by
    normal working hours instead, so such answers are refused rather than converted.
    """
    a, b = parse_unit(unit), parse_unit(other)
    money_rate = a.dimensionality.get("[currency]") and a.dimensionality.get("[time]")
    return not money_rate or a == b


def compatible(unit: str, other: str) -> bool:
    return bool(parse_unit(unit).dimensionality == parse_unit(other).dimensionality)


def convert(value: float, unit: str, to: str) -> float:
    """Convert `value` from `unit` to `to`; ValueError when they are not compatible."""
    if unit == to:
        return value
    source, target = parse_unit(unit), parse_unit(to)
    if source.dimensionality != target.dimensionality:
        raise ValueError(f"{unit} -> {to}")
    return float(registry().Quantity(value, source).to(target).magnitude)
