"""Stored results of sector-wide work: computed by a job, read by pages (which never scan the sector)."""

from __future__ import annotations

from django.db import models


class Snapshot(models.Model):
    """One computation of one kind of sector-wide result ("sector-verified", "sector-panel",
    "aggregates"): when it was computed, from what state of the sector (`fingerprint`), how long it
    took, and its data (numpy arrays in an .npz, or JSON). Only the newest few of each kind are kept."""

    kind = models.CharField(max_length=40)
    computed_at = models.DateTimeField()
    fingerprint = models.CharField(max_length=64)
    seconds = models.FloatField(default=0.0)
    rows = models.PositiveIntegerField(default=0)  # assessments it was computed from
    data = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["kind", "-id"], name="snapshot_kind_newest")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.computed_at:%Y-%m-%d %H:%M:%S}"
