"""Facilities: one production site, owned by a factory group; the buyers they supply."""

from __future__ import annotations

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

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name


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
