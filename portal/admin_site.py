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
