"""Improvement: the trainings a facility delivered (adoptions of solutions live with the actions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.facilities.models import Facility


class Training(models.Model):
    """A training delivered at a facility: on a topic of the catalogue, with participants by sex."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="trainings")
    topic = models.CharField(_("topic"), max_length=60)  # a topic of the data-point catalogue
    resource_id = models.CharField(_("training resource"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    delivered_on = models.DateField(_("date"))
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    others = models.PositiveIntegerField(_("other or not stated"), default=0)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        indexes = [models.Index(fields=["facility", "delivered_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def participants(self) -> int:
        return self.women + self.men + self.others
