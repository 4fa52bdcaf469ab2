from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "commonground.sharing"
    label = "sharing"

    def ready(self) -> None:
        from commonground.accounts.signals import outside_read
        from commonground.facilities.signals import facility_created
        from commonground.sharing import aggregates  # noqa: F401  (registers its sector snapshots)
        from commonground.sharing.receivers import link_invited_factory, log_outside_read

        outside_read.connect(log_outside_read, dispatch_uid="sharing.log_outside_read")
        facility_created.connect(link_invited_factory, dispatch_uid="sharing.link_invited_factory")
