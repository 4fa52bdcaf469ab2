from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "commonground.actions"
    label = "actions"

    def ready(self) -> None:
        from commonground.actions.receivers import adoptions, follow_up
        from commonground.assessments.signals import assessment_verified
        from commonground.snapshots.fingerprint import contribute

        assessment_verified.connect(follow_up, dispatch_uid="actions.follow_up")
        contribute("adoptions", adoptions)  # peer insights are made of them
