"""Configuration comes only from the environment, and a value the portal cannot use stops it at
start-up with a message that names the variable (each case starts a fresh Python process)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SETUP = "import django; django.setup()"
SECRET_KEY = "pQ7-vL2#xR9!mT4$kW8@nB3^hZ6&cF1*yD5+sJ0=gA7%uE2~oI9?"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": "placements.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.example.org:587",
}


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run Python with only `env` (plus PATH and a scratch folder): nothing leaks from this process."""
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60, check=False
    )


def setup_with(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    return run(["-c", SETUP], env, tmp_path)


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_production_values_start(tmp_path):
    result = setup_with(PRODUCTION, tmp_path)

    assert (result.returncode, result.stderr) == (0, "")


def test_debug_mode_starts_without_secret_key_or_hosts(tmp_path):
    result = setup_with({"DEBUG": "true"}, tmp_path)

    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of true/false/1/0/yes/no, not 'maybe'."),
        (
            "DATABASE_URL",
            "mysql://x",
            "DATABASE_URL must start with one of postgres, postgresql, sqlite, not 'mysql://x'.",
        ),
        ("REDIS_URL", "http://x", "REDIS_URL must start with one of redis, rediss, not 'http://x'."),
        (
            "EMAIL_URL",
            "ftp://x",
            "EMAIL_URL must start with smtp://, smtp+tls://, smtps://, console:// or locmem://, not 'ftp://x'.",
        ),
        ("EMAIL_URL", "smtp://mail.example.org:port", "EMAIL_URL has an invalid port: 'smtp://mail.example.org:port'."),
        ("DOCUMENT_MAX_BYTES", "abc", "DOCUMENT_MAX_BYTES must be a whole number, not 'abc'."),
        ("DOCUMENT_MAX_BYTES", "10", "DOCUMENT_MAX_BYTES must be at least 1024, not 10."),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 50 characters long."),
        ("CELERY_VISIBILITY_TIMEOUT", "an hour", "CELERY_VISIBILITY_TIMEOUT must be a whole number, not 'an hour'."),
        ("OUTBOX_SWEEP_AFTER_MINUTES", "0", "OUTBOX_SWEEP_AFTER_MINUTES must be at least 1, not 0."),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT must be at least 0, not -1."),
        ("CACHE_URL", "http://x", "CACHE_URL must start with one of redis, rediss, not 'http://x'."),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value, message):
    result = setup_with({**PRODUCTION, variable: value}, tmp_path)

    assert result.returncode == 1
    assert last_line(result.stderr) == f"django.core.exceptions.ImproperlyConfigured: {message}"


@pytest.mark.parametrize("debug", [{"DEBUG": "false"}, {}], ids=["debug-off", "debug-unset"])
def test_missing_secret_key_stops_start_up_when_debug_is_off(tmp_path, debug):
    env = {key: value for key, value in PRODUCTION.items() if key not in {"SECRET_KEY", "DEBUG"}}

    result = setup_with({**env, **debug}, tmp_path)

    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off."
    )


@pytest.mark.parametrize("hosts", [None, "", " , "], ids=["unset", "empty", "only-commas"])
def test_missing_allowed_hosts_stops_start_up(tmp_path, hosts):
    env = {key: value for key, value in PRODUCTION.items() if key != "ALLOWED_HOSTS"}
    if hosts is not None:
        env["ALLOWED_HOSTS"] = hosts

    result = setup_with(env, tmp_path)

    assert result.returncode == 1
    assert last_line(result.stderr) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "ALLOWED_HOSTS must list the portal's host names when DEBUG is off."
    )


def cache_location(env: dict[str, str], tmp_path: Path) -> str:
    result = run(
        ["-c", f"{SETUP}; from django.conf import settings; print(settings.CACHES['default']['LOCATION'])"],
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("redis_url", "cache_url"),
    [
        ("redis://127.0.0.1:6379/1", "redis://127.0.0.1:6379/2"),
        ("redis://:secret@redis.example.org:6380", "redis://:secret@redis.example.org:6380/1"),
        (
            "rediss://redis.example.org:6379/15?ssl_cert_reqs=required",
            "rediss://redis.example.org:6379/0?ssl_cert_reqs=required",
        ),
    ],
)
def test_the_cache_defaults_to_another_database_than_the_broker(tmp_path, redis_url, cache_url):
    assert cache_location({**PRODUCTION, "REDIS_URL": redis_url}, tmp_path) == cache_url


def test_the_cache_goes_where_cache_url_says(tmp_path):
    env = {**PRODUCTION, "CACHE_URL": "redis://cache.example.org:6379/0"}

    assert cache_location(env, tmp_path) == "redis://cache.example.org:6379/0"


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
