"""Consent: grants from a facility to another organisation, and the log of every read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import Organisation
from commonground.facilities.models import Facility
from commonground.sharing.describe import channel_label, describe


class Grant(models.Model):
    class Scope(models.TextChoices):
        ENVIRONMENT = "environment", _("Environment")
        SOCIAL = "social", _("Social and labour")
        BOTH = "both", _("Environment, social and labour")

    class Content(models.TextChoices):
        RESULTS = "results", _("Results only")
        ANSWERS = "answers", _("Results, answers and evidence")
        ACTION_PLAN = "action_plan", _("The action plan")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="grants")
    grantee = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants_received")
    scope = models.CharField(max_length=12, choices=Scope.choices)
    content = models.CharField(max_length=12, choices=Content.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    sensitive_datapoints = models.JSONField(default=list, blank=True)  # named explicitly, or never shared
    expires_at = models.DateTimeField(_("expiry"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class AppendOnly(Exception):
    pass


class AppendOnlyModel(models.Model):
    """Rows written once: the application can neither change nor delete them."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("access log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("access log entries cannot be deleted")


class AccessRead(AppendOnlyModel):
    """One read by a person of another organisation: one page view, API call or export, at one
    moment, covering one facility or many (a portfolio). Written in the reader's request with no lock
    shared across requests; sealed into the hash chain later by `seal_access_log` (decision 0023),
    which fills `position` and `hash` once. Never changed otherwise, never deleted."""

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)  # page, api, export
    at = models.DateTimeField()  # to the millisecond: what every serialisation keeps
    # the seal: the read's place in the chain (1, 2, 3 …) and the chain's hash up to it; empty until sealed
    position = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    hash = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # the reads still to seal: a handful, found without scanning the log
            models.Index(
                fields=["id"], condition=models.Q(position__isnull=True), name="access_read_unsealed"
            )
        ]

    @property
    def sealed(self) -> bool:
        return self.position is not None


class AccessLogEntry(AppendOnlyModel):
    """What one read took from one facility, under which grant: the line the facility sees in its
    log. Sealed by its read's hash."""

    read = models.ForeignKey(AccessRead, on_delete=models.PROTECT, related_name="entries")
    # indexed with the id below: a facility reads its log newest first, a page at a time
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="access_log", db_index=False
    )
    # grants are never deleted while they have reads (PROTECT), and nothing looks reads up by grant
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, null=True, related_name="reads", db_index=False
    )
    what = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["facility", "id"], name="access_log_of_facility")]

    @property
    def at(self) -> Any:
        return self.read.at

    @property
    def reader(self) -> Any:
        return self.read.reader

    @property
    def organisation(self) -> Organisation:
        return self.read.organisation

    @property
    def channel(self) -> str:
        return self.read.channel

    @property
    def what_label(self) -> str:
        """What was read, in the active language (the stored text stays as it was sealed)."""
        return describe(self.what)

    @property
    def channel_label(self) -> str:
        return channel_label(self.read.channel)


class LogCheckpoint(AppendOnlyModel):
    """The chain's head at one moment, signed with the log's key (HMAC-SHA256, decision 0023): the
    first `size` sealed reads end in `head`. A later checkpoint is what makes the removal of the
    newest reads visible; a copy kept outside the database also survives a wipe of this table."""

    size = models.PositiveBigIntegerField()
    head = models.CharField(max_length=64)
    at = models.DateTimeField()
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]


class SupplierList(models.Model):
    """A buyer's supplier list as uploaded (issue 14): the upload kept in the file storage, each row
    matched to a facility or to be invited, then applied once. The same file twice is the same list."""

    buyer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="supplier_lists")
    name = models.CharField(max_length=100)  # the file's name as the buyer's computer gave it
    stored = models.CharField(max_length=300)  # the kept upload's name in the file storage
    digest = models.CharField(max_length=64)  # SHA-256 of the upload
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    matched_at = models.DateTimeField(null=True, blank=True)  # a long list is matched by a job
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["buyer", "digest"], name="one_list_per_upload")]


class SupplierInvitation(models.Model):
    """A factory a buyer's list names and the database does not hold, invited to join: once per
    buyer and factory (`key`), with the list's contact when it gives one (then an invitation by link
    to a new factory group)."""

    buyer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="supplier_invitations")
    key = models.CharField(max_length=64)  # the factory as compared (identifier, or name and address)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    os_id = models.CharField(max_length=32, blank=True)
    tax_code = models.CharField(max_length=20, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    invitation = models.ForeignKey(
        "accounts.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # the factory's first facility once its invited group adds one: linked to the buyer as a supplier
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["buyer", "key"], name="one_invitation_per_factory")]


class SupplierRow(models.Model):
    """One row of a supplier list and what became of it."""

    class Outcome(models.TextChoices):
        MATCHED = "matched", _("Matched")
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        INVITED = "invited", _("Invited")
        ERROR = "error", _("Error")

    supplier_list = models.ForeignKey(SupplierList, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField()  # from 1, the first data row
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    os_id = models.CharField(max_length=32, blank=True)
    tax_code = models.CharField(max_length=20, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.CharField(max_length=254, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # matched or confirmed: the facility; suggested or rejected: the facility suggested
    facility = models.ForeignKey(Facility, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    score = models.FloatField(null=True, blank=True)
    invitation = models.ForeignKey(
        SupplierInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="rows"
    )
    problem = models.JSONField(default=dict, blank=True)  # error: {"code", "column", "params"}

    class Meta:
        ordering = ["row"]
