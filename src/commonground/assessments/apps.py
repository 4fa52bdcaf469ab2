from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "commonground.assessments"
    label = "assessments"
