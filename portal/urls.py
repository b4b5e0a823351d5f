from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from applicants.views import privacy
from placements import applicant_views
from portal import language, views

admin.site.site_header = _("Placement portal administration")
admin.site.site_title = _("Placement portal")
# The admin signs in through the portal's own sign-in, with its throttling and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Django's set_language, which also keeps a signed-in person's choice on their account.
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("privacy/", privacy.privacy_notice, name="privacy_notice"),
    path("programmes/", include("placements.urls")),
    path("confirmations/<slug:token>/", applicant_views.confirmation_verify, name="confirmation_verify"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("applicants.urls")),
    path("training/", include("placements.training_views.urls")),
    path("hosting/", include("placements.hosting_views.urls")),
    path("calendars/", include("placements.hosting_views.urls_feeds")),
    path("staff/hosting/", include("placements.hosting_views.urls_staff")),
    path("staff/placements/", include("placements.urls_staff")),
    path("staff/", include("applicants.urls_staff")),
    path("admin/", admin.site.urls),
]
