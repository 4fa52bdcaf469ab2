"""Numbers and money as a reader writes them: 5,200,000 and 87.5 in English, 5.200.000 and 87,5 in
Vietnamese (spaces group thousands in both). One rule for showing and for reading back: whatever
`format_number` shows, `parse_number` reads as the same value in the same language.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .errors import Lang
from .i18n import gettext, gettext_noop

MAX_LENGTH = 64
"""A number typed by a person is never longer; longer input is refused without being read."""

_DECIMAL: dict[Lang, str] = {"en": ".", "vi": ","}
_GROUP: dict[Lang, str] = {"en": ",", "vi": "."}
_EXPONENT = re.compile(r"^(?P<mantissa>.*?)[eE](?P<exponent>[+-]?[0-9]+)$")
_SPACES = re.compile(r"\s+")  # any Unicode space: U+0020, no-break U+00A0, narrow U+202F, thin U+2009
_ALLOWED = re.compile(r"^[-+]?[0-9., ]*(?:[eE][-+]?[0-9]+)?$")
_QUANTITY = re.compile(
    r"^(?P<before>[^\d\s+\-−.,][^\d]*?)?\s*(?P<number>[-+−]?[\d.,\s]*\d(?:[eE][-+]?\d+)?)\s*(?P<after>[^\d.,+\-].*)?$",
    re.DOTALL,
)
_SCIENTIFIC_FROM = 1e15  # beyond this (or below 1e-6) a number is shown as 1,5e20 instead of 21 digits


class NumberProblem(ValueError):
    """Text that is not a number in the reader's convention; `code` and `params` render the message
    (core.errors.MESSAGES), which shows how to write it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# ---- showing ------------------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(day: Any, lang: Lang) -> str:
    """A date as the pages write it (config/formats): 06/12/2026 in Vietnamese, 6 Dec 2026 in English;
    a date-time shows its time too (13:05)."""
    time = f" {day:%H:%M}" if hasattr(day, "hour") else ""
    if lang == "vi":
        return f"{day:%d/%m/%Y}{time}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}{',' if time else ''}{time}"


def format_number(value: float, lang: Lang, digits: int | None = None) -> str:
    """`value` with grouped thousands; every digit it has when `digits` is None (so the text reads
    back as the same float), otherwise at most `digits` decimals. Trailing zeros are dropped."""
    value = float(value)
    if not math.isfinite(value):
        return "–"
    if digits is not None:
        value = round(value, digits)
    if value == 0:
        return "0"
    if abs(value) >= _SCIENTIFIC_FROM or abs(value) < 1e-6:
        return _scientific(value, lang)
    text = format(Decimal(repr(value)), "f")
    return _localise(text, lang)


def _scientific(value: float, lang: Lang) -> str:
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    shown = "".join(map(str, digits))
    mantissa = shown[0] + (_DECIMAL[lang] + shown[1:] if len(shown) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}e{int(exponent) + len(shown) - 1}"


def _localise(text: str, lang: Lang) -> str:
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", _GROUP[lang])
    return sign + grouped + (_DECIMAL[lang] + fraction if fraction else "")


def number(x: float, lang: Lang, digits: int = 1) -> str:
    """A number with grouped thousands and at most `digits` decimals (trailing zeros dropped)."""
    return format_number(x, lang, digits)


