"""The portal's admin site: Django's, except that a list filtered by a lookup it cannot apply (a year
that cannot be, a day past any calendar: `?start_week__year=-1455`, `?created_at__year=9999` in the
date drill-down) is its "invalid filter" page, as Django does for the lookups it checks itself,
instead of a server error. Django finds such values only while building or showing the list."""

import logging
from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)


def checked_changelist(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
            if request.GET and hasattr(response, "render"):
                response.render()  # the list's query runs here: its errors are the filter's
        except (ValueError, OverflowError) as error:
            if not request.GET:
                raise
            logger.info("Admin list %s: a filter it cannot apply (%s)", request.path, error)
            # What Django answers for a filter it cannot apply: the list flagged, then the error page.
            if ERROR_FLAG in request.GET:
                return SimpleTemplateResponse("admin/invalid_setup.html", {"title": _("Database error")})
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return response

    return wrapper


class PortalAdminSite(AdminSite):
    def admin_view(self, view, cacheable=False):
        if getattr(view, "__name__", "") == "changelist_view":
            view = checked_changelist(view)
        return super().admin_view(view, cacheable)


# Words of the admin's pages that the packages drawing them do not have in Dutch (Django 5.2's newer
# admin strings, django-simple-history's history pages, django-axes's sign-in records): marked here, so
# that the portal's catalogue translates them (its translations come before the packages' own).
ADMIN_WORDS_WITHOUT_DUTCH = (
    # Django's admin
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    # django-simple-history
    gettext_noop("View history: %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("Revert %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Object"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    # django-axes
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Cleaned up {count} expired access attempts."),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("User Agent"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Account locked: too many login attempts. Contact an admin to unlock your account."),
)
