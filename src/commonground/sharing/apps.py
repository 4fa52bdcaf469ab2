from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "commonground.sharing"
    label = "sharing"

    def ready(self) -> None:
        from commonground.sharing import aggregates  # noqa: F401  (registers its sector snapshots)
