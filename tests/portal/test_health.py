"""GET /healthz tells a load balancer or an operator whether the database, Redis and workers answer.

No worker is started here, so the workers' entry may say either way; the database and Redis are real.
"""

from django.urls import reverse

URL = reverse("healthz")


def test_healthz_reports_database_redis_and_workers(client, db):
    response = client.get(URL)

    body = response.json()
    assert response["Content-Type"] == "application/json"
    assert list(body["checks"]) == ["database", "redis", "workers"]
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}
    assert body["checks"]["redis"] == {"ok": True, "detail": "ok"}
    workers_ok = body["checks"]["workers"]["ok"]
    assert (response.status_code, body["status"]) == ((200, "ok") if workers_ok else (503, "degraded"))


def test_healthz_is_never_cached(client, db):
    response = client.get(URL)

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_healthz_is_503_naming_redis_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(URL)

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["checks"]["redis"] == {"ok": False, "detail": "unreachable: ConnectionError"}
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}


def test_healthz_refuses_post(client, db):
    response = client.post(URL)

    assert response.status_code == 405
