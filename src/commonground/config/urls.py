"""URL configuration: pages per area (added as the areas grow)."""

from django.urls import path

from commonground.config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
