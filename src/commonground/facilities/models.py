"""Facilities: one production site, owned by a factory group; the buyers they supply."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import Organisation


class Facility(models.Model):
    class Sector(models.TextChoices):
        GARMENT = "garment", _("Garment")
        FOOTWEAR = "footwear", _("Footwear")
        TEXTILE = "textile", _("Textile")
        LEATHER = "leather", _("Leather")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="facilities")
    name = models.CharField(_("name"), max_length=200)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    province = models.CharField(_("province"), max_length=100)
    locality = models.CharField(_("commune or ward"), max_length=100, blank=True)
    minimum_wage_region = models.CharField(_("minimum-wage region"), max_length=1, blank=True)
    os_id = models.CharField(_("Open Supply Hub ID"), max_length=32, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    processes = models.JSONField(_("processes"), default=list, blank=True)
    products = models.CharField(_("products"), max_length=300, blank=True)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    public_disclosure = models.BooleanField(
        _("publish selected results by name"),
        default=False,
        help_text=_(
            "Like Better Work's public reporting: a few key issues of the latest verified assessment."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # sector snapshots follow profile changes
    # a duplicate record of the same factory, merged (decision 0040): its id stays an alias of the
    # facility it was merged into; the row, and its access log, are kept and never changed again
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="aliases"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="not_merged_into_itself"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def merged(self) -> bool:
        return self.merged_into_id is not None


class SupplyLink(models.Model):
    """A buyer sources from a facility (which frameworks the facility must answer follows from it)."""

    buyer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="supply_links")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="supply_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "facility"], name="one_link_per_buyer_facility")
        ]


class RequiredFramework(models.Model):
    """A framework a buyer requires of its suppliers (a library id, e.g. `sa8000`)."""

    buyer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="required_frameworks")
    framework_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "framework_id"], name="one_requirement_per_buyer")
        ]
