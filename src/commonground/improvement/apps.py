from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "commonground.improvement"
    label = "improvement"

    def ready(self) -> None:
        from commonground.facilities.signals import facility_merged
        from commonground.improvement import peer_insights, sector  # noqa: F401  (register their snapshots)
        from commonground.improvement.receivers import move_to_kept

        facility_merged.connect(move_to_kept, dispatch_uid="improvement.move_to_kept")
