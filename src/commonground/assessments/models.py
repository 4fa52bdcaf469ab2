"""Assessments: a facility, a period and its answers, with every change recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import Organisation
from commonground.facilities.models import Facility


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to the factory")
        VERIFIED = "verified", _("Verified")

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="assessments")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    verifier = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    returned_comment = models.TextField(_("comment from the verifier"), blank=True)

    class Meta:
        ordering = ["-period_end", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="period_in_order"
            ),
            models.UniqueConstraint(
                fields=["facility", "period_start", "period_end", "version"], name="one_version"
            ),
        ]

    @property
    def locked(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def open_to_factory(self) -> bool:
        """Only a draft, or one the verifier returned, takes the factory's answers and evidence."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Answer(models.Model):
    """One fact for one assessment, stored in the data point's unit (canonical JSON value)."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("Not verified yet")
        CONFIRMED = "confirmed", _("Confirmed")
        CORRECTED = "corrected", _("Corrected by the verifier")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    datapoint = models.CharField(max_length=100)
    value = models.JSONField()
    source = models.CharField(_("source"), max_length=200, blank=True)
    verification = models.CharField(max_length=10, choices=Verification.choices, default=Verification.PENDING)
    method = models.CharField(_("verification method"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    reported_value = models.JSONField(null=True, blank=True)  # the factory's value, once corrected
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "datapoint"], name="one_answer_per_fact")
        ]


class AnswerChange(models.Model):
    """Every change to an answer: who, when, old value, new value and why. Never edited."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    datapoint = models.CharField(max_length=100)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]


class VerificationRecord(models.Model):
    """Each step of a verification: an answer confirmed or corrected (with the method, and the
    factory's value beside the verifier's), or the assessment returned or completed. Never edited."""

    class Step(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CORRECTED = "corrected", _("Corrected by the verifier")
        RETURNED = "returned", _("Returned to the factory")
        COMPLETED = "completed", _("Verification completed")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="verification_records")
    datapoint = models.CharField(max_length=100, blank=True)
    step = models.CharField(max_length=10, choices=Step.choices)
    method = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    reported_value = models.JSONField(null=True, blank=True)
    value = models.JSONField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]


class Evidence(models.Model):
    """A file behind an answer, stored outside the web root and only ever served as a download."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    datapoint = models.CharField(max_length=100, blank=True)
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
