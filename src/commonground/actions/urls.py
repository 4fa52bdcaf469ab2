"""Pages of this area (included at the site root by config/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
