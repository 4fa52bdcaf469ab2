"""The action form: parses what a person typed; the service checks it again (for the API too)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.accounts.library import library
from commonground.actions.errors import ActionRefused
from commonground.actions.models import Action
from commonground.actions.services import MAX_COST_VND, owners_for
from commonground.common.numberfields import NumberField
from commonground.core.errors import Lang
from commonground.core.solutions import solutions_for


def solution_choices(datapoints: Iterable[str], lang: Lang) -> list[Any]:
    """The catalogue's solutions for the action's data points first, easiest first; then the rest."""
    lib = library()
    suggested = list(dict.fromkeys(s for dp in datapoints for s in solutions_for(lib, dp)))
    others = sorted(
        (s for s in lib.solutions.values() if s not in suggested), key=lambda s: s.title.get(lang)
    )
    groups: list[Any] = [("", "–")]
    if suggested:
        groups.append((_("For these findings"), [(s.id, s.title.get(lang)) for s in suggested]))
    groups.append((_("Other solutions"), [(s.id, s.title.get(lang)) for s in others]))
    return groups


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What will be done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    root_cause_category = forms.ChoiceField(label=_("Root cause"), choices=Action.RootCause.choices)
    root_cause = forms.CharField(
        label=_("Root cause explained"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner_id = forms.TypedChoiceField(label=_("Owner"), coerce=int, empty_value=None, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    cost_estimate_vnd = NumberField(
        whole=True, min_value=0, max_value=MAX_COST_VND, label=_("Cost estimate (VND)"), required=False
    )
    solution_id = forms.ChoiceField(label=_("Solution from the catalogue"), required=False)

    def __init__(self, *args: Any, facility_id: int, datapoints: Iterable[str], lang: Lang, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owners = [("", "–"), *((u.pk, u.get_full_name() or u.username) for u in owners_for(facility_id))]
        self.fields["owner_id"].choices = owners  # type: ignore[attr-defined]
        self.fields["solution_id"].choices = solution_choices(datapoints, lang)  # type: ignore[attr-defined]

    def add_refusal(self, refused: ActionRefused) -> None:
        """The service's messages beside their fields (or above the form)."""
        for name, text in refused.errors.items():
            self.add_error(name if name in self.fields else None, str(text))


def initial_of(action: Action) -> dict[str, Any]:
    return {name: getattr(action, name) for name in ActionForm.base_fields}
