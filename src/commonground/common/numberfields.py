"""A form field for a number typed by a person, read and shown by the one rule of core.numbers in
the request's language (5.200.000 / 5,200,000), instead of Django's `type="number"` fields, which
browsers empty when the reader groups thousands, and whose messages read badly in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.common.language import active_lang
from commonground.core import numbers
from commonground.core.errors import Problem


def _refusal(code: str, **params: Any) -> forms.ValidationError:
    return forms.ValidationError(Problem(code, params=params).message(active_lang()), code=code)


class NumberField(forms.Field):
    """A number (`whole` for a count) between `min_value` and `max_value`; blank is None."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": "64"})

    def __init__(
        self,
        *,
        whole: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
        **kw: Any,
    ) -> None:
        self.whole, self.min_value, self.max_value = whole, min_value, max_value
        super().__init__(**kw)

    def to_python(self, value: Any) -> float | int | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = numbers.parse_number(str(value), active_lang())
            except numbers.NumberProblem as exc:
                raise _refusal(exc.code, **exc.params) from None
        if self.whole and not number.is_integer():
            raise _refusal("wrong_type", type="integer", value=number)
        return int(number) if self.whole else number

    def validate(self, value: Any) -> None:
        super().validate(value)
        low = -float("inf") if self.min_value is None else float(self.min_value)
        high = float("inf") if self.max_value is None else float(self.max_value)
        if value is not None and not low <= value <= high:
            raise _refusal("out_of_range", value=float(value), low=low, high=high, unit="")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return numbers.format_number(value, active_lang())
        return value
