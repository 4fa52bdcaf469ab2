from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "commonground.actions"
    label = "actions"
