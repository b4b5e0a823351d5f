"""System checks: `make run` (SQLite) prints no warning on every command, and the covering indexes
that the silenced warning is about still carry their extra columns on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


def manage(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    """`manage.py` as `make run` starts it: debug on, no DATABASE_URL (SQLite under VAR_DIR)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_migrate_on_sqlite_prints_no_warning(tmp_path):
    result = manage(["migrate", "--no-input", "-v", "0"], tmp_path)

    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "W040" not in result.stdout + result.stderr


def test_checks_of_the_sqlite_database_find_nothing(tmp_path):
    result = manage(["check", "--database", "default"], tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("System check identified no issues")


@pytest.mark.django_db
def test_on_postgresql_nothing_is_silenced_and_the_indexes_cover_their_extra_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (%s, %s)",
            ["document_application", "application_queue_submitted"],
        )
        definitions = dict(cursor.fetchall())

    assert settings.SILENCED_SYSTEM_CHECKS == []
    assert "INCLUDE (application_id)" in definitions["document_application"]
    assert "INCLUDE (programme_id, status)" in definitions["application_queue_submitted"]
