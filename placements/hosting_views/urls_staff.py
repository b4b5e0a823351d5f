"""The coordinators' pages of host departments, under /staff/hosting/."""

from django.urls import path

from placements.hosting_views import staff

app_name = "staff_hosting"

urlpatterns = [
    path("supervisors/", staff.supervisors, name="supervisors"),
    path(
        "applications/<uuid:uuid>/placements/<uuid:placement_uuid>/confirmation/",
        staff.request_confirmation,
        name="request_confirmation",
    ),
    path(
        "applications/<uuid:uuid>/placements/<uuid:placement_uuid>/interrupt/",
        staff.interrupt,
        name="interrupt",
    ),
]
