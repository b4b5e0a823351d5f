"""Training pages, under /training/: the trainee's, the supervisor's (supervise/) and the public
verification of a certificate (verify/)."""

from django.urls import path

from placements.training_views.views import certificates, supervisor, trainee

app_name = "training"

urlpatterns = [
    path("placements/<uuid:uuid>/", trainee.placement_training, name="placement"),
    path("placements/<uuid:uuid>/feedback/", trainee.feedback, name="feedback"),
    path("entries/<uuid:uuid>/edit/", trainee.entry_edit, name="entry_edit"),
    path("evaluations/<uuid:uuid>/", trainee.evaluation_detail, name="evaluation"),
    path("certificates/<uuid:uuid>/", certificates.certificate_page, name="certificate"),
    path("certificates/<uuid:uuid>/status/", certificates.certificate_status, name="certificate_status"),
    path("certificates/<uuid:uuid>/download/", certificates.certificate_download, name="certificate_download"),
    path("supervise/<uuid:uuid>/", supervisor.supervise, name="supervise"),
    path("supervise/<uuid:uuid>/evaluations/<slug:kind>/", supervisor.evaluation_fill, name="evaluation_fill"),
    path("supervise/entries/<uuid:uuid>/", supervisor.entry_review, name="entry_review"),
    path("verify/<slug:code>/", certificates.certificate_verify, name="certificate_verify"),
]
