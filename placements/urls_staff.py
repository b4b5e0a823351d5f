"""Staff pages of placements, under /staff/placements/."""

from django.urls import path

from placements.staff_views import assignment, calendar, insights, insights_report, offers, planner

app_name = "staff_placements"

urlpatterns = [
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/<int:department_id>/<str:week>/", calendar.calendar_week, name="calendar_week"),
    path("applications/<uuid:uuid>/assign/", assignment.assign, name="assign"),
    path("applications/<uuid:uuid>/publish/", offers.publish_proposal, name="publish_proposal"),
    path("seat-proposals/<uuid:uuid>/dismiss/", offers.dismiss_seat_proposal, name="dismiss_seat_proposal"),
    path("insights/", insights.insights, name="insights"),
    path("insights/<slug:chart>.csv", insights.insights_csv, name="insights_csv"),
    path("insights/reports/", insights_report.report_start, name="report_start"),
    path("insights/reports/<uuid:uuid>/", insights_report.report_page, name="report"),
    path("insights/reports/<uuid:uuid>/status/", insights_report.report_status, name="report_status"),
    path("insights/reports/<uuid:uuid>/download/", insights_report.report_download, name="report_download"),
    path("planner/", planner.planner, name="planner"),
    path("planner/<uuid:uuid>/", planner.plan_run, name="plan_run"),
    path("planner/<uuid:uuid>/progress/", planner.plan_run_progress, name="plan_run_progress"),
    path("planner/<uuid:uuid>/publish/", planner.plan_publish_view, name="plan_publish"),
    path("planner/<uuid:uuid>/publish/<uuid:application>/", planner.plan_publish_one_view, name="plan_publish_one"),
]
