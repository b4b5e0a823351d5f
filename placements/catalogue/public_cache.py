"""Whole-page cache of the public catalogue for visitors who are not signed in.

The catalogue changes a few times a year and is read all day, so its pages are kept in the cache
under a version (portal.page_cache); any change to a catalogue record bumps the version, and the
next visitor renders the page afresh. Signed-in users, pages with a pending message and anything
but GET are never cached (their pages differ per person).

A page is kept under its path and the query parameters it uses (`query`, none for the catalogue's
pages); a visitor who brings others is sent to the URL without them, so that each page has one entry
whatever query strings arrive.
"""

from collections.abc import Sequence
from functools import wraps

from django.db.models.signals import post_delete, post_save
from django.shortcuts import redirect

from portal import page_cache

VERSION_KEY = "catalogue:version"
TIMEOUT = 3600  # bounds how long a page could outlive a change whose bump was lost (Redis away)


def catalogue_changed(**kwargs) -> None:
    page_cache.bump(VERSION_KEY)


def cached_for_visitors(view=None, *, query: Sequence[str] = ()):
    """Keep the page of `view` for visitors; `query`: the query parameters the page uses."""
    if view is None:
        return lambda view: cached_for_visitors(view, query=query)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or page_cache.has_pending_messages(request):
            return view(request, *args, **kwargs)
        clean = page_cache.clean_url(request, query)
        if clean is not None:
            return redirect(clean)
        used = page_cache.used_query(request, query)
        key = f"catalogue:page:{request.path}" + (f"?{used}" if used else "")
        return page_cache.cached_response(key, [VERSION_KEY], TIMEOUT, lambda: view(request, *args, **kwargs))

    return wrapper


def connect_signals(models) -> None:
    for model in models:
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
