"""The assessment's states and what verification still needs: plain rules, no framework.

draft → submitted → (returned → submitted)* → verified. The factory changes answers and evidence
only in a draft or a returned assessment; the verifier confirms, corrects, returns or completes
only a submitted one; a verified assessment never changes (a later change is a new version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import get_args

from .catalogue import Verification

DRAFT, SUBMITTED, RETURNED, VERIFIED = "draft", "submitted", "returned", "verified"
PENDING = "pending"

# (state, step) -> next state
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "submit"): SUBMITTED,
    (RETURNED, "submit"): SUBMITTED,
    (SUBMITTED, "return"): RETURNED,
    (SUBMITTED, "complete"): VERIFIED,
}

METHODS: tuple[str, ...] = get_args(Verification)

MAX_NOTE = 2000  # a note on an answer, or a comment sent back to the factory
EARLIEST = dt.date(2000, 1, 1)
LONGEST_DAYS = 366


class TransitionRefused(ValueError):
    def __init__(self, status: str, step: str) -> None:
        super().__init__(f"{step} is not possible from {status}")
        self.status, self.step = status, step


def next_status(status: str, step: str) -> str:
    """The state after `step`, or TransitionRefused when the step is not allowed from `status`."""
    try:
        return TRANSITIONS[(status, step)]
    except KeyError:
        raise TransitionRefused(status, step) from None


def factory_may_change(status: str) -> bool:
    """Answers, evidence and copy-forward: only in a draft or a returned assessment."""
    return status in (DRAFT, RETURNED)


def verifier_may_change(status: str) -> bool:
    return status == SUBMITTED


def deletable(status: str) -> bool:
    return status == DRAFT


def pending(verifications: Mapping[str, str]) -> list[str]:
    """The data points whose answer is neither confirmed nor corrected, sorted."""
    return sorted(dp for dp, state in verifications.items() if state == PENDING)


def period_problems(
    start: dt.date, end: dt.date, *, today: dt.date, existing: Iterable[tuple[dt.date, dt.date]] = ()
) -> list[str]:
    """Why a facility cannot have an assessment for this period (codes; empty when it can).
    `existing` are the periods the facility has already."""
    problems = _impossible(start, end, today)
    if problems:
        return problems
    for other_start, other_end in existing:
        if (other_start, other_end) == (start, end):
            return ["period_exists"]
        if other_start <= end and start <= other_end:
            return ["period_overlaps"]
    return []


def _impossible(start: dt.date, end: dt.date, today: dt.date) -> list[str]:
    if end < start:
        return ["period_reversed"]
    problems = []
    if (end - start).days + 1 > LONGEST_DAYS:
        problems.append("period_too_long")
    if start < EARLIEST:
        problems.append("period_too_early")
    if end > dt.date(today.year, 12, 31):
        problems.append("period_in_future")
    return problems


def text_problem(text: str, *, limit: int = MAX_NOTE) -> str | None:
    """Why a note or comment cannot be stored: too long, or characters no database keeps."""
    if len(text) > limit:
        return "too_long"
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return "bad_characters"
    return None
