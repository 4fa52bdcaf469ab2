"""Parameters: values that change with the date (a new decree) or the context (a wage region)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from . import units
from .text import Label, Model, Text

Confidence = Literal["confirmed", "secondary", "unverified", "uncertain"]


class ParameterRow(Model):
    from_: dt.date = Field(alias="from")
    until: dt.date | None = None
    source: Label
    confidence: Confidence
    value: float | None = None
    by_key: dict[str, float] | None = None
    note: str | None = None

    @field_validator("by_key", mode="before")
    @classmethod
    def _keys_as_text(cls, by_key: object) -> object:
        if isinstance(by_key, dict):
            return {str(k): v for k, v in by_key.items()}
        return by_key

    @model_validator(mode="after")
    def _one_value(self) -> ParameterRow:
        if (self.value is None) == (self.by_key is None):
            raise ValueError("give either 'value' or 'by_key'")
        if self.until is not None and self.until < self.from_:
            raise ValueError("'until' is before 'from'")
        return self


class Parameter(Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    label: Text
    unit: units.UnitName | None = None
    key: str | None = None
    note: Text | None = None
    values: tuple[ParameterRow, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Parameter:
        keyed = {row.by_key is not None for row in self.values}
        if len(keyed) > 1 or (self.key is not None and keyed != {True}):
            raise ValueError("rows use 'by_key' all or none, and always when the parameter has a 'key'")
        for earlier, later in zip(self.values, self.values[1:], strict=False):
            if later.from_ <= earlier.from_ or (earlier.until and earlier.until >= later.from_):
                raise ValueError("rows must be in date order and must not overlap")
        return self

    def row_on(self, day: dt.date) -> ParameterRow | None:
        """The row in force on `day`, if any."""
        found = None
        for index, row in enumerate(self.values):
            if row.from_ > day:
                break
            following = self.values[index + 1].from_ if index + 1 < len(self.values) else None
            last = row.until or (following - dt.timedelta(days=1) if following else None)
            found = row if last is None or day <= last else None
        return found

    def value_on(self, day: dt.date, key: str | None = None) -> float | None:
        """The value in force on `day` (for `key` when the parameter is keyed), or None."""
        row = self.row_on(day)
        if row is None:
            return None
        if row.by_key is None:
            return row.value
        return None if key is None else row.by_key.get(key)

    @property
    def keyed(self) -> bool:
        """One value per key: chosen by the `key` answer, or named in an expression (`id[key]`)."""
        return self.values[0].by_key is not None

    def keys(self) -> set[str]:
        return {k for row in self.values for k in (row.by_key or {})}


class ParameterFile(Model):
    parameters: tuple[Parameter, ...]
