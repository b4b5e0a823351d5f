"""A real Celery worker, on the real Redis broker, writes to the test database."""

import pytest

from portal.models import WorkerHeartbeat
from portal.tasks import record_heartbeat

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_runs_a_task_that_writes_to_the_database(celery_worker):
    result = record_heartbeat.delay(label="integration")

    row_id = result.get(timeout=20)

    beat = WorkerHeartbeat.objects.get(label="integration")
    assert beat.pk == row_id


def test_healthz_reports_the_running_worker(celery_worker, client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["detail"] == "ok"
    assert body["checks"]["workers"]["ok"] is True
