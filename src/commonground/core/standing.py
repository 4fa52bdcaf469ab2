"""What a compliance figure stands on, and when it may be the headline.

A rate over the decided requirements says nothing when most requirements are undecided: 24 met
and 3 not met of 82 is "89 %" but only 27 of 82 are known. The rule, in one place: the rate is
the headline only when at least `ENOUGH` of the applicable requirements are decided (met or not
met); otherwise the headline is how many are decided, never a percentage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

ENOUGH = 0.8  # the share of applicable requirements decided before a rate may be the headline
PARTS = ("met", "not_met", "unknown", "not_applicable")

Verdict = Literal["rate", "not_enough", "not_applicable"]


@dataclass(frozen=True)
class Standing:
    """The counts behind a framework's figure for one assessment."""

    met: int
    not_met: int
    unknown: int
    not_applicable: int

    @property
    def total(self) -> int:
        return self.met + self.not_met + self.unknown + self.not_applicable

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable

    @property
    def decided(self) -> int:
        return self.met + self.not_met

    @property
    def decided_share(self) -> float | None:
        """Decided among applicable requirements (None when nothing applies)."""
        return self.decided / self.applicable if self.applicable else None

    @property
    def rate(self) -> float | None:
        """Met among decided requirements (None when nothing is decided)."""
        return self.met / self.decided if self.decided else None

    @property
    def verdict(self) -> Verdict:
        if not self.applicable:
            return "not_applicable"
        share = self.decided_share or 0.0
        return "rate" if share >= ENOUGH else "not_enough"

    def bar(self) -> tuple[tuple[str, float], ...]:
        """Each part's share of all requirements, in percent, for a stacked bar (empty parts left out)."""
        if not self.total:
            return ()
        return tuple(
            (part, round(100 * getattr(self, part) / self.total, 2)) for part in PARTS if getattr(self, part)
        )


def standing(counts: Mapping[str, int]) -> Standing:
    """The standing of a summary's counts (`met`, `not_met`, `unknown`, `not_applicable`)."""
    parts = {part: int(counts.get(part, 0)) for part in PARTS}
    if any(n < 0 for n in parts.values()):
        raise ValueError(f"counts cannot be negative: {parts}")
    return Standing(**parts)
