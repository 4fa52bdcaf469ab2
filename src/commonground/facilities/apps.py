from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "commonground.facilities"
    label = "facilities"
