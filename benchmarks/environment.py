"""The bench's own environment: dedicated PostgreSQL databases, Redis db 2, production settings.

The driver, the gunicorn server and the Celery worker all get the same variables, so that a session
made by the driver is valid in the server and a task queued by either is run by the worker. Nothing
is shared with `make run` or `make test`: own databases, own Redis database, own Celery queue and
cache prefix per run, own folder under var/bench/.

Seeding 20,000 applications takes a minute or two, so it is done once into a template database
(`portal_bench_seed_<fingerprint>`, or `portal_bench_tiny_seed_<fingerprint>`), named after the
migrations, the requirements and the generator it was made with; each run then works on its own
copy (`portal_bench_run_<id>`), made in seconds and dropped at the end. Every run so starts from the
same data, and two runs at once (two `make test` on one machine) never share a database.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
LOCK_KEY = 7_301_202_7  # pg_advisory_lock key of the template databases (any constant of ours)


@dataclass
class BenchEnvironment:
    tiny: bool
    server_url: str  # any database URL on the PostgreSQL server; its name is replaced
    redis_url: str
    out_dir: Path
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))

    @property
    def kind(self) -> str:
        return "portal_bench_tiny" if self.tiny else "portal_bench"

    @property
    def database(self) -> str:
        return f"{self.kind}_run_{self.run_id}"

    @property
    def database_url(self) -> str:
        return urlunparse(urlparse(self.server_url)._replace(path=f"/{self.database}"))

    @property
    def var_dir(self) -> Path:
        return ROOT / "var" / "bench" / f"run-{self.run_id}"

    @property
    def queue(self) -> str:
        return f"portal-bench-{self.run_id}"

    def variables(self) -> dict[str, str]:
        """What portal.settings reads: production values (DEBUG off), plain HTTP on loopback."""
        return {
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DEBUG": "false",
            "SECRET_KEY": f"bench-{self.run_id}-" + secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # gunicorn listens on plain HTTP on loopback; no proxy adds X-Forwarded-Proto here.
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_QUEUE": self.queue,
            "BENCH_RUN_ID": self.run_id,
            "EMAIL_URL": "locmem://",
            "VAR_DIR": str(self.var_dir),
            "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }

    def apply(self) -> dict[str, str]:
        """Set the variables in this process (before django.setup()); return the child processes' env."""
        for name in ("PORTAL_TEST_VAR_DIR", "PRIVATE_MEDIA_ROOT", "MFA_REQUIRED_FOR_STAFF", "CELERY_SOFT_TIME_LIMIT"):
            os.environ.pop(name, None)
        os.environ.update(self.variables())
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        return dict(os.environ)


def fingerprint(volume_key: str) -> str:
    """Changes whenever the seeded database would: migrations, pinned packages, the generator, the volume."""
    digest = hashlib.sha256(volume_key.encode())
    inputs = [
        "requirements.txt",
        "benchmarks/seed.py",
        "benchmarks/seed_history.py",
        "placements/fixtures/demo_catalogue.json",
    ]
    paths = [*sorted(ROOT.glob("*/migrations/*.py")), *(ROOT / name for name in inputs)]
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


# --- the server -----------------------------------------------------------------------------------


@contextmanager
def _server(server_url: str) -> Iterator:
    import psycopg2

    url = urlparse(server_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=url.username or "postgres",
        password=url.password or None,
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
    )
    connection.autocommit = True
    try:
        yield connection.cursor()
    finally:
        connection.close()


def _databases(cursor, prefix: str) -> list[str]:
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix.replace("_", r"\_") + "%"])
    return [row[0] for row in cursor.fetchall()]


def _drop(cursor, name: str) -> None:
    from psycopg2 import sql

    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _create(cursor, name: str, template: str | None = None) -> None:
    from psycopg2 import sql

    if template:
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY")
        cursor.execute(statement.format(sql.Identifier(name), sql.Identifier(template)))
    else:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextmanager
def using_database(name: str) -> Iterator[None]:
    """Point Django's default connection at database `name` for a while."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    previous = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def prepare_database(environment: BenchEnvironment, volume_key: str, build: Callable[[], None], *, fresh: bool) -> bool:
    """Make the run's database a copy of the seeded template, building the template first if needed
    (`build` migrates and seeds the database Django points at). Returns whether it was built."""
    template = f"{environment.kind}_seed_{fingerprint(volume_key)}"
    with _server(environment.server_url) as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])  # one builder and copier at a time
        try:
            for leftover in _databases(cursor, f"{environment.kind}_building_"):
                _drop(cursor, leftover)  # from a run that was killed while seeding
            existing = _databases(cursor, f"{environment.kind}_seed_")
            built = fresh or template not in existing
            for name in existing if built else [n for n in existing if n != template]:
                _drop(cursor, name)  # made for other migrations or another generator
            if built:
                building = f"{environment.kind}_building_{environment.run_id}"
                _create(cursor, building)
                try:
                    with using_database(building):
                        build()
                    cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
                except BaseException:
                    _drop(cursor, building)
                    raise
            _create(cursor, environment.database, template=template)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    return built


def drop_database(environment: BenchEnvironment) -> None:
    with _server(environment.server_url) as cursor:
        _drop(cursor, environment.database)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
