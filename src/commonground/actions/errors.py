"""Refusals a person reads, beside the field they concern, in the language of the request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    "title": _("Give the action a title."),
    "due_date": _("Give a due date (day, month and year)."),
    "due_past": _("The due date is in the past: choose today or a later day."),
    "root_cause_category": _("Choose a root cause from the list."),
    "owner": _("The owner must be a member of the facility's organisation."),
    "cost": _("The cost estimate is a whole number of đồng, zero or more."),
    "solution": _("This solution is not in the catalogue."),
    "findings": _("Choose at least one finding of this assessment."),
    "comment": _("Write something first."),
    "not_allowed": _("This status change is not allowed for you now."),
    "reason_needed": _("Say why: this change needs a reason."),
    "unknown_status": _("Unknown status."),
    "verified_final": _("A verified action can no longer be changed."),
}


def message(code: str) -> Promise:
    return MESSAGES[code]


class ActionRefused(ValidationError):
    """Bad input: `errors` maps each field to its message (rendered in the active language)."""

    def __init__(self, errors: dict[str, Promise]) -> None:
        super().__init__({field: [text] for field, text in errors.items()})
        self.errors = errors

    def as_text(self) -> dict[str, str]:
        return {field: str(text) for field, text in self.errors.items()}
