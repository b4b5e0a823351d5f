"""The staff area: one URL prefix (/staff/) for everything a coordinator does."""

from django.urls import path

from applicants.views.staff import home

app_name = "staff"

urlpatterns = [
    path("", home.staff_home, name="home"),
]
