"""Whole pages kept in the cache under versions (portal.page_cache): served while their versions
are current, never after a bump, an evicted version or a commit that follows a bump."""

import itertools
import uuid

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

from portal import page_cache


class Page:
    """A page that says how many times it was rendered."""

    def __init__(self):
        self.renders = itertools.count(1)
        self.version = f"test:version:{uuid.uuid4().hex}"
        self.key = f"test:page:{uuid.uuid4().hex}"

    def render(self):
        return HttpResponse(f"render {next(self.renders)}")

    def get(self, **kwargs) -> str:
        return page_cache.cached_response(self.key, [self.version], 60, self.render, **kwargs).content.decode()


def test_page_is_served_from_the_cache_until_its_version_is_bumped():
    page = Page()

    assert [page.get(), page.get(), page.get()] == ["render 1", "render 1", "render 1"]
    page_cache.bump(page.version)
    assert [page.get(), page.get()] == ["render 2", "render 2"]


def test_page_that_keep_refuses_is_not_stored():
    page = Page()

    assert [page.get(keep=lambda: False), page.get(keep=lambda: False)] == ["render 1", "render 2"]


def test_an_evicted_version_never_brings_back_the_old_page():
    page = Page()
    assert page.get() == "render 1"

    cache.delete(page.version)  # Redis evicted it, or a bump was the first thing to set it again

    assert [page.get(), page.get()] == ["render 2", "render 2"]


def test_a_bump_that_meets_no_version_leaves_old_pages_behind():
    page = Page()
    assert page.get() == "render 1"
    cache.delete(page.version)

    page_cache.bump(page.version)

    assert [page.get(), page.get()] == ["render 2", "render 2"]


@pytest.mark.django_db
def test_page_stored_between_a_change_and_its_commit_is_not_served_after_the_commit(
    django_capture_on_commit_callbacks,
):
    page = Page()
    assert page.get() == "render 1"

    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump(page.version)  # a change, not committed yet
        assert page.get() == "render 2"  # another request renders from the data of before the commit

    assert [page.get(), page.get()] == ["render 3", "render 3"]


def test_pages_and_values_are_kept_per_language():
    page = Page()
    key = f"test:value:{uuid.uuid4().hex}"
    made = itertools.count(1)

    def value():
        return f"{translation.get_language()} {next(made)}"

    seen = []
    for language in ("en", "nl", "en", "nl"):
        with translation.override(language):
            seen.append((page.get(), page_cache.cached_value(key, [page.version], 60, value)))

    assert seen == [("render 1", "en 1"), ("render 2", "nl 2"), ("render 1", "en 1"), ("render 2", "nl 2")]


def test_a_page_served_from_the_cache_varies_with_the_language_cookie_and_the_browser():
    page = Page()
    page.get()

    served = page_cache.cached_response(page.key, [page.version], 60, page.render)

    assert (served.content, served["Vary"]) == (b"render 1", "Cookie, Accept-Language")
