"""The public catalogue pages are cached for visitors and renewed when the catalogue changes; a query
string a page does not use sends the visitor to the page without it, so it never makes a new entry."""

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from placements.catalogue.models import Programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_cached_page_without_queries(client, catalogue, django_assert_num_queries):
    url = reverse("placements:programme_list")
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert "Clinical observership in Radiology and Nuclear Medicine" in response.content.decode()


def test_a_change_in_the_admin_shows_at_once(client, catalogue):
    programme = catalogue["rotation"]
    detail = reverse("placements:programme_detail", kwargs={"slug": programme.slug})
    client.get(detail)

    programme.title = "Observership in Radiology"
    programme.save()
    response = client.get(detail)

    assert '<h1 class="h2">Observership in Radiology</h1>' in response.content.decode()


def test_unpublishing_removes_the_programme_from_the_cached_list(client, catalogue):
    url = reverse("placements:programme_list")
    client.get(url)

    Programme.objects.filter(pk=catalogue["cohort"].pk).update(published=False)  # no signal: stays
    stale = client.get(url).content.decode()
    catalogue["cohort"].refresh_from_db()
    catalogue["cohort"].save()  # a save, as the admin does, renews the pages
    fresh = client.get(url).content.decode()

    assert "Postgraduate Certificate in Medical Physics" in stale
    assert "Postgraduate Certificate in Medical Physics" not in fresh


def test_signed_in_users_get_their_own_page(client, catalogue):
    url = reverse("placements:programme_list")
    client.get(url)
    user = make_user("signed.in")
    client.force_login(user)

    response = client.get(url)

    assert "signed.in@example.org" in response.content.decode()


def test_staff_pages_are_never_taken_from_the_visitor_cache(client, catalogue, root):
    url = reverse("placements:programme_list")
    client.get(url)
    client.force_login(root)

    assert "root@example.org" in client.get(url).content.decode()


def cached_pages() -> int:
    """How many catalogue pages this test run holds in the cache (read from Redis itself)."""
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    return sum(1 for _ in client.scan_iter(match=cache.make_key("catalogue:page:*"), count=1000))


@pytest.mark.parametrize("name", ["placements:programme_list", "placements:programme_detail"])
def test_a_query_string_the_page_does_not_use_sends_to_the_page_without_it(client, catalogue, name):
    url = reverse(name, kwargs={"slug": catalogue["rotation"].slug} if name.endswith("detail") else None)

    response = client.get(url, {"utm_source": "newsletter", "x": "1"})

    assert (response.status_code, response["Location"]) == (302, url)


def test_ten_thousand_query_strings_add_no_cache_entry(client, catalogue):
    programme_list = reverse("placements:programme_list")
    detail = reverse("placements:programme_detail", kwargs={"slug": catalogue["rotation"].slug})
    client.get(programme_list)
    client.get(detail)
    before = cached_pages()

    answers = {
        client.get(f"{programme_list if n % 2 else detail}?n={n}&junk={'x' * (n % 50)}").status_code
        for n in range(10_000)
    }

    assert (answers, cached_pages() - before) == ({302}, 0)
