from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "commonground.improvement"
    label = "improvement"

    def ready(self) -> None:
        from commonground.improvement import peer_insights, sector  # noqa: F401  (register their snapshots)
