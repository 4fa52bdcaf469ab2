"""Corrective action plans: actions from findings, their history, comments, evidence; adoptions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import Organisation
from commonground.assessments.models import Assessment
from commonground.core import actions as rules
from commonground.facilities.models import Facility


class Action(models.Model):
    """One corrective action; it addresses one or more findings (data points) of an assessment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        VERIFIED = "verified", _("Verified")
        CANCELLED = "cancelled", _("Cancelled")

    class RootCause(models.TextChoices):
        POLICY_MISSING = "policy_missing", _("Policy missing")
        PROCEDURE_NOT_FOLLOWED = "procedure_not_followed", _("Procedure not followed")
        TRAINING = "training", _("Training or awareness")
        EQUIPMENT = "equipment", _("Equipment or infrastructure")
        PLANNING = "planning", _("Planning or capacity")
        SUPPLIER = "supplier", _("Supplier or subcontractor")
        COST = "cost", _("Cost")
        OTHER = "other", _("Other")

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="actions")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    root_cause_category = models.CharField(
        _("root cause"), max_length=30, choices=RootCause.choices, default=RootCause.OTHER
    )
    root_cause = models.TextField(_("root cause explained"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    cost_estimate_vnd = models.PositiveBigIntegerField(_("cost estimate (VND)"), null=True, blank=True)
    solution_id = models.CharField(_("solution"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    effective = models.BooleanField(null=True, blank=True)  # None: not judged yet by a later assessment
    checked_in = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # the later assessment that reopened the action or found it effective
    done_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_by_org = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)  # a default, so imports keep their dates
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["facility", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        """Past its due date (in Vietnam) and still to be done."""
        return rules.is_overdue(self.status, self.due_date, timezone.localdate())


class ActionFinding(models.Model):
    """A finding (one data point) the action addresses, with the frameworks and buyers concerned."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="findings")
    datapoint = models.CharField(max_length=100)
    severity = models.CharField(max_length=20, blank=True)
    value = models.JSONField(null=True, blank=True)  # the answer when the finding was seen
    frameworks = models.JSONField(default=list, blank=True)  # framework ids
    requirements = models.JSONField(default=list, blank=True)  # requirement ids
    buyers = models.JSONField(default=list, blank=True)  # buyer organisation names
    legal = models.BooleanField(default=False)  # the law is among the frameworks
    persists = models.BooleanField(null=True, blank=True)  # None until a later assessment says

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "datapoint"], name="one_finding_per_action_datapoint")
        ]


class ActionEvent(models.Model):
    """The history of an action: who changed what, when. Never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        STATUS = "status", _("Status changed")
        COMMENTED = "commented", _("Commented")
        EVIDENCE = "evidence", _("Evidence attached")
        REOPENED = "reopened", _("Reopened by a later assessment")
        EFFECTIVE = "effective", _("Found effective by a later assessment")
        RESOLVED = "resolved", _("Finding no longer seen by a later assessment")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # field -> [old, new]
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("action events cannot be changed")
        super().save(*args, **kwargs)


class ActionComment(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class ActionEvidence(models.Model):
    """Evidence of completion: a file kept outside the web root, only ever served as a download."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class Adoption(models.Model):
    """A facility adopted a solution from the catalogue (from an action, or recorded directly)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="adoptions")
    solution_id = models.CharField(max_length=100)
    adopted_on = models.DateField(_("adopted on"))
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="adoptions"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["adopted_on", "id"]
        indexes = [models.Index(fields=["solution_id", "adopted_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["action"], condition=models.Q(action__isnull=False), name="one_adoption_per_action"
            )
        ]
