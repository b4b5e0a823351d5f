"""The staff area: one URL prefix (/staff/) for everything a coordinator does."""

from django.urls import path

from applicants.views.staff import application, application_sections, dossier, home, proposals, queue

app_name = "staff"

urlpatterns = [
    path("", home.staff_home, name="home"),
    path("queue/", queue.queue, name="queue"),
    path("queue/bulk/", queue.queue_bulk, name="queue_bulk"),
    path("queue/export.csv", queue.queue_export, name="queue_export"),
    path("applications/<uuid:uuid>/", application.application_page, name="application"),
    path(
        "applications/<uuid:uuid>/reviews/",
        application_sections.application_reviews_page,
        name="application_reviews",
    ),
    path(
        "applications/<uuid:uuid>/history/",
        application_sections.application_history_page,
        name="application_history",
    ),
    path(
        "applications/<uuid:uuid>/start-review/",
        application.application_start_review_view,
        name="application_start_review",
    ),
    path(
        "applications/<uuid:uuid>/request-info/",
        application.application_request_info_view,
        name="application_request_info",
    ),
    path(
        "applications/<uuid:uuid>/decide/<slug:decision>/",
        application.application_decide_view,
        name="application_decide",
    ),
    path(
        "applications/<uuid:uuid>/review/",
        application_sections.application_review_view,
        name="application_review",
    ),
    path("applications/<uuid:uuid>/notes/", application_sections.application_note_view, name="application_note"),
    path(
        "applications/<uuid:uuid>/proposals/<int:pk>/approve/",
        proposals.proposal_approve_view,
        name="proposal_approve",
    ),
    path(
        "applications/<uuid:uuid>/proposals/<int:pk>/refuse/",
        proposals.proposal_refuse_view,
        name="proposal_refuse",
    ),
    path("applications/<uuid:uuid>/dossier/", dossier.dossier_start, name="dossier_start"),
    path("dossiers/<uuid:uuid>/", dossier.dossier_page, name="dossier"),
    path("dossiers/<uuid:uuid>/status/", dossier.dossier_status, name="dossier_status"),
    path("dossiers/<uuid:uuid>/download/", dossier.dossier_download, name="dossier_download"),
]
