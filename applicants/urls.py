from django.urls import path

from applicants.views import profile

app_name = "applicants"

urlpatterns = [
    path("profile/", profile.profile_edit, name="profile"),
]
