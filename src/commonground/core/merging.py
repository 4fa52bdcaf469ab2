"""Two records of the same factory made one (decision 0040): what refuses a merge, free of Django.

The kept record takes the merged one's assessments and its identifiers; a person must first settle
two periods that overlap (which of the two is the factory's answer for those months is not ours to
guess), and two different identifiers (then they are not the same factory, or one is mistyped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Period = tuple[dt.date, dt.date]


def overlapping(kept: Iterable[Period], merged: Iterable[Period]) -> list[tuple[Period, Period]]:
    """Each pair of a kept period and a merged period sharing at least one day, in date order."""
    kept_periods = sorted(set(kept))
    return [(k, m) for m in sorted(set(merged)) for k in kept_periods if k[0] <= m[1] and m[0] <= k[1]]


@dataclass(frozen=True)
class Identifier:
    """What the kept record holds after the merge, or the conflict that refuses it."""

    value: str
    conflict: bool = False


def merged_identifier(kept: str, merged: str, compact: Callable[[str], str | None]) -> Identifier:
    """The kept record's identifier, or the merged one's where the kept has none; a conflict when
    both hold one and they differ once written the same way (`compact`: None when not valid, then
    compared as typed, without spaces and in upper case)."""
    if not merged.strip():
        return Identifier(kept)
    if not kept.strip():
        return Identifier(merged)
    same = _form(kept, compact) == _form(merged, compact)
    return Identifier(kept, conflict=not same)


def _form(text: str, compact: Callable[[str], str | None]) -> str:
    return compact(text) or "".join(text.split()).upper()
