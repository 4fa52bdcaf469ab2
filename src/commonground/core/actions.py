"""Corrective actions: who may move an action from one status to another, overdue and due soon,
and what a later assessment does to an action (reopen it, or find it effective)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .findings import Finding
    from .library import Library

OPEN, IN_PROGRESS, DONE, VERIFIED, CANCELLED = "open", "in_progress", "done", "verified", "cancelled"
STATUSES = (OPEN, IN_PROGRESS, DONE, VERIFIED, CANCELLED)
PENDING = frozenset({OPEN, IN_PROGRESS})  # still to be done: these can be overdue
CLOSED = frozenset({DONE, VERIFIED})  # the work is finished (an adopted solution counts)
DUE_SOON_DAYS = 14

# "facility": the facility's admins and editors; "closer": the verifier body of the facility's
# assessment or a buyer whose grant covers the action plan; "system": a later verified assessment.
Role = Literal["facility", "closer", "system"]

TRANSITIONS: dict[Role, frozenset[tuple[str, str]]] = {
    "facility": frozenset(
        {
            (OPEN, IN_PROGRESS),
            (OPEN, DONE),
            (IN_PROGRESS, OPEN),
            (IN_PROGRESS, DONE),
            (DONE, IN_PROGRESS),
            (OPEN, CANCELLED),
            (IN_PROGRESS, CANCELLED),
            (DONE, CANCELLED),
            (CANCELLED, OPEN),
        }
    ),
    "closer": frozenset({(DONE, VERIFIED), (DONE, IN_PROGRESS)}),
    "system": frozenset({(DONE, OPEN), (VERIFIED, OPEN)}),
}

# going back, or giving up, must say why
NEEDS_REASON = frozenset(
    {(IN_PROGRESS, OPEN), (DONE, IN_PROGRESS), (DONE, OPEN), (VERIFIED, OPEN)}
    | {(s, CANCELLED) for s in STATUSES}
    | {(CANCELLED, OPEN)}
)


class TransitionRefused(ValueError):
    """A status change that is not allowed; `code` names the reason (see MESSAGES in services)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def allowed_targets(status: str, role: Role) -> tuple[str, ...]:
    """The statuses this role may move an action to from `status`, in workflow order."""
    pairs = TRANSITIONS[role]
    return tuple(s for s in STATUSES if (status, s) in pairs)


def check_transition(status: str, target: str, role: Role, reason: str = "") -> None:
    """Raise TransitionRefused unless `role` may move the action from `status` to `target`."""
    if target not in STATUSES:
        raise TransitionRefused("unknown_status")
    if (status, target) not in TRANSITIONS[role]:
        raise TransitionRefused("not_allowed")
    if (status, target) in NEEDS_REASON and not reason.strip():
        raise TransitionRefused("reason_needed")


def is_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    return due is not None and status in PENDING and due < today


def is_due_soon(status: str, due: dt.date | None, today: dt.date, days: int = DUE_SOON_DAYS) -> bool:
    """Still to be done and due between today and `days` from now (overdue ones are not included)."""
    return due is not None and status in PENDING and today <= due <= today + dt.timedelta(days=days)


@dataclass(frozen=True)
class FollowUp:
    """What a later assessment does to an action: its new status, effectiveness and event kind."""

    status: str
    effective: bool | None
    kind: Literal["reopened", "effective", "resolved", "unchanged"]


def follow_up(status: str, persisting: Iterable[bool]) -> FollowUp:
    """`persisting`: for each of the action's findings, whether the later assessment still finds it.

    A persisting finding reopens a finished action (and notes it on one still being worked on);
    when none persists, a finished action is effective and one still open is noted as resolved."""
    flags = list(persisting)
    if status == CANCELLED or not flags:
        return FollowUp(status, None, "unchanged")
    if any(flags):
        return FollowUp(OPEN if status in CLOSED else status, False, "reopened")
    if status in CLOSED:
        return FollowUp(status, True, "effective")
    return FollowUp(status, None, "resolved")


def follow_up_due(findings: Iterable[Finding], lib: Library, today: dt.date) -> dt.date | None:
    """The due date the frameworks set for acting on these findings: today plus the shortest
    `follow_up_days` any broken requirement's framework gives its severity (None: none sets one)."""
    days = [
        deadline
        for f in findings
        for r in f.requirements
        if r.framework in lib.frameworks
        and (deadline := (lib.frameworks[r.framework].spec.follow_up_days or {}).get(r.spec.severity))
    ]
    return today + dt.timedelta(days=min(days)) if days else None
