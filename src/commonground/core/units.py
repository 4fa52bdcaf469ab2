"""Units of measure, through pint: compatible units convert, incompatible ones are refused."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

import pint
from pydantic import AfterValidator

from .errors import Lang

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


def _normalise(unit: str) -> str:
    unit = unit.strip()
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


# How a unit is written for a person, in English and Vietnamese: the ONE table of unit words.
# A unit missing here is shown as the library writes it.
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "count": ("", ""),
    "%": ("%", "%"),
    "h": ("h", "giờ"),
    "min": ("min", "phút"),
    "day": ("days", "ngày"),
    "week": ("weeks", "tuần"),
    "month": ("months", "tháng"),
    "year": ("years", "năm"),
    "VND": ("VND", "đồng"),
    "VND/month": ("VND/month", "đồng/tháng"),
    "VND/h": ("VND/h", "đồng/giờ"),
    "t": ("t", "tấn"),
    "kg": ("kg", "kg"),
    "L": ("L", "lít"),
    "m": ("m", "m"),
    "m2": ("m²", "m²"),
    "m3": ("m³", "m³"),
    "m3/day": ("m³/day", "m³/ngày"),
    "mg/L": ("mg/L", "mg/L"),
    "mg/Nm3": ("mg/Nm³", "mg/Nm³"),
    "tCO2e": ("t CO₂e", "tấn CO₂e"),
    "kgCO2e": ("kg CO₂e", "kg CO₂e"),
    "kWh": ("kWh", "kWh"),
    "GJ": ("GJ", "GJ"),
    "TOE": ("TOE", "TOE"),
    "degC": ("°C", "°C"),
    "dBA": ("dBA", "dBA"),
    "PtCo": ("Pt-Co", "Pt-Co"),
    "lux": ("lux", "lux"),
    "1/m": ("1/m", "1/m"),
    "level": ("level", "cấp độ"),
}


def unit_word(unit: str | None, lang: Lang) -> str:
    """`unit` as a person reads it in `lang` (VND/month -> đồng/tháng); "" for none or a count."""
    if not unit:
        return ""
    words = UNIT_WORDS.get(unit)
    if words is None:
        return unit
    return words[1] if lang == "vi" else words[0]
