from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "commonground.sharing"
    label = "sharing"

    def ready(self) -> None:
        from commonground.accounts.signals import outside_read
        from commonground.sharing import aggregates  # noqa: F401  (registers its sector snapshots)
        from commonground.sharing.receivers import log_outside_read

        outside_read.connect(log_outside_read, dispatch_uid="sharing.log_outside_read")
