"""Forms of the improvement pages: types are checked here, the rules in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.common.numberfields import NumberField


class TrainingForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"))
    resource_id = forms.ChoiceField(label=_("Training resource (optional)"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    delivered_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    women = NumberField(whole=True, label=_("Women"), min_value=0, max_value=100_000, initial=0)
    men = NumberField(whole=True, label=_("Men"), min_value=0, max_value=100_000, initial=0)
    others = NumberField(
        whole=True, label=_("Other or not stated"), min_value=0, max_value=100_000, initial=0, required=False
    )
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self, *args: Any, topics: list[tuple[str, str]], resources: list[tuple[str, str]], **kw: Any
    ):
        super().__init__(*args, **kw)
        self.fields["topic"].choices = topics  # type: ignore[attr-defined]
        self.fields["resource_id"].choices = [("", "–"), *resources]  # type: ignore[attr-defined]


class AdoptionForm(forms.Form):
    solution_id = forms.ChoiceField(label=_("Solution"))
    adopted_on = forms.DateField(label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, solutions: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["solution_id"].choices = solutions  # type: ignore[attr-defined]
