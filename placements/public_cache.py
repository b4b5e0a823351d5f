"""Whole-page cache of the public catalogue for visitors who are not signed in.

The catalogue changes a few times a year and is read all day, so its pages are kept in the cache
under a version number; any change to a catalogue record bumps the version, and the next visitor
renders the page afresh. Signed-in users, pages with a pending message and anything but GET are
never cached (their pages differ per person).
"""

from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "catalogue:version"
TIMEOUT = 24 * 3600


def catalogue_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def catalogue_changed(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted: any new value invalidates the old pages
        cache.set(VERSION_KEY, 2, timeout=None)


def cached_for_visitors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        key = f"catalogue:page:{catalogue_version()}:{request.get_full_path()}"
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.add_post_render_callback(lambda r: cache.set(key, r.content, TIMEOUT))
        return response

    return wrapper


def connect_signals(models) -> None:
    for model in models:
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
