"""docker-compose.yml and the Dockerfile describe a complete deployment (read here, not run: the
test machine has no Docker)."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
PORTAL_SERVICES = ["web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def test_declares_the_five_services(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


def test_uses_postgres_16_and_redis_7(services):
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_web_runs_gunicorn_on_the_wsgi_application(services):
    assert services["web"]["command"][:2] == ["gunicorn", "portal.wsgi"]
    assert services["web"]["build"] == "."


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_worker_and_beat_run_celery_on_the_portal_app(services, service):
    command = services[service]["command"]

    assert command[:4] == ["celery", "-A", "portal", service]


def test_postgres_health_check_uses_pg_isready(services):
    assert services["postgres"]["healthcheck"]["test"] == ["CMD-SHELL", "pg_isready -U portal -d portal"]


def test_redis_health_check_pings(services):
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_web_health_check_asks_healthz(services):
    test = services["web"]["healthcheck"]["test"]

    assert test[:3] == ["CMD", "python", "-c"]
    assert '"http://127.0.0.1:8000/healthz"' in test[3]


@pytest.mark.parametrize("service", PORTAL_SERVICES)
def test_portal_services_wait_for_healthy_database_and_redis_and_migrations(services, service):
    assert services[service]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_migrations_run_once_before_the_portal_starts(services):
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert services["migrate"]["restart"] == "no"


@pytest.mark.parametrize("service", [*PORTAL_SERVICES, "migrate"])
def test_portal_services_are_configured_through_the_environment(services, service):
    environment = services[service]["environment"]

    assert environment["DEBUG"] == "false"
    assert environment["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY in .env}"
    assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
    assert environment["DATABASE_URL"].startswith("postgres://portal:${POSTGRES_PASSWORD:?")
    assert environment["DATABASE_URL"].endswith("@postgres:5432/portal")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["EMAIL_URL"] == "${EMAIL_URL:?set EMAIL_URL in .env}"
    assert environment["PRIVATE_MEDIA_ROOT"] == "/data/documents"


def test_named_volumes_hold_the_database_and_the_documents(compose, services):
    assert {"postgres-data", "redis-data", "documents"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "documents:/data/documents" in services["web"]["volumes"]
    assert "documents:/data/documents" in services["worker"]["volumes"]


def test_dockerfile_builds_assets_from_npm_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert "FROM python:3.11-slim" in dockerfile
    assert "RUN npm ci" in dockerfile
    assert "COPY --from=assets /build/vendor/ static/vendor/" in dockerfile
    assert "RUN pip install -r requirements.txt" in dockerfile
    assert "python manage.py collectstatic --no-input" in dockerfile


def test_dockerfile_copies_every_vendor_file_the_makefile_copies():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    vendor_files = {word for word in makefile.split() if word.startswith("node_modules/") and "/dist/" in word}

    assert vendor_files
    assert not {path for path in vendor_files if path not in dockerfile}
