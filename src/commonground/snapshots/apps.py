from django.apps import AppConfig


class SnapshotsConfig(AppConfig):
    name = "commonground.snapshots"
    label = "snapshots"
