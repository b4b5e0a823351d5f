from django.urls import path

from applicants.views import dashboard, documents, info_reply, privacy, profile, wizard
from placements import applicant_views

app_name = "applicants"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("applications/<uuid:uuid>/", dashboard.application_detail, name="application_detail"),
    path("applications/<uuid:uuid>/withdraw/", dashboard.application_withdraw_confirm, name="application_withdraw"),
    path("applications/<uuid:uuid>/answer/", info_reply.application_answer, name="application_answer"),
    path("applications/<uuid:uuid>/offer/accept/", applicant_views.offer_accept_view, name="offer_accept"),
    path("applications/<uuid:uuid>/offer/decline/", applicant_views.offer_decline_view, name="offer_decline"),
    path(
        "applications/<uuid:uuid>/confirmation.pdf",
        applicant_views.confirmation_download,
        name="placement_confirmation",
    ),
    path("documents/<uuid:uuid>/download/", documents.document_download, name="document_download"),
    path("documents/<uuid:uuid>/preview/", documents.document_preview, name="document_preview"),
    path("profile/", profile.profile_edit, name="profile"),
    path("apply/<slug:programme_slug>/", wizard.application_apply, name="application_apply"),
    path("applications/<uuid:uuid>/step/<slug:step>/", wizard.wizard_step, name="wizard_step"),
    path(
        "applications/<uuid:uuid>/documents/status/",
        wizard.wizard_documents_status,
        name="wizard_documents_status",
    ),
    path("my-data/", privacy.data_export_start, name="data_export_start"),
    path("my-data/<uuid:uuid>/", privacy.data_export_page, name="data_export"),
    path("my-data/<uuid:uuid>/status/", privacy.data_export_status, name="data_export_status"),
    path("my-data/<uuid:uuid>/download/", privacy.data_export_download, name="data_export_download"),
    path("delete-account/", privacy.account_delete, name="account_delete"),
]
