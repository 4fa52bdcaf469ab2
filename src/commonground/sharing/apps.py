from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "commonground.sharing"
    label = "sharing"
