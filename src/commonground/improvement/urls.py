"""Pages of this area (included at the site root by config/urls.py)."""

from django.urls import URLPattern, path

from commonground.improvement import views

urlpatterns: list[URLPattern] = [
    path("facilities/<int:facility_id>/improvement/", views.improvement, name="improvement"),
    path("facilities/<int:facility_id>/trainings/", views.trainings, name="trainings"),
]
