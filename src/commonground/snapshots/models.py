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


class KeptColumns(models.Model):
    """The encoded answers (`assessments.columns`) of a block of verified assessments, kept so that a
    refresh reads from the answers only the assessments verified since (decision 0034). `keys` holds
    each row's assessment id and moment of verification (microseconds since the epoch) as int64 pairs;
    `data` the columns of those rows (an .npz, one array per data point answered in the block).
    Written under the catalogue version the encoding depends on; a block of another catalogue is
    never read and is deleted by the next tidy."""

    catalogue = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    keys = models.BinaryField()
    data = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["catalogue"], name="kept_columns_catalogue")]

    def __str__(self) -> str:
        return f"{self.rows} assessments' columns ({self.catalogue})"
