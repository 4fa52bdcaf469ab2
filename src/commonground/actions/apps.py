from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "commonground.actions"
    label = "actions"

    def ready(self) -> None:
        from commonground.actions.receivers import adoptions, follow_up, move_to_kept
        from commonground.assessments.signals import assessment_verified
        from commonground.facilities.signals import facility_merged
        from commonground.snapshots.fingerprint import contribute

        assessment_verified.connect(follow_up, dispatch_uid="actions.follow_up")
        facility_merged.connect(move_to_kept, dispatch_uid="actions.move_to_kept")
        contribute("adoptions", adoptions)  # peer insights are made of them
