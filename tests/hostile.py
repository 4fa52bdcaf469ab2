"""A catalogue of hostile values, shared by the page and API matrices (tests/web/test_hostile_input.py).

Each value is sent once per field: text in a form or a query, a JSON token in an API body. The lone
surrogate cannot travel as text in a form or a query (it is not valid UTF-8), so there it is the raw
bytes that do not decode; in JSON it is the escape, which does decode to a lone surrogate."""

from __future__ import annotations

from dataclasses import dataclass

VERY_LONG = "ê" * 10_000  # beyond every max_length of the models (the longest is 300)
TWO_64 = 2**64


@dataclass(frozen=True)
class Hostile:
    name: str
    form: str  # percent-encoded, as it goes in a query string or a urlencoded form
    json: str  # the raw JSON token


def _quoted(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _json(text: str) -> str:
    import json

    return json.dumps(text)


def text(name: str, value: str) -> Hostile:
    return Hostile(name, _quoted(value), _json(value))


def over_length(max_length: int) -> Hostile:
    """One character beyond a field's limit."""
    return text(f"over_length_{max_length}", "x" * (max_length + 1))


CATALOGUE: tuple[Hostile, ...] = (
    text("very_long", VERY_LONG),
    Hostile("lone_surrogate", "%ED%A0%80", '"\\ud800"'),
    Hostile("undecodable", "%FF%FE", '"\\udfff"'),
    text("bidi", "abc\u202edef"),
    text("zero_width", "a\u200bb"),
    text("nul", "a\x00b"),
    Hostile("1e400", "1e400", "1e400"),
    Hostile("nan", "NaN", "NaN"),
    Hostile("infinity", "Infinity", "-Infinity"),
    Hostile("2^64", str(TWO_64), str(TWO_64)),
    Hostile("-2^64", str(-TWO_64), str(-TWO_64)),
    Hostile("2^64_text", str(TWO_64), _json(str(TWO_64))),  # a number in a string (dates, ids as text)
)
# the values an id in a path is tried with (the path converters take digits only)
PATH_IDS: tuple[str, ...] = (str(TWO_64), "9" * 40, "0")

DEEP_JSON = "[" * 10_000 + "]" * 10_000
MALFORMED_JSON = '{"a": '
