"""The supervisors' pages, under /hosting/, and the invitation link."""

from django.urls import path

from placements.hosting_views import calendar, invitation, supervisor

app_name = "hosting"

urlpatterns = [
    path("", supervisor.placements, name="placements"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("placements/<uuid:uuid>/", supervisor.placement, name="placement"),
    path("placements/<uuid:uuid>/answer/", supervisor.answer, name="answer"),
    path("placements/<uuid:uuid>/absences/", supervisor.absence, name="absence"),
    path("placements/<uuid:uuid>/complete/", supervisor.complete, name="complete"),
    path("placements/<uuid:uuid>/interrupt/", supervisor.interrupt, name="interrupt"),
    path("placements/<uuid:uuid>/documents/<uuid:document_uuid>/", supervisor.document, name="document"),
    path("invitations/<str:token>/", invitation.accept, name="invitation"),
]
