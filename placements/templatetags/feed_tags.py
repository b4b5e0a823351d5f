"""The address of the signed-in user's private calendar feed, with its "Renew the link" button:
{% load feed_tags %}{% calendar_feed "supervisor" %} (placements.hosting.feeds). The supervisor's and
the coordinator's pages are theirs alone; a trainee sees it once they have a placement to show."""

from django import template
from django.conf import settings
from django.urls import reverse

from placements.hosting.feeds import feed_placements, feed_token
from placements.hosting.models import FeedKind

register = template.Library()


@register.inclusion_tag("hosting/_calendar_feed.html", takes_context=True)
def calendar_feed(context, kind: str) -> dict:
    user = context["request"].user
    if not user.is_authenticated or kind not in FeedKind.values:
        return {"feed_url": None}
    if kind == FeedKind.APPLICANT and not feed_placements(user, kind).exists():
        return {"feed_url": None}  # nothing to subscribe to before an offer
    token = feed_token(user, kind)
    return {
        "feed_url": settings.SITE_URL + reverse("feeds:feed", kwargs={"token": token.token}),
        "renew_url": reverse("feeds:renew", kwargs={"kind": kind}),
        "kind": kind,
        "csrf_token": context.get("csrf_token"),
    }
