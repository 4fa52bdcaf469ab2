"""Library files checked against their models: each pydantic error becomes a Problem with file and line."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .sources import format_loc, line_of

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], raw: Any, file: str, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        for err in errors:
            problem = None if _echo(err, errors) else problem_from_pydantic(err, raw, file)
            if problem is not None:
                problems.append(problem)
        return None


def _echo(err: Any, errors: list[Any]) -> bool:
    """A list "too short" only because its items are wrong: those items' own problems say it."""
    if err["type"] != "too_short":
        return False
    loc = tuple(err["loc"])
    return any(len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc for other in errors)


def problem_from_pydantic(err: Any, raw: Any, file: str) -> Problem | None:
    """The problem of one pydantic error; None when another problem already says it."""
    loc = tuple(err["loc"])
    line = line_of(raw, loc)
    kind = err["type"]
    if kind == "missing":
        return Problem("field_missing", file, line, format_loc(loc[:-1]), {"field": loc[-1]})
    if kind == "extra_forbidden":
        cut = _cut_at_comma(raw, loc)
        if cut == {}:
            return None
        if cut is not None:
            return Problem("text_cut_at_comma", file, line, format_loc(loc[:-1]), cut)
        return Problem("field_unknown", file, line, format_loc(loc[:-1]), {"field": loc[-1]})
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Problem(
            "choice_invalid",
            file,
            line,
            format_loc(loc),
            {"value": err.get("input"), "choices": expected.replace("' or '", "', '")},  # no English "or"
        )
    if kind in _KINDS:
        return Problem(
            "type_expected", file, line, format_loc(loc), {"kind": _KINDS[kind], "value": err.get("input")}
        )
    detail = str(err["msg"]).removeprefix("Value error, ")
    return Problem("field_invalid", file, line, format_loc(loc), {"detail": detail})


def _cut_at_comma(raw: Any, loc: tuple[Any, ...]) -> dict[str, Any] | None:
    """`{en: Hello, dear world, vi: …}` without quotes: YAML ends the English at the comma and reads
    `dear world` as a key with no value. Recognised by keys with no value right after `en` or `vi`
    in a mapping of texts; the parameters say which text was cut and how it reads in quotes
    (`{}` for the second and later pieces of one cut text: the first one's problem says it all)."""
    parent = raw
    for key in loc[:-1]:
        try:
            parent = parent[key]
        except (KeyError, IndexError, TypeError):
            return None
    if not isinstance(parent, dict) or loc[-1] not in parent or parent[loc[-1]] is not None:
        return None
    keys = list(parent)
    at = keys.index(loc[-1])
    start = at
    while start > 0 and parent[keys[start - 1]] is None:
        start -= 1
    if start == 0 or keys[start - 1] not in ("en", "vi"):
        return None
    if start != at:
        return {}
    lang, end = keys[start - 1], at
    while end + 1 < len(keys) and parent[keys[end + 1]] is None:
        end += 1
    text = ", ".join(str(part) for part in [parent[lang], *keys[start : end + 1]])
    return {"field": loc[-1], "lang": lang, "text": text}


# pydantic error type -> what was expected (rendered in the reader's language by errors.KIND_WORDS)
_KINDS = {
    "string_type": "text",
    "int_parsing": "integer",
    "int_type": "integer",
    "float_parsing": "decimal",
    "float_type": "decimal",
    "bool_parsing": "boolean",
    "bool_type": "boolean",
    "date_from_datetime_parsing": "date",
    "date_parsing": "date",
    "date_type": "date",
    "dict_type": "mapping",
    "model_type": "mapping",
    "list_type": "list",
    "tuple_type": "list",
    "too_short": "non_empty",
}
