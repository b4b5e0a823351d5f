"""Rendered pages kept whole in the cache under version counters.

A cached page is stored with the versions of everything it shows, as they were before it was
rendered, and served only while they are still current (the page and the versions come in one
round trip); a change to anything it shows bumps the versions it touches, so the next request
renders the page afresh. Two rules keep a page from outliving its data:

- A version is bumped twice: at once, and again once the transaction commits. A page rendered from
  the data of before the commit and stored in between is stored under a version that the second
  bump leaves behind.
- A version that is missing (never set, or evicted by Redis) starts from the clock in nanoseconds,
  a value no earlier version had, so pages stored with an evicted version are never served.

A page or value is stored per language (the active one, `in_language`): the same URL shows English to
one reader and Dutch to the next, and a value may hold texts of either. A served page says that it
varies with the language cookie and the browser's languages (Vary: Cookie, Accept-Language).

A page is stored under its path and the query parameters it uses (its allow-list), never under the
query string as sent: a request with any other parameter is sent to the URL without them
(`clean_url`), so that no stream of made-up query strings can add entries. The cache itself is a
Redis of its own with a memory limit that evicts the least recently used keys (CACHE_URL).

Redis away is no outage: pages are rendered as if nothing were cached, and a change saved meanwhile
is saved all the same (its bump is logged as lost; the pages' timeouts bound how long one stored
before could be served once Redis is back, should it have kept its data).
"""

import logging
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# What the cache raises when Redis cannot be reached or answers an error.
CACHE_ERRORS = (RedisError, OSError)
# What a cached page depends on besides its URL: the language, chosen by cookie or by the browser.
VARY = ("Cookie", "Accept-Language")


def _new_version() -> int:
    return time.time_ns()


def _bump_now(names: Sequence[str]) -> None:
    try:
        for name in names:
            try:
                cache.incr(name)
            except ValueError:  # missing: any new value leaves every stored page behind
                cache.set(name, _new_version(), timeout=None)
    except CACHE_ERRORS as error:
        logger.warning("Cache versions %s not bumped, the cache is unreachable: %s", ", ".join(names), error)


class BumpAfterCommit:
    """The second bump, run once the transaction commits."""

    def __init__(self, names: Sequence[str]):
        self.names = names

    def __call__(self) -> None:
        _bump_now(self.names)


def bump(*names: str) -> None:
    """Invalidate every page stored under the versions `names`, now and when the transaction commits."""
    if not names:
        return
    _bump_now(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(BumpAfterCommit(names))


def in_language(key: str) -> str:
    """`key` for the active language: what is stored under it is shown in that language only."""
    return f"{key}|lang={translation.get_language() or ''}"


def _current(found: dict, names: Sequence[str]) -> tuple[int, ...] | None:
    """The versions `names` as read in `found`, a missing one set now (None in the rare case that
    another process set it in between and it cannot be read back)."""
    values = []
    for name in names:
        if name not in found:
            value = _new_version()
            if not cache.add(name, value, timeout=None):
                value = cache.get(name)
            if value is None:
                return None
            found[name] = value
        values.append(found[name])
    return tuple(values)


def cached_response(
    key: str,
    versions: Sequence[str],
    timeout: int,
    render: Callable[[], HttpResponse],
    *,
    keep: Callable[[], bool] = lambda: True,
) -> HttpResponse:
    """The page stored under `key` if it was stored at the current values of `versions` (read in the
    same round trip), else the one `render` makes, stored with the versions read before it was
    rendered when it is a 200 and `keep()` still agrees; the rendered page when the cache is away.
    Pages are kept per language (`in_language`)."""
    key = in_language(key)
    try:
        found = cache.get_many([key, *versions])
        current = _current(found, versions)
    except CACHE_ERRORS as error:
        logger.warning("Page rendered without the cache, which is unreachable: %s", error)
        return render()
    stored = found.get(key)
    if current is not None and stored is not None and stored[0] == current:
        response = HttpResponse(stored[1])
        patch_vary_headers(response, VARY)
        return response
    response = render()
    patch_vary_headers(response, VARY)
    if current is not None and response.status_code == 200 and not response.streaming:

        def store(rendered):
            if keep():
                try:
                    cache.set(key, (current, rendered.content), timeout)
                except CACHE_ERRORS as error:
                    logger.warning("Page not stored, the cache is unreachable: %s", error)

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(store)
        else:
            store(response)
    return response


def cached_value(key: str, versions: Sequence[str], timeout: int, compute: Callable[[], object]):
    """The value stored under `key` if it was stored at the current values of `versions` (read in the
    same round trip), else the one `compute` makes, stored with the versions read before it was made;
    computed alone when the cache is away. For data that pages share, not whole pages; kept per
    language, as it may hold texts (`in_language`)."""
    key = in_language(key)
    try:
        found = cache.get_many([key, *versions])
        current = _current(found, versions)
    except CACHE_ERRORS as error:
        logger.warning("Value computed without the cache, which is unreachable: %s", error)
        return compute()
    stored = found.get(key)
    if current is not None and stored is not None and stored[0] == current:
        return stored[1]
    value = compute()
    if current is not None:
        try:
            cache.set(key, (current, value), timeout)
        except CACHE_ERRORS as error:
            logger.warning("Value not stored, the cache is unreachable: %s", error)
    return value


def has_pending_messages(request: HttpRequest) -> bool:
    """Whether a message waits to be shown (a page showing one is personal and never stored)."""
    return bool(len(messages.get_messages(request)))


def used_query(request: HttpRequest, allowed: Sequence[str]) -> str:
    """The query string of the parameters in `allowed` that `request` has, in that order (the last
    value of each): what a page that uses only those shows depends on."""
    return urlencode([(name, request.GET[name]) for name in allowed if name in request.GET])


def clean_url(request: HttpRequest, allowed: Sequence[str]) -> str | None:
    """The URL of the page without the query parameters it does not use (`allowed` are those it
    does), or None when the request has no others."""
    query = used_query(request, allowed)
    if request.META.get("QUERY_STRING", "") == query:
        return None
    return f"{request.path}?{query}" if query else request.path
