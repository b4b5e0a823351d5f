"""docker-compose.yml and the Dockerfile describe a deployment that can start (read here, not run:
the test machine has no Docker)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
# The services the README promises: the database, Redis (the broker, and the cache on its own), the
# migrations, gunicorn, a worker and beat.
PROMISED = {"postgres", "redis", "cache", "migrate", "web", "worker", "beat"}
# The .env file the comment at the top of docker-compose.yml asks for.
DOT_ENV = {
    "SECRET_KEY": "pQ7-vL2#xR9!mT4$kW8@nB3^hZ6&cF1*yD5+sJ0=gA7%uE2~oI9?",
    "ALLOWED_HOSTS": "placements.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://placements.example.org",
    "SITE_URL": "https://placements.example.org",
    "POSTGRES_PASSWORD": "a-random-url-safe-password",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.example.org:587",
}
VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def interpolated(value: str, dot_env: dict[str, str]) -> str:
    """`value` with ${NAME}, ${NAME:-default} and ${NAME:?error} filled in as docker compose does."""

    def fill(match: re.Match) -> str:
        name, kind, rest = match.groups()
        if dot_env.get(name):
            return dot_env[name]
        if kind == "?":
            raise AssertionError(f"docker compose would stop: {rest}")
        return rest if kind == "-" else ""

    return VARIABLE.sub(fill, str(value))


def test_every_promised_service_can_start(compose):
    services = compose["services"]
    declared_volumes = set(compose.get("volumes") or {})

    assert set(services) >= PROMISED
    for name, service in services.items():
        assert service.get("image") or service.get("build"), f"{name} has nothing to run"
        if service.get("build"):
            assert service.get("command"), f"{name} would run the image's default command (gunicorn)"
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} waits for {dependency}, which does not exist"
            if rule["condition"] == "service_healthy":
                assert services[dependency].get("healthcheck"), f"{dependency} has no health check to wait for"
            if rule["condition"] == "service_completed_successfully":
                assert services[dependency].get("restart") == "no", f"{dependency} restarts, so it never completes"
        named = {volume.split(":")[0] for volume in service.get("volumes") or [] if not volume.startswith(("/", "."))}
        assert named <= declared_volumes, f"{name} uses undeclared volumes {named - declared_volumes}"


def test_the_portal_starts_with_the_environment_compose_gives_it(compose, tmp_path):
    portal = [service for service in compose["services"].values() if service.get("build")]
    assert all(service["environment"] == portal[0]["environment"] for service in portal)
    environment = {key: interpolated(value, DOT_ENV) for key, value in portal[0]["environment"].items()}
    environment.update(PATH=os.environ.get("PATH", "/usr/bin:/bin"), HOME=str(tmp_path), VAR_DIR=str(tmp_path))

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**environment, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def redis_options(service: dict) -> dict[str, str]:
    """The `--option value` pairs of a redis-server command."""
    command = service["command"]
    assert command[0] == "redis-server"
    return {command[i].removeprefix("--"): command[i + 1] for i in range(1, len(command) - 1, 2)}


def test_the_cache_is_a_redis_of_its_own_with_a_memory_limit_that_evicts(compose):
    portal = next(service for service in compose["services"].values() if service.get("build"))
    cache = redis_options(compose["services"]["cache"])

    assert (cache["maxmemory-policy"], interpolated(cache["maxmemory"], DOT_ENV)) == ("allkeys-lru", "256mb")
    assert portal["environment"]["CACHE_URL"].startswith("redis://cache:6379/")


def test_the_broker_never_evicts_a_task(compose):
    portal = next(service for service in compose["services"].values() if service.get("build"))
    broker = redis_options(compose["services"]["redis"])

    assert broker["maxmemory-policy"] == "noeviction"
    assert portal["environment"]["REDIS_URL"].startswith("redis://redis:6379/")


def test_dockerfile_copies_every_vendor_file_the_makefile_copies():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    vendor_files = {word for word in makefile.split() if word.startswith("node_modules/") and "/dist/" in word}

    assert vendor_files
    assert not {path for path in vendor_files if path not in dockerfile}
