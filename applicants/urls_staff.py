"""The staff area: one URL prefix (/staff/) for everything a coordinator does."""

from django.urls import path

from applicants.views.staff import application, home

app_name = "staff"

urlpatterns = [
    path("", home.staff_home, name="home"),
    path("applications/<uuid:uuid>/", application.application_page, name="application"),
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
    path("applications/<uuid:uuid>/review/", application.application_review_view, name="application_review"),
    path("applications/<uuid:uuid>/notes/", application.application_note_view, name="application_note"),
]
