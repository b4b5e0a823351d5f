"""The public catalogue pages are cached for visitors and renewed when the catalogue changes."""

import pytest
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
