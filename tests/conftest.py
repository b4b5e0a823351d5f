"""Shared fixtures: the demo catalogue and the people around it, tasks run in this process, a real
Celery worker and a real browser.

Personas (rotation = the demo observership, cohort = the demo postgraduate year); a module may
define its own, say an applicant with a profile or a coordinator with a name its pages show:
- alice: an applicant (signed up, no profile yet); sees only her own applications.
- bob: another applicant; never sees alice's.
- carol: coordinator of the rotation programme; sees its submitted applications, never drafts.
- dave: coordinator of the cohort programme only; gets 404 for a rotation application.
- root: superuser; sees everything.
Staff have an authenticator app, as the portal requires.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings

from placements.catalogue.models import Programme
from placements.catalogue.public_cache import catalogue_changed
from portal.celery import app as celery_app
from portal.mail.defaults import email_templates_install
from portal.models import User
from tests import factories
from tests.factories import make_staff, make_user

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def demo_data() -> dict:
    return factories.demo_data()


@pytest.fixture
def catalogue(db, demo_data) -> dict[str, Programme]:
    """The demo catalogue, keyed by a short name: "cohort" (one specialization) and "rotation"."""
    return factories.demo_catalogue(demo_data)


@pytest.fixture
def rotation(catalogue) -> Programme:
    return catalogue["rotation"]


@pytest.fixture
def cohort(catalogue) -> Programme:
    return catalogue["cohort"]


@pytest.fixture
def alice(db) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob")


@pytest.fixture
def carol(rotation) -> User:
    return make_staff("carol", rotation)


@pytest.fixture
def dave(cohort) -> User:
    return make_staff("dave", cohort)


@pytest.fixture
def root(db) -> User:
    return make_staff("root", superuser=True)


@pytest.fixture
def no_earlier_attempts(db):
    """The test starts with no failed sign-in counted against anyone (django-axes, in the database)."""
    axes_reset()


@pytest.fixture
def eager_tasks():
    """Tasks queued with .delay() (after commit) run at once in this process, as Celery's eager mode does."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def retries_in_process():
    """apply() runs a task's retries at once, one after the other, in this process (Celery ignores
    the countdown there), but only while eager errors are not propagated: the test settings
    propagate them, and then the first Retry would surface as an exception instead."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def email_templates(db):
    """The seeded templates (a flush by a transactional test elsewhere may have emptied the table)."""
    email_templates_install()


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
            if celery_app.control.ping(destination=destination, timeout=0.5):
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
    catalogue_changed()
