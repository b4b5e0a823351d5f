"""Whole-page cache of the public catalogue for visitors who are not signed in.

The catalogue changes a few times a year and is read all day, so its pages are kept in the cache
under a version (portal.page_cache); any change to a catalogue record bumps the version, and the
next visitor renders the page afresh. Signed-in users, pages with a pending message and anything
but GET are never cached (their pages differ per person).
"""

from functools import wraps

from django.db.models.signals import post_delete, post_save

from portal import page_cache

VERSION_KEY = "catalogue:version"
TIMEOUT = 3600  # bounds how long a page could outlive a change whose bump was lost (Redis away)


def catalogue_changed(**kwargs) -> None:
    page_cache.bump(VERSION_KEY)


def cached_for_visitors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or page_cache.has_pending_messages(request):
            return view(request, *args, **kwargs)
        return page_cache.cached_response(
            f"catalogue:page:{request.get_full_path()}", [VERSION_KEY], TIMEOUT, lambda: view(request, *args, **kwargs)
        )

    return wrapper


def connect_signals(models) -> None:
    for model in models:
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
