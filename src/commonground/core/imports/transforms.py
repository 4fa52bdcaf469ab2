"""Value transforms: an answer as another tool writes it -> the canonical value of a data point.

Each transform turns what a cell holds (text, a number, a date) into what `catalogue.normalise`
accepts, which then checks the type, converts the unit (pint) and checks the range. `None` means
"not answered" (blank, or N.A.): the row is skipped, not an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .. import numbers, units
from ..catalogue import DataPoint, Value, ValueProblem, normalise
from ..errors import Lang
from .profile import Mapping, normal_key

YES = frozenset({"yes", "y", "true", "có", "co", "đúng", "dung", "x", "✓", "✔", "1"})
NO = frozenset({"no", "n", "false", "không", "khong", "sai", "0"})
PARTIAL = frozenset({"partial", "partly", "partially", "một phần", "mot phan", "1 phần"})
NOT_APPLICABLE = frozenset(
    {"n.a.", "n/a", "na", "n.a", "not applicable", "không áp dụng", "khong ap dung", "kad", "-", "—"}
)
MARKED = frozenset({"x", "✓", "✔", "yes", "có", "co", "1", "true"})
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SEPARATORS = re.compile(r"\s*[|;\n]\s*")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def not_applicable(value: Any) -> bool:
    return isinstance(value, str) and normal_key(value) in NOT_APPLICABLE


def apply(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> Value | None:
    """The canonical value of `raw` for `dp` through mapping `m` (None: the `auto` transform), in
    `unit` when the file gives one; None when the answer is blank or not applicable."""
    if blank(raw) or not_applicable(raw):
        return None
    name: str = m.transform if m is not None else "auto"
    if name == "auto":
        name = _AUTO[dp.type]
    value, unit = _TRANSFORMS[name](m, dp, raw, unit or (m.unit if m else None), lang)
    if value is None:
        return None
    return normalise(dp, value, unit, lang)


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _yes_no(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    if isinstance(raw, bool):
        return raw, None
    word = normal_key(_text(raw))
    if word in YES:
        return True, None
    if word in NO:
        return False, None
    raise ValueProblem("answer_unknown", value=numbers.echo(str(raw)), choices="Yes, No, Có, Không, N.A.")


def _yes_partial_no(
    m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang
) -> tuple[Any, None]:
    word = normal_key(_text(raw))
    for words, code in ((YES, "yes"), (PARTIAL, "partial"), (NO, "no")):
        if word in words:
            return code, None
    raise ValueProblem(
        "answer_unknown", value=numbers.echo(str(raw)), choices="Yes, Partial, No, Có, Một phần, Không, N.A."
    )


def _number(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, Any]:
    if isinstance(raw, bool | dt.date):
        raise ValueProblem("wrong_type", type=dp.type, value=str(raw))
    return (raw, unit) if isinstance(raw, int | float) else (str(raw).strip(), unit)


def _percent(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, Any]:
    """0–100, with or without a % sign (87,5 % / 87.5)."""
    value, _ = _number(m, dp, raw, None, lang)
    return value, None  # a % written with the number is read by catalogue.normalise


def _fraction(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, Any]:
    """0–1 (0.875 is 87.5 %); text written with a % sign is already per cent."""
    value, _ = _number(m, dp, raw, None, lang)
    if isinstance(value, str):
        number, written = numbers.split_quantity(value)
        if written is not None:
            return value, None
        value = _parse(number, lang)
    return round(float(value) * 100, 9), None


def _parse(text: str, lang: Lang) -> float:
    try:
        return numbers.parse_number(text, lang)
    except numbers.NumberProblem as exc:
        raise ValueProblem(exc.code, **exc.params) from None


def _vnd(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, Any]:
    """Đồng with separators and the currency written or not: 5.200.000 đ, VND 5,200,000, 5200000."""
    value, _ = _number(m, dp, raw, None, lang)
    if isinstance(value, str):
        number, written = numbers.split_quantity(value)
        if written is not None and units.parse_unit_word(written) != "VND":
            raise ValueProblem("unit_incompatible", unit=written, expected=dp.unit or "VND")
        value = number
    return value, None


def _date_dmy(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    return read_date(raw), None


def read_date(raw: Any) -> dt.date:
    """A date from a date cell, dd/mm/yyyy (also with . or -) or YYYY-MM-DD."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _text(raw)
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueProblem("date_invalid_dmy", value=numbers.echo(text)) from None


def _option(dp: DataPoint, word: str) -> str:
    """An option by its code or its label in either language, case and spaces aside."""
    key = normal_key(word)
    for option in dp.options:
        if key in (normal_key(option.value), normal_key(option.label.en), normal_key(option.label.vi)):
            return option.value
    raise ValueProblem("option_unknown", value=numbers.echo(word), choices=", ".join(dp.option_values))


def _enum(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    return _option(dp, _text(raw)), None


def _multi(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    """Several options separated by | (or ; or a line break), each a code or a label; or codes
    separated by spaces (an ODK or Kobo export)."""
    parts = [p for p in _SEPARATORS.split(_text(raw)) if p]
    if len(parts) == 1 and "," in parts[0] and not _is_option(dp, parts[0]):
        parts = [p.strip() for p in parts[0].split(",") if p.strip()]  # codes written with commas
    if (
        len(parts) == 1
        and not _is_option(dp, parts[0])
        and all(c in dp.option_values for c in parts[0].split())
    ):
        parts = parts[0].split()  # codes separated by spaces: how ODK and Kobo export select_multiple
    return [_option(dp, p) for p in parts], None


def _is_option(dp: DataPoint, word: str) -> bool:
    try:
        _option(dp, word)
    except ValueProblem:
        return False
    return True


def _mark_x(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    """A row per option, marked with X (or ✓, Yes, Có); unmarked (No, Không) selects nothing."""
    word = normal_key(_text(raw))
    if word in MARKED:
        assert m is not None and m.option is not None  # checked with the library
        return [m.option], None
    if word in NO:
        return [], None
    raise ValueProblem("answer_unknown", value=numbers.echo(str(raw)), choices="X, ✓, Yes, Có, No, Không")


def _map(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    assert m is not None
    table = {normal_key(k): v for k, v in m.values.items()}
    code = table.get(normal_key(_text(raw)))
    if code is None:
        raise ValueProblem("answer_unknown", value=numbers.echo(str(raw)), choices=", ".join(m.values))
    if dp.type == "boolean":
        return code == "true", None
    return ([code] if dp.type == "multi-enum" else code), None


def _as_text(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    if isinstance(raw, dt.date):
        return raw.isoformat(), None
    return _text(raw), None


def _auto_date(m: Mapping | None, dp: DataPoint, raw: Any, unit: str | None, lang: Lang) -> tuple[Any, None]:
    return read_date(raw), None


_Fn = Callable[[Mapping | None, DataPoint, Any, "str | None", Lang], tuple[Any, Any]]
_TRANSFORMS: dict[str, _Fn] = {
    "yes_no": _yes_no,
    "yes_partial_no": _yes_partial_no,
    "number": _number,
    "percent": _percent,
    "fraction": _fraction,
    "vnd": _vnd,
    "date_dmy": _date_dmy,
    "multi": _multi,
    "mark_x": _mark_x,
    "text": _as_text,
    "map": _map,
    "enum": _enum,
}
_AUTO = {
    "boolean": "yes_no",
    "integer": "number",
    "decimal": "number",
    "enum": "enum",
    "multi-enum": "multi",
    "date": "date_dmy",
    "text": "text",
}
