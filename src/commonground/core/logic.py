"""Three-valued logic, encoded so that `all` is min, `any` is max and `not` is 2 - x.

The same small integers are used by the single-assessment and the columnar paths.
"""

from __future__ import annotations

from enum import StrEnum

FALSE, UNKNOWN, TRUE = 0, 1, 2


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


# Column codes of statuses (columnar path); the order is fixed.
STATUS_CODES: tuple[Status, ...] = (
    Status.NOT_MET,
    Status.UNKNOWN,
    Status.MET,
    Status.NOT_APPLICABLE,
)
CODE_OF = {status: code for code, status in enumerate(STATUS_CODES)}


def status_of(applies: int, holds: int) -> Status:
    """Requirement status from its applicability and its rule (each FALSE, UNKNOWN or TRUE).

    Not applicable when the condition is false; met when the rule holds (even if applicability is
    still unknown: it cannot fail either way); not met only when it surely applies; else unknown.
    """
    if applies == FALSE:
        return Status.NOT_APPLICABLE
    if holds == TRUE:
        return Status.MET
    if holds == FALSE and applies == TRUE:
        return Status.NOT_MET
    return Status.UNKNOWN
