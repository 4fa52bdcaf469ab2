"""Numbers and money as a reader expects them: 1,234.5 in English, 1.234,5 in Vietnamese."""

from __future__ import annotations

from .errors import Lang


def number(x: float, lang: Lang, digits: int = 1) -> str:
    """A number with grouped thousands and at most `digits` decimals (trailing zeros dropped)."""
    text = f"{x:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def money_vnd(amount: float, lang: Lang) -> str:
    """An amount in đồng, in millions or billions when large (2.5 billion VND, 2,5 tỷ đồng)."""
    for size, en, vi in ((1e9, "billion VND", "tỷ đồng"), (1e6, "million VND", "triệu đồng")):
        if abs(amount) >= size:
            return f"{number(amount / size, lang)} {vi if lang == 'vi' else en}"
    return f"{number(amount, lang, 0)} {'đồng' if lang == 'vi' else 'VND'}"


def money_range(low: float, high: float, lang: Lang) -> str:
    if low == high:
        return money_vnd(low, lang)
    return f"{money_vnd(low, lang)} – {money_vnd(high, lang)}"
