"""Pages of this area (included at the site root by config/urls.py)."""

from django.urls import URLPattern, path

from commonground.actions import views

urlpatterns: list[URLPattern] = [
    path("facilities/<int:facility_id>/actions/", views.plan, name="action_plan"),
    path("facilities/<int:facility_id>/actions.xlsx", views.plan_export, {"kind": "xlsx"}, name="plan_xlsx"),
    path("facilities/<int:facility_id>/actions.csv", views.plan_export, {"kind": "csv"}, name="plan_csv"),
    path("facilities/<int:facility_id>/actions/due/", views.digest, name="action_digest"),
    path("assessments/<int:assessment_id>/actions/new", views.new, name="action_new"),
    path("actions/<int:action_id>/", views.detail, name="action"),
    path("actions/<int:action_id>/edit", views.edit, name="action_edit"),
    path("actions/<int:action_id>/status", views.status, name="action_status"),
    path("actions/<int:action_id>/comment", views.comment, name="action_comment"),
    path("actions/<int:action_id>/evidence", views.upload, name="action_evidence"),
    path("action-evidence/<int:evidence_id>/download", views.download, name="action_evidence_download"),
]
