"""The facility identity form: labels from the model, messages in the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commonground.common.numberfields import NumberField
from commonground.core import identity, provinces, regions
from commonground.facilities.models import Facility
from commonground.facilities.services import derive_region

PROCESS_CHOICES = [
    ("spinning", _("Spinning")),
    ("weaving", _("Weaving")),
    ("knitting", _("Knitting")),
    ("dyeing", _("Dyeing")),
    ("printing", _("Printing")),
    ("washing", _("Washing")),
    ("finishing", _("Finishing")),
    ("cutting", _("Cutting")),
    ("sewing", _("Sewing")),
    ("embroidery", _("Embroidery")),
    ("tanning", _("Tanning")),
    ("leather_finishing", _("Leather finishing")),
    ("shoe_assembly", _("Shoe assembly")),
    ("other", _("Other")),
]
REGION_CHOICES = [("", "–"), ("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")]


class FacilityForm(forms.ModelForm):  # type: ignore[type-arg]
    processes = forms.MultipleChoiceField(
        choices=PROCESS_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, label=_("processes")
    )
    workers = NumberField(whole=True, min_value=0, max_value=1_000_000, label=_("workers"))
    minimum_wage_region = forms.ChoiceField(
        choices=REGION_CHOICES,
        required=False,
        label=_("minimum-wage region"),
        help_text=_("Filled in from the commune or ward when it is listed."),
    )

    class Meta:
        model = Facility
        fields = [
            "name",
            "name_vi",
            "address",
            "province",
            "locality",
            "minimum_wage_region",
            "os_id",
            "tax_code",
            "sector",
            "processes",
            "products",
            "workers",
            "public_disclosure",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = regions.provinces(dt.date.today())
        lang = "vi" if (get_language() or "vi").startswith("vi") else "en"
        choices = [(p, provinces.label(p, lang)) for p in names]
        self.fields["province"] = forms.ChoiceField(choices=choices, label=_("province"))

    def clean_os_id(self) -> str:
        raw = str(self.cleaned_data.get("os_id") or "").strip()
        found = identity.os_id(raw) if raw else ""
        if found is None:
            raise ValidationError(
                _(
                    "Not an Open Supply Hub ID: 15 letters and digits, the last a check character "
                    "(for example VN2026041HTP7QJ)."
                ),
                code="os_id",
            )
        return found

    def clean_tax_code(self) -> str:
        raw = str(self.cleaned_data.get("tax_code") or "").strip()
        found = identity.tax_code(raw) if raw else ""
        if found is None:
            raise ValidationError(
                _(
                    "Not a tax code: 10 digits, the last a check digit, or 13 for a branch "
                    "(for example 0100233488 or 0314409058-002)."
                ),
                code="tax_code",
            )
        return identity.shown_tax_code(found) if found else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        derived = derive_region(data.get("province", ""), data.get("locality", ""), dt.date.today())
        if derived:
            data["minimum_wage_region"] = derived
        return data
