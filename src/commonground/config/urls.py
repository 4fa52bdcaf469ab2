"""URL configuration: pages per area."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from commonground.accounts import token_views
from commonground.accounts import views as account_views
from commonground.accounts.forms import LoginForm
from commonground.assessments import import_views, verification_views, workflow_views
from commonground.assessments import views as assessment_views
from commonground.config import views
from commonground.config.api import api
from commonground.facilities import views as facility_views
from commonground.jobs import views as job_views
from commonground.sharing import disclosure_views, merge_views, onboarding_views, supplier_views
from commonground.sharing import views as sharing_views
from commonground.web import views as web_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", account_views.PasswordReset.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("account/tokens/", token_views.tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke", token_views.revoke, name="revoke_api_token"),
    path("invitations/<str:token>/", account_views.accept_invitation, name="accept_invitation"),
    path("organisations/<int:organisation_id>/", account_views.organisation, name="organisation"),
    path("organisations/<int:organisation_id>/code.xlsx", account_views.code_book, name="code_book"),
    path("facilities/<int:facility_id>/sharing/", sharing_views.grants, name="grants"),
    path(
        "facilities/<int:facility_id>/access-log.csv",
        sharing_views.access_log_export,
        name="access_log_export",
    ),
    path(
        "facilities/<int:facility_id>/access-log.xlsx",
        sharing_views.access_log_export,
        {"kind": "xlsx"},
        name="access_log_xlsx",
    ),
    path("facilities/<int:facility_id>/merge", merge_views.merge, name="merge_facility"),
    path("facilities/<int:facility_id>/sharing/give", sharing_views.give, name="give_grant"),
    path("grants/<int:grant_id>/decide", sharing_views.decide, name="decide_grant"),
    path("suppliers/", supplier_views.suppliers, name="suppliers"),
    path("portfolio/", supplier_views.portfolio, name="portfolio"),
    path("portfolio.csv", supplier_views.portfolio_export, name="portfolio_export"),
    path("portfolio.xlsx", supplier_views.portfolio_export, {"kind": "xlsx"}, name="portfolio_xlsx"),
    path("suppliers/<int:facility_id>/ask", supplier_views.ask, name="ask_grant"),
    path("suppliers/ask", supplier_views.ask_many, name="ask_grants"),
    path("suppliers/onboarding/", onboarding_views.upload, name="supplier_onboarding"),
    path("suppliers/onboarding/<int:list_id>/", onboarding_views.supplier_list, name="supplier_list"),
    path("suppliers/onboarding/<int:list_id>/apply", onboarding_views.apply, name="apply_supplier_list"),
    path("suppliers/onboarding/<int:list_id>/ask", onboarding_views.ask, name="ask_supplier_list"),
    path("shared/<int:facility_id>/", sharing_views.shared, name="shared_facility"),
    path(
        "shared/<int:facility_id>/evidence/<int:evidence_id>",
        sharing_views.shared_evidence,
        name="shared_evidence",
    ),
    path("aggregates/", sharing_views.aggregates, name="aggregates"),
    path("jobs/<int:job_id>/", job_views.job, name="job"),
    path("jobs/<int:job_id>/download", job_views.download, name="job_download"),
    path("public/facilities/", disclosure_views.public_facilities, name="public_facilities"),
    path("open-data/labour-aggregates.csv", sharing_views.open_data, name="open_data"),
    path(
        "open-data/labour-aggregates.xlsx", sharing_views.open_data, {"kind": "xlsx"}, name="open_data_xlsx"
    ),
    path("", web_views.home, name="home"),
    path("", include("commonground.actions.urls")),
    path("", include("commonground.improvement.urls")),
    path("facilities/new", facility_views.edit, name="facility_new"),
    path("facilities/<int:facility_id>/", facility_views.facility, name="facility"),
    path("facilities/<int:facility_id>/edit", facility_views.edit, name="facility_edit"),
    path("facilities/<int:facility_id>/assessments/new", assessment_views.create, name="assessment_new"),
    path("assessments/<int:assessment_id>/", assessment_views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/answer", assessment_views.save, name="answer"),
    path("assessments/<int:assessment_id>/import", import_views.upload, name="import_answers"),
    path("assessments/<int:assessment_id>/import/apply", import_views.apply, name="apply_import"),
    path(
        "assessments/<int:assessment_id>/questionnaire.xlsx",
        import_views.template,
        name="assessment_template",
    ),
    path("assessments/<int:assessment_id>/xlsform.zip", import_views.xlsform, name="assessment_xlsform"),
    path("assessments/<int:assessment_id>/submit", assessment_views.submit, name="submit"),
    path("assessments/<int:assessment_id>/verify", assessment_views.verify, name="verify"),
    path("assessments/<int:assessment_id>/complete", assessment_views.complete, name="complete"),
    path("assessments/<int:assessment_id>/results/", assessment_views.results, name="results"),
    path(
        "assessments/<int:assessment_id>/results.xlsx",
        assessment_views.results_export,
        {"kind": "xlsx"},
        name="results_xlsx",
    ),
    path(
        "assessments/<int:assessment_id>/forms/<slug:form_id>.xlsx",
        assessment_views.state_form_export,
        {"kind": "xlsx"},
        name="state_form_xlsx",
    ),
    path(
        "assessments/<int:assessment_id>/forms/<slug:form_id>.pdf",
        assessment_views.state_form_export,
        {"kind": "pdf"},
        name="state_form_pdf",
    ),
    path(
        "assessments/<int:assessment_id>/forms/<slug:form_id>/prepare",
        assessment_views.state_form_job,
        name="state_form_job",
    ),
    path(
        "assessments/<int:assessment_id>/findings.csv",
        assessment_views.results_export,
        {"kind": "csv"},
        name="findings_csv",
    ),
    path(
        "assessments/<int:assessment_id>/results/<str:framework_id>/",
        assessment_views.framework_results,
        name="framework_results",
    ),
    path("assessments/<int:assessment_id>/evidence", workflow_views.upload, name="evidence_upload"),
    path("evidence/<int:evidence_id>/download", workflow_views.download, name="evidence_download"),
    path("assessments/<int:assessment_id>/copy-forward", workflow_views.copy_forward, name="copy_forward"),
    path("assessments/<int:assessment_id>/new-version", workflow_views.new_version, name="new_version"),
    path("assessments/<int:assessment_id>/history/", workflow_views.history, name="history"),
    path("assessments/<int:assessment_id>/verifier", workflow_views.choose_verifier, name="choose_verifier"),
    path("assessments/<int:assessment_id>/delete", workflow_views.delete, name="assessment_delete"),
    path("verification/", verification_views.worklist, name="verification_worklist"),
    path("assessments/<int:assessment_id>/verification/", verification_views.page, name="verification"),
    path(
        "assessments/<int:assessment_id>/verification/confirm",
        verification_views.confirm,
        name="verification_confirm",
    ),
    path(
        "assessments/<int:assessment_id>/verification/correct",
        verification_views.correct,
        name="verification_correct",
    ),
    path(
        "assessments/<int:assessment_id>/verification/complete",
        verification_views.complete,
        name="verification_complete",
    ),
    path(
        "assessments/<int:assessment_id>/verification/return",
        verification_views.return_to_factory,
        name="verification_return",
    ),
]
