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
        for err in exc.errors():
            problems.append(problem_from_pydantic(err, raw, file))
        return None


def problem_from_pydantic(err: Any, raw: Any, file: str) -> Problem:
    loc = tuple(err["loc"])
    line = line_of(raw, loc)
    kind = err["type"]
    if kind == "missing":
        return Problem("field_missing", file, line, format_loc(loc[:-1]), {"field": loc[-1]})
    if kind == "extra_forbidden":
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
