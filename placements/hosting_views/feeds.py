"""Private calendar feeds: the feed itself (opened by its secret token alone, since calendar clients
cannot sign in) and the owner's "Renew the link" button (placements.hosting.feeds)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from placements.hosting.feeds import feed_allowed, feed_calendar, feed_token_owner, feed_token_renew
from placements.hosting.models import FeedKind

# Where each owner sees the address of their feed, and returns to after renewing it.
PAGES = {
    FeedKind.APPLICANT: "applicants:dashboard",
    FeedKind.SUPERVISOR: "hosting:placements",
    FeedKind.COORDINATOR: "staff_placements:calendar",
}


@require_GET
def feed(request, token: str):
    """The iCalendar feed behind `token`; a 404 for an unknown or renewed token or an owner no longer allowed."""
    found = feed_token_owner(token)
    if found is None:
        raise Http404("No such calendar.")
    response = HttpResponse(feed_calendar(found), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="placements.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def renew(request, kind: str):
    """A new address for the signed-in user's feed of `kind`: the old one stops working at once."""
    if kind not in PAGES or not feed_allowed(request.user, kind):
        raise Http404("No such calendar.")
    feed_token_renew(request.user, kind)
    messages.success(request, _("The calendar link is renewed: the old link no longer works."))
    return redirect(PAGES[kind])
