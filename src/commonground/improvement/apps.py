from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "commonground.improvement"
    label = "improvement"
