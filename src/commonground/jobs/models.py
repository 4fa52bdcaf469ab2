"""A job: long or scheduled work run by a worker (docs/decisions/0018), and what it has done so far."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting in the queue")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=50)
    # The same work queued twice under one key runs once (a day's digest, a sector's snapshot).
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # Whose admins may follow it too (None: the person who started it only, or nobody when scheduled).
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    # Messages are kept as catalogue texts with their values, and translated when shown.
    message = models.CharField(max_length=300, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    result = models.CharField(max_length=300, blank=True)
    result_params = models.JSONField(default=dict, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=300, blank=True)  # what failed, for its reader (details: the log)
    error_params = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # a running job's heartbeat

    class Meta:
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
