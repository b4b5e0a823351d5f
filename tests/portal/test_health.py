"""GET /healthz tells a load balancer or an operator whether the database, Redis and workers answer.

The public learns only "ok" or "unavailable" (and the HTTP status); the details are for staff and
for requests from the machine itself (the test client's address is 127.0.0.1). No worker is
started here, so the workers' entry may say either way; the database and Redis are real.
"""

import pytest
from django.test import Client
from django.urls import reverse

URL = reverse("healthz")
PUBLIC_IP = "203.0.113.9"


def test_healthz_reports_database_redis_and_workers(client, db):
    response = client.get(URL)

    body = response.json()
    assert response["Content-Type"] == "application/json"
    assert list(body["checks"]) == ["database", "redis", "workers"]
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}
    assert body["checks"]["redis"] == {"ok": True, "detail": "ok"}
    workers_ok = body["checks"]["workers"]["ok"]
    assert (response.status_code, body["status"]) == ((200, "ok") if workers_ok else (503, "unavailable"))


def test_healthz_is_never_cached(client, db):
    response = client.get(URL)

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_healthz_is_503_naming_redis_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(URL)

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"] == {"ok": False, "detail": "unreachable: ConnectionError"}
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}


def test_healthz_refuses_post(client, db):
    response = client.post(URL)

    assert response.status_code == 405


def test_healthz_tells_the_public_only_whether_the_portal_is_up(db):
    response = Client(REMOTE_ADDR=PUBLIC_IP).get(URL)

    assert response.json() == {"status": "ok" if response.status_code == 200 else "unavailable"}


def test_healthz_tells_the_public_unavailable_with_a_503_when_redis_is_down(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = Client(REMOTE_ADDR=PUBLIC_IP).get(URL)

    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1"])
def test_healthz_gives_the_details_to_the_machine_itself(db, address):
    body = Client(REMOTE_ADDR=address).get(URL).json()

    assert list(body["checks"]) == ["database", "redis", "workers"]


def test_healthz_gives_the_details_to_staff_signed_in_from_elsewhere(root):
    client = Client(REMOTE_ADDR=PUBLIC_IP)
    client.force_login(root)

    body = client.get(URL).json()

    assert list(body["checks"]) == ["database", "redis", "workers"]


def test_healthz_keeps_the_details_from_a_signed_in_applicant(alice):
    client = Client(REMOTE_ADDR=PUBLIC_IP)
    client.force_login(alice)

    assert "checks" not in client.get(URL).json()


def test_healthz_behind_our_proxy_judges_the_address_the_proxy_saw(db, settings):
    # The proxy on this machine connects from 127.0.0.1 and adds the visitor's address.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    through_proxy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=PUBLIC_IP)
    local_through_proxy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert ("checks" in through_proxy.get(URL).json(), "checks" in local_through_proxy.get(URL).json()) == (
        False,
        True,
    )


def test_healthz_without_trusted_proxies_ignores_a_forwarded_loopback_address(db):
    spoofed = Client(REMOTE_ADDR=PUBLIC_IP, HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert "checks" not in spoofed.get(URL).json()


def test_healthz_with_fewer_forwarded_addresses_than_trusted_proxies_answers_the_public(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    short = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")

    response = short.get(URL)

    assert "checks" not in response.json()
