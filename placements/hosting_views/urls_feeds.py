"""Private calendar feeds, under /calendars/: the feed by its token and the owner's renewal."""

from django.urls import path

from placements.hosting_views import feeds

app_name = "feeds"

urlpatterns = [
    path("<str:token>.ics", feeds.feed, name="feed"),
    path("renew/<str:kind>/", feeds.renew, name="renew"),
]
