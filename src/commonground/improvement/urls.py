"""Pages of this area (included at the site root by config/urls.py)."""

from django.urls import URLPattern, path

from commonground.improvement import views

urlpatterns: list[URLPattern] = [
    path("facilities/<int:facility_id>/improvement/", views.improvement, name="improvement"),
    path("facilities/<int:facility_id>/trainings/", views.trainings, name="trainings"),
    path("facilities/<int:facility_id>/adoptions/new", views.adoption, name="adoption_new"),
    path("facilities/<int:facility_id>/priorities/", views.priorities, name="priorities"),
    path("facilities/<int:facility_id>/benchmarks/", views.benchmarks, name="benchmarks"),
    path("solutions/", views.solutions, name="solutions"),
    path(
        "assessments/<int:assessment_id>/report.pdf",
        views.report_download,
        {"kind": "pdf"},
        name="report_pdf",
    ),
    path(
        "assessments/<int:assessment_id>/report.xlsx",
        views.report_download,
        {"kind": "xlsx"},
        name="report_xlsx",
    ),
    path("assessments/<int:assessment_id>/report/prepare", views.report_job, name="report_job"),
    path("solutions/<str:solution_id>/", views.solution, name="solution"),
]
