"""Shared fixtures: the demo catalogue, a real Celery worker and a real browser."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from placements.catalogue.catalogue_import import catalogue_load
from placements.catalogue.models import Programme

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "placements" / "fixtures" / "demo_catalogue.json"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def catalogue(db, demo_data) -> dict[str, Programme]:
    """The demo catalogue, keyed by a short name: "cohort" (one specialization) and "rotation"."""
    programmes = catalogue_load(data=demo_data)
    by_mode = {p.intake_mode: p for p in programmes}
    return {"cohort": by_mode["cohort"], "rotation": by_mode["rolling"]}


def _worker_env(database_name: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database_name}"
    if db.get("PASSWORD"):
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{database_name}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": url,
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "PORTAL_TEST_VAR_DIR": os.environ["PORTAL_TEST_VAR_DIR"],
    }


class WorkerProcess:
    """A `celery worker` child process consuming this test run's queue against the test database."""

    def __init__(self, database_name: str, name: str = "w1", *, pool: str = "prefork", env: dict | None = None):
        self.env = {**_worker_env(database_name), **(env or {})}
        self.name = name
        self.pool = pool
        self.process: subprocess.Popen | None = None
        self.log_path = Path(os.environ["PORTAL_TEST_VAR_DIR"]) / f"worker-{name}.log"

    def start(self, timeout: float = 30.0) -> "WorkerProcess":
        from portal.celery import app

        command = [
            sys.executable, "-m", "celery", "-A", "portal", "worker",
            "--queues", self.env["CELERY_QUEUE"], "--concurrency", "1", "--pool", self.pool,
            "--hostname", f"{self.name}-{self.env['CELERY_QUEUE']}@%h", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + timeout
        destination = [f"{self.name}-{self.env['CELERY_QUEUE']}@{os.uname().nodename}"]
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited early; see {self.log_path}")
            if app.control.ping(destination=destination, timeout=0.5):
                return self
        self.stop()
        raise RuntimeError(f"The worker did not answer within {timeout} s; see {self.log_path}")

    def stop(self, kill: bool = False):
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real worker on the real Redis broker; tests using it need `django_db(transaction=True)`."""
    with django_db_blocker.unblock():
        name = settings.DATABASES["default"]["NAME"]
    worker = WorkerProcess(name).start()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; the Django ORM stays usable from the test body."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API keeps an event loop alive
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def fresh_catalogue_pages():
    """Each test starts with no cached catalogue page: a rolled-back test leaves no trace in the
    database, but would leave its pages in the shared cache."""
    from placements.catalogue.public_cache import catalogue_changed

    catalogue_changed()
