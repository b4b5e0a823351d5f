"""Sessions come from the cache and are written through to the database (portal.session_store):
a signed-in page costs no session query, a sign-out ends the session in both places, and no session
stays in the cache longer than SESSION_CACHE_SECONDS."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.session_store import SessionStore
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
PROFILE = reverse("applicants:profile")


@pytest.fixture
def ines():
    return make_user("ines")


def signed_in(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def cache_seconds_left(session_key: str) -> int:
    """What Redis says of the cached copy's time to live (-2: no such key)."""
    redis = cache._cache.get_client()
    return redis.ttl(cache.make_key(SessionStore.cache_key_prefix + session_key))


def test_signed_in_page_reads_the_session_from_the_cache(ines, django_assert_num_queries):
    client = signed_in(ines)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    with django_assert_num_queries(2):  # the user, her profile; the session came from the cache
        response = client.get(PROFILE)

    assert response.status_code == 200
    assert Session.objects.filter(session_key=key).exists()  # written through to the database
    assert 0 < cache_seconds_left(key) <= 60  # never the session's two weeks


def test_session_lost_from_the_cache_is_read_back_from_the_database(ines, django_assert_num_queries):
    client = signed_in(ines)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cache.delete(SessionStore.cache_key_prefix + key)  # Redis restarted without its data

    with django_assert_num_queries(3):  # the session row, the user, her profile
        assert client.get(PROFILE).status_code == 200
    assert 0 < cache_seconds_left(key) <= 60


def test_sign_out_ends_the_session_in_the_database_and_the_cache(ines):
    client = signed_in(ines)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stolen.get(PROFILE).status_code == 200

    client.post(reverse("account_logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert cache_seconds_left(key) == -2
    assert stolen.get(PROFILE).status_code == 302  # to the sign-in page


def test_erased_account_leaves_no_session_in_the_cache(ines):
    from applicants.privacy.erasure import applicant_erase

    client = signed_in(ines)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert cache_seconds_left(key) > 0

    applicant_erase(user=ines)

    assert cache_seconds_left(key) == -2
    assert not Session.objects.filter(session_key=key).exists()
