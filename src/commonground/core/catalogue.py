"""The catalogue of data points: the common language every framework is written in."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from . import numbers, units
from .errors import Lang
from .text import Model, Text

DataType = Literal["boolean", "integer", "decimal", "enum", "multi-enum", "date", "text"]
NUMERIC_TYPES = ("integer", "decimal")
Verification = Literal[
    "document_review",
    "management_interview",
    "worker_interview",
    "observation",
    "measurement",
    "lab_report",
]

ID_PATTERN = r"^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9_]*$"


class Option(Model):
    value: str
    label: Text

    @field_validator("value", mode="before")
    @classmethod
    def _code_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class DataPoint(Model):
    id: str = Field(pattern=ID_PATTERN)
    type: DataType
    unit: units.UnitName | None = None
    min: float | None = None
    max: float | None = None
    options: tuple[Option, ...] = ()
    label: Text
    help: Text
    verification: tuple[Verification, ...] = Field(min_length=1)
    sensitive: bool = False

    @property
    def topic(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    @model_validator(mode="after")
    def _consistent(self) -> DataPoint:
        if self.unit is not None and not self.numeric:
            raise ValueError(f"a {self.type} data point has no unit")
        if self.type in ("enum", "multi-enum") and not self.options:
            raise ValueError(f"a {self.type} data point needs options")
        if self.options and self.type not in ("enum", "multi-enum"):
            raise ValueError(f"a {self.type} data point has no options")
        if len(set(self.option_values)) != len(self.options):
            raise ValueError("option values must be unique")
        if self.type == "multi-enum" and len(self.options) > 62:
            raise ValueError("a multi-enum data point has at most 62 options")
        return self


class TopicHeader(Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    # Profile facts (sector, region, processes) decide which rules apply; they are context, never
    # findings or targets themselves.
    context: bool = False


class TopicFile(Model):
    topic: TopicHeader
    datapoints: tuple[DataPoint, ...]


# ---- answers: turning what a person wrote into a canonical value -------------------------------

Value = bool | float | str | frozenset[str] | dt.date


class ValueProblem(ValueError):
    """An answer that does not fit its data point; `code` and `params` name the problem."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_TRUE = {"true", "yes", "y", "1", "có", "co", "đúng", "dung"}
_FALSE = {"false", "no", "n", "0", "không", "khong", "sai"}


def _wrong_type(dp: DataPoint, raw: Any) -> ValueProblem:
    value = raw if isinstance(raw, float) else numbers.echo(str(raw))  # never 10,000 characters back
    return ValueProblem("wrong_type", type=dp.type, value=value)


def _as_bool(dp: DataPoint, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise _wrong_type(dp, raw)


def _as_number(dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> float:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise _wrong_type(dp, raw)
    if isinstance(raw, str):
        raw, unit = _unit_in_text(dp, raw, unit)
    try:
        number = numbers.parse_number(raw, lang) if isinstance(raw, str) else float(raw)
    except numbers.NumberProblem as exc:
        if exc.code == "not_a_number":  # no digit at all: not a number written wrongly, just not one
            raise _wrong_type(dp, raw) from None
        raise ValueProblem(exc.code, **exc.params) from None
    except OverflowError:
        raise ValueProblem("number_too_large", text=str(raw)[:20] + "…") from None
    if not math.isfinite(number):
        raise _wrong_type(dp, raw)
    number = _convert(dp, number, unit)
    if dp.type == "integer" and not number.is_integer():
        raise _wrong_type(dp, number)
    _check_range(dp, number)
    return number


def _unit_in_text(dp: DataPoint, text: str, unit: str | None) -> tuple[str, str | None]:
    """A number written with its unit (44 giờ, 5.200.000 đ/tháng, 87,5 %) and the unit given apart.
    Money written as just đồng, with the number or as the unit, is in the data point's own basis
    (5.200.000 đ for a monthly wage)."""
    number, written = numbers.split_quantity(text)
    if written is None:
        number = text
    elif unit is not None and units.parse_unit_word(written) != units.parse_unit_word(unit):
        raise ValueProblem("unit_twice", written=written, unit=unit)
    given = written or unit
    if given is not None and units.parse_unit_word(given) == "VND" and (dp.unit or "").startswith("VND/"):
        return number, dp.unit
    return number, given


def _convert(dp: DataPoint, number: float, unit: str | None) -> float:
    if unit is None or unit == dp.unit:
        return number
    if dp.unit is None:
        raise ValueProblem("unit_not_allowed", unit=unit)
    if not units.is_known(unit):
        raise ValueProblem("unknown_unit", unit=unit)
    if not units.same_money_basis(unit, dp.unit):
        raise ValueProblem("unit_money_basis", unit=unit, expected=dp.unit)
    try:
        return units.convert(number, unit, dp.unit)
    except ValueError:
        raise ValueProblem("unit_incompatible", unit=unit, expected=dp.unit) from None


def _check_range(dp: DataPoint, number: float) -> None:
    low = -math.inf if dp.min is None else dp.min
    high = math.inf if dp.max is None else dp.max
    if not low <= number <= high:
        raise ValueProblem("out_of_range", value=number, low=low, high=high, unit=units.UnitWord(dp.unit))


def _as_option(dp: DataPoint, raw: Any) -> str:
    code = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else None
    if code is None or code not in dp.option_values:
        raise ValueProblem("option_unknown", value=raw, choices=", ".join(dp.option_values))
    return code


def _as_options(dp: DataPoint, raw: Any) -> frozenset[str]:
    if isinstance(raw, str):
        raw = [part for part in (p.strip() for p in raw.split(",")) if part]
    if not isinstance(raw, list | tuple | set | frozenset):
        raise _wrong_type(dp, raw)
    return frozenset(_as_option(dp, item) for item in raw)


def _as_date(dp: DataPoint, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueProblem("date_invalid", value=raw) from None


def normalise(dp: DataPoint, raw: Any, unit: str | None = None, lang: Lang = "en") -> Value:
    """The canonical value of an answer, or raise ValueProblem.

    Numbers become floats in the data point's unit; enums strings; multi-enums frozensets. A number
    written as text is read in `lang`'s convention (core.numbers); "en" is the neutral one of the API
    and of assessment files (5,200,000.5).
    """
    if unit is not None and not dp.numeric:
        raise ValueProblem("unit_not_allowed", unit=unit)
    if dp.type == "boolean":
        return _as_bool(dp, raw)
    if dp.numeric:
        return _as_number(dp, raw, unit, lang)
    if dp.type == "enum":
        return _as_option(dp, raw)
    if dp.type == "multi-enum":
        return _as_options(dp, raw)
    if dp.type == "date":
        return _as_date(dp, raw)
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise _wrong_type(dp, raw)
    return str(raw)
