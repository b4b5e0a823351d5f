from django.urls import path

from placements import views

app_name = "placements"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
]