def readable(value: float, lang: Lang) -> str:
    """A number in a message: exact when it is of a sensible size, 1e300 rather than 300 digits."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return format_number(value, lang)


def percent(rate: float | None, lang: Lang, digits: int = 1) -> str:
    """A rate between 0 and 1 as a percentage: 87,5 % in Vietnamese, 87.5% in English."""
    if rate is None or not math.isfinite(rate):
        return "–"
    return per_cent(format_number(rate * 100, lang, digits), lang)


def per_cent(shown: str, lang: Lang) -> str:
    """A number already written in per cent, with its sign as each language sets it: 87,5 % / 87.5%."""
    return f"{shown} %" if lang == "vi" else f"{shown}%"


def money(amount: float | None, lang: Lang, digits: int | None = None, per: str = "") -> str:
    """An amount in đồng: 5.200.000 đ in Vietnamese, VND 5,200,000 in English; `per` ("/tháng",
    "/month") follows the amount."""
    if amount is None:
        return "–"
    shown = format_number(amount, lang, digits)
    return f"{shown} đ{per}" if lang == "vi" else f"VND {shown}{per}"


# Words for amounts of money, in English; their Vietnamese is in the catalogue (decision 0014).
MONEY_WORDS = {
    "billion": gettext_noop("{amount} billion VND"),
    "million": gettext_noop("{amount} million VND"),
    "one": gettext_noop("{amount} VND"),
}


def money_vnd(amount: float, lang: Lang) -> str:
    """An amount in đồng, in millions or billions when large (2.5 billion VND, 2,5 tỷ đồng)."""
    for size, words in ((1e9, "billion"), (1e6, "million")):
        if abs(amount) >= size:
            return gettext(MONEY_WORDS[words], lang).format(amount=number(amount / size, lang))
    return gettext(MONEY_WORDS["one"], lang).format(amount=number(amount, lang, 0))


def money_range(low: float, high: float, lang: Lang) -> str:
    if low == high:
        return money_vnd(low, lang)
    return f"{money_vnd(low, lang)} – {money_vnd(high, lang)}"


# ---- reading ------------------------------------------------------------------------------------


def parse_number(text: str, lang: Lang) -> float:
    """The number `text` writes in `lang`'s convention, or raise NumberProblem saying how to write it.

    Vietnamese: 5.200.000 or 5 200 000, 87,5. English: 5,200,000 or 5 200 000, 87.5. Groups must be
    whole (1–3 digits, then threes); 1,5e3 style exponents are read; -0 is 0.
    """
    if len(text) > MAX_LENGTH:
        raise NumberProblem("number_too_long", max=MAX_LENGTH)
    cleaned = _SPACES.sub(" ", text.replace("\u2212", "-")).strip()
    if not cleaned:
        raise NumberProblem("number_empty", **_rule(lang))
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in cleaned):
        raise NumberProblem("number_digits", text=echo(text))
    if not any("0" <= ch <= "9" for ch in cleaned):
        raise NumberProblem("not_a_number", text=echo(text))
    if not _ALLOWED.match(cleaned):
        raise NumberProblem("number_malformed", text=echo(text), **_rule(lang))
    value = _read(cleaned, lang)
    if value is None:
        raise _wrongly_written(text, cleaned, lang)
    return value


def _read(text: str, lang: Lang) -> float | None:
    """The value of well-formed `text` in `lang`, None when it is not well formed there."""
    match = _EXPONENT.match(text)
    mantissa, exponent = (match["mantissa"], match["exponent"]) if match else (text, "0")
    sign = "-" if mantissa.startswith("-") else ""
    mantissa = mantissa.lstrip("+-").strip()
    whole, sep, fraction = mantissa.partition(_DECIMAL[lang])
    if (sep and not fraction.isdigit()) or not _whole_ok(whole, lang, bool(fraction)):
        return None
    digits = _ungroup(whole) or "0"
    if len(exponent.lstrip("+-")) > 3:
        raise NumberProblem("number_too_large", text=echo(text))
    value = float(f"{sign}{digits}.{fraction or '0'}e{exponent}")
    if not math.isfinite(value) or (value == 0 and (digits + fraction).strip("0")):
        raise NumberProblem("number_too_large", text=echo(text))
    return value + 0.0  # -0.0 becomes 0.0


def _whole_ok(whole: str, lang: Lang, has_fraction: bool) -> bool:
    if whole == "":
        return has_fraction  # ,5 / .5
    if whole.isdigit():
        return True
    for sep in (_GROUP[lang], " "):
        parts = whole.split(sep)
        if len(parts) > 1 and all(p.isdigit() for p in parts):
            first_ok = 1 <= len(parts[0]) <= 3 and not parts[0].startswith("0")
            return first_ok and all(len(p) == 3 for p in parts[1:])
    return False


def _ungroup(whole: str) -> str:
    return whole.replace(" ", "").replace(".", "").replace(",", "")


def _wrongly_written(text: str, cleaned: str, lang: Lang) -> NumberProblem:
    """Malformed here: when the other convention reads it, say how to write that value here."""
    other: Lang = "en" if lang == "vi" else "vi"
    try:
        meant = _read(cleaned, other)
    except NumberProblem:
        meant = None
    if meant is None:
        return NumberProblem("number_malformed", text=echo(text), **_rule(lang))
    params = {"text": echo(text), "suggestion": format_number(meant, lang), **_rule(lang)}
    whole, _, fraction = cleaned.partition(_DECIMAL[other])
    if (
        whole.lstrip("+-").isdigit()
        and 1 <= len(fraction) <= 2
        and fraction.isdigit()
        and "e" not in cleaned.lower()
    ):
        thousands = float(whole + fraction.ljust(3, "0"))  # 1.5 may have meant 1.500
        return NumberProblem("number_convention_or", thousands=format_number(thousands, lang), **params)
    return NumberProblem("number_convention", **params)


MARK_WORDS = {",": gettext_noop("a comma"), ".": gettext_noop("a point")}


@dataclass(frozen=True)
class Mark:
    """A separator named in the words of the message's reader: "," -> a comma / dấu phẩy."""

    char: str

    def in_lang(self, lang: Lang) -> str:
        return gettext(MARK_WORDS[self.char], lang)


def _rule(lang: Lang) -> dict[str, Any]:
    return {
        "decimal_example": format_number(87.5, lang),
        "group_example": format_number(5_200_000, lang),
        "decimal_mark": Mark(_DECIMAL[lang]),
        "group_mark": Mark(_GROUP[lang]),
    }


def echo(text: str) -> str:
    """`text` safe to echo in a message: control characters shown as �, at most MAX_LENGTH long."""
    shown = "".join(ch if ch.isprintable() or ch == " " else "\ufffd" for ch in text.strip())
    return shown if len(shown) <= MAX_LENGTH else shown[: MAX_LENGTH - 1] + "…"


def split_quantity(text: str) -> tuple[str, str | None]:
    """`text` as (number, unit words): "44 giờ" -> ("44", "giờ"), "VND 5,200,000/month" ->
    ("5,200,000", "VND/month"), "87,5 %" -> ("87,5", "%"). Text that does not look like a number
    with a unit comes back whole, for parse_number to refuse with its message."""
    if len(text) > MAX_LENGTH:
        return text, None
    match = _QUANTITY.match(text.strip())
    if match is None:
        return text, None
    before, after = (match["before"] or "").strip(), (match["after"] or "").strip()
    if before and after and not after.startswith("/"):
        return text, None
    return match["number"], (before + after) or None  # VND 5,200,000/month -> VND/month
