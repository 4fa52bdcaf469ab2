"""The results as the command line prints them: the JSON contract, or a table a person reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import Lang
from ..i18n import gettext
from .matching import Grouping, Matching, Pair
from .scoring import Facility

NAME_WIDTH = 44


def grouping_dict(result: Grouping) -> dict[str, Any]:
    """`{"groups": [[row, …], …], "suggestions": [{"rows": [row, row], "score": …}, …]}`."""
    return {"groups": result.groups, "suggestions": [_suggestion(p) for p in result.suggestions]}


def matching_dict(result: Matching) -> dict[str, Any]:
    """`{"matches": [{"row", "against_row", "score"}, …], "suggestions": [...]}`."""
    return {
        "matches": [{"row": p.rows[0], "against_row": p.rows[1], "score": p.score} for p in result.matches],
        "suggestions": [_suggestion(p) for p in result.suggestions],
    }


def _suggestion(pair: Pair) -> dict[str, Any]:
    return {"rows": list(pair.rows), "score": pair.score}


def _short(text: str) -> str:
    return text if len(text) <= NAME_WIDTH else text[: NAME_WIDTH - 1] + "…"


def _line(row: int, facility: Facility | None) -> str:
    if facility is None:
        return f"{row:>6}"
    return f"{row:>6}  {_short(facility.name):<{NAME_WIDTH}}  {_short(facility.address)}"


def grouping_text(result: Grouping, facilities: Sequence[Facility], lang: Lang) -> str:
    by_row = {f.row: f for f in facilities}
    lines = [
        gettext("Same facility, matched automatically (groups): {count}", lang).format(
            count=len(result.groups)
        )
    ]
    for number, group in enumerate(result.groups, start=1):
        lines.append(f"  #{number}")
        lines.extend("  " + _line(row, by_row.get(row)) for row in group)
    lines.append("")
    lines.append(gettext("To confirm (suggestions): {count}", lang).format(count=len(result.suggestions)))
    for pair in result.suggestions:
        lines.append(f"  {pair.score:.3f}")
        lines.extend("  " + _line(row, by_row.get(row)) for row in pair.rows)
    return "\n".join(lines)


def matching_text(
    result: Matching, facilities: Sequence[Facility], against: Sequence[Facility], lang: Lang
) -> str:
    mine, theirs = {f.row: f for f in facilities}, {f.row: f for f in against}
    lines = [gettext("Matched automatically (rows): {count}", lang).format(count=len(result.matches))]
    for pair in result.matches:
        lines.extend(_pair_lines(pair, mine, theirs, lang))
    lines.append("")
    lines.append(gettext("To confirm (suggestions): {count}", lang).format(count=len(result.suggestions)))
    for pair in result.suggestions:
        lines.extend(_pair_lines(pair, mine, theirs, lang))
    return "\n".join(lines)


def _pair_lines(pair: Pair, mine: dict[int, Facility], theirs: dict[int, Facility], lang: Lang) -> list[str]:
    row, other = pair.rows
    return [
        f"  {pair.score:.3f}",
        "  " + _line(row, mine.get(row)),
        "  " + gettext("  = against row", lang) + " " + _line(other, theirs.get(other)).lstrip(),
    ]
