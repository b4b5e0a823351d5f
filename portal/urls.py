from django.contrib import admin
from django.urls import include, path

from portal import views

admin.site.site_header = "Placement portal administration"
admin.site.site_title = "Placement portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("programmes/", include("placements.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("applicants.urls")),
    path("admin/", admin.site.urls),
]
