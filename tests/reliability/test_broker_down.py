"""Redis unreachable while an applicant submits or uploads: the action is saved and the user told;
its tasks are sent once Redis is back, and nothing is lost or sent twice.

The web side is a real gunicorn process on the test database whose REDIS_URL (broker, result
store and cache) points at a local port where nothing listens. The test drives it over HTTP with
the applicant's session, like a browser. "Redis back" is the test process and the run's worker,
which use the real Redis: the outbox sweeper, run as a function and through the worker, sends the
tasks that never reached the broker. The last test starts a throwaway redis-server on the dead
port to show that the same web process queues again without a restart.
"""

import base64
import http.client
import json
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from applicants.enums import ApplicationStatus, DocumentState, EventKind
from applicants.models import Document, Event
from portal.mail.models import EmailLog, EmailStatus
from portal.outbox import outbox_sweep, sources
from portal.tasks import sweep_outbox
from tests.applicants.builders import complete_draft, make_applicant
from tests.conftest import ROOT, _worker_env
from tests.factories import make_staff
from tests.reliability.helpers import closed_port, dense_pdf, log_text
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NOTHING = {source.name: 0 for source in sources()}
FAST = 15.0  # seconds: an action with Redis away answers quickly (generous for this busy machine)
LATER = timedelta(minutes=settings.OUTBOX_SWEEP_AFTER_MINUTES + 1)


class WebProcess:
    """gunicorn serving the portal on the test database, with Redis at `redis_port`."""

    def __init__(self, database_name: str, redis_port: int):
        self.port = closed_port()
        self.redis_port = redis_port
        self.env = {**_worker_env(database_name), "REDIS_URL": f"redis://127.0.0.1:{redis_port}/1"}
        self.log_path = Path(os.environ["PORTAL_TEST_VAR_DIR"]) / f"web-{os.getpid()}.log"

    def start(self, timeout: float = 90.0) -> "WebProcess":
        command = [
            sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "1", "--timeout", "120", "--access-logfile", "-",
        ]  # fmt: skip
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)

        def answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            try:
                return WebClient(self.port).request("GET", "/healthz").status
            except OSError:
                return None

        wait_for(answers, timeout=timeout, what="gunicorn to answer", interval=0.5)
        return self

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class WebClient:
    """A tiny HTTP client keeping cookies (the session and CSRF cookies are Secure: sent by hand here)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict, files: dict | None = None):
        """POST `fields` (and `files`: name -> (filename, bytes)) with the CSRF token of the page at `path`."""
        page = self.get(path)
        assert page.status == 200, page.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        fields = {"csrfmiddlewaretoken": token, **fields}
        if not files:
            body = urlencode(fields).encode()
            return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        for name, (filename, data) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            )
            parts.append(head.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


@pytest.fixture(scope="module")
def web_without_redis(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        name = settings.DATABASES["default"]["NAME"]
    web = WebProcess(name, redis_port=closed_port()).start()
    yield web
    web.stop()


def signed_in(web: WebProcess, user) -> WebClient:
    client = Client()
    client.force_login(user)  # the session is a database row, shared with the web process
    return WebClient(web.port, {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})


def step_url(application, step: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})


def timed(action):
    started = time.monotonic()
    response = action()
    return response, time.monotonic() - started


def test_submission_with_redis_unreachable_is_saved_and_its_email_sent_once_redis_is_back(
    web_without_redis, celery_worker, catalogue
):
    application = complete_draft(catalogue["rotation"], make_applicant("offline@example.org"))
    browser = signed_in(web_without_redis, application.applicant)

    response, seconds = timed(
        lambda: browser.post_form(step_url(application, "review"), {"consent": "on", "action": "submit"})
    )

    assert response.status == 302, response.text[:2000]
    assert seconds < FAST
    assert response.headers["Location"] == application.get_absolute_url()
    landing = browser.get(response.headers["Location"])
    assert landing.status == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert re.fullmatch(r"UMCG-\d{4}-0001", application.reference)
    assert f"Your application is submitted as {application.reference}" in landing.text
    # Saved, not sent: the message waits in the log, untouched by any worker.
    log = EmailLog.objects.get(application=application)
    assert (log.status, log.attempts, log.claimed_at, log.template_code) == (EmailStatus.QUEUED, 0, None, "submitted")
    assert f"portal.send_email {{'log_id': {log.pk}}} not queued" in log_text(web_without_redis.log_path)

    # Redis is back (the test process and the worker use the real one).
    assert outbox_sweep() == NOTHING  # too recent: its task could still be on its way
    EmailLog.objects.filter(pk=log.pk).update(created_at=F("created_at") - LATER)
    assert sweep_outbox.delay().get(timeout=120) == {**NOTHING, "emails": 1}  # run by the worker

    wait_for(
        lambda: EmailLog.objects.filter(pk=log.pk, status=EmailStatus.SENT).exists(),
        timeout=120,
        what="the confirmation to be sent",
    )
    assert outbox_sweep() == NOTHING
    log.refresh_from_db()
    assert log.attempts == 1
    assert EmailLog.objects.filter(application=application).count() == 1
    assert Event.objects.filter(application=application, kind=EventKind.EMAIL_SENT).count() == 1
    assert f"E-mail {log.pk} sent to offline@example.org (attempt 1)" in log_text(celery_worker.log_path)


def test_upload_with_redis_unreachable_is_saved_and_checked_once_redis_is_back(
    web_without_redis, celery_worker, catalogue
):
    application = complete_draft(catalogue["rotation"], make_applicant("upload-offline@example.org"))
    browser = signed_in(web_without_redis, application.applicant)
    item = application.programme.programme_documents.get(document_type__code="cv")

    response, seconds = timed(
        lambda: browser.post_form(
            step_url(application, "documents"),
            {},
            files={f"document-{item.pk}-file": ("cv-offline.pdf", dense_pdf(runs=2_000))},
        )
    )

    assert response.status == 302, response.text[:2000]
    assert seconds < FAST
    assert "cv-offline.pdf is uploaded and being checked" in browser.get(response.headers["Location"]).text
    document = Document.objects.get(application=application, document_type__code="cv")
    assert document.state == DocumentState.PENDING

    assert outbox_sweep() == NOTHING
    Document.objects.filter(pk=document.pk).update(uploaded_at=F("uploaded_at") - LATER)
    outbox_sweep()  # a function call this time; the worker checks the file
    wait_for(
        lambda: Document.objects.filter(pk=document.pk).exclude(state=DocumentState.PENDING).exists(),
        timeout=120,
        what="the document to be checked",
    )
    document.refresh_from_db()
    assert document.state == DocumentState.READY, document.reason
    assert Event.objects.filter(application=application, kind=EventKind.DOCUMENT_PROCESSED).count() == 1
    assert sweep_outbox.delay().get(timeout=120) == NOTHING


def test_queue_and_catalogue_are_served_with_redis_unreachable(web_without_redis, catalogue):
    """Their pages are kept in the cache; without it they are rendered, and a change is still saved."""
    rotation = catalogue["rotation"]
    coordinator = make_staff("cora", rotation)
    application = complete_draft(rotation, make_applicant("queued@example.org"))
    applicant = signed_in(web_without_redis, application.applicant)
    assert applicant.post_form(step_url(application, "review"), {"consent": "on", "action": "submit"}).status == 302
    application.refresh_from_db()
    browser = signed_in(web_without_redis, coordinator)

    pages = [browser.get(reverse("staff:queue")) for _ in range(2)]  # the second one with a CSRF cookie

    for page in pages:
        assert page.status == 200
        assert application.reference in page.text
    visitor = WebClient(web_without_redis.port).get(reverse("placements:programme_list"))
    assert visitor.status == 200
    assert rotation.title in visitor.text
    assert "the cache is unreachable" in log_text(web_without_redis.log_path)


def test_the_web_process_queues_again_as_soon_as_redis_is_back(web_without_redis, catalogue, tmp_path):
    """No restart needed: a throwaway Redis appears on the dead port and the next upload's task reaches it."""
    application = complete_draft(catalogue["rotation"], make_applicant("back@example.org"))
    browser = signed_in(web_without_redis, application.applicant)
    item = application.programme.programme_documents.get(document_type__code="cv")
    upload_url = step_url(application, "documents")

    def upload(name: str):
        return browser.post_form(upload_url, {}, files={f"document-{item.pk}-file": (name, dense_pdf(runs=100))})

    assert upload("first.pdf").status == 302  # Redis away: saved, the task waits for the sweeper

    port = web_without_redis.redis_port
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        throwaway = redis.Redis(port=port, db=1, socket_timeout=5)
        wait_for(lambda: _pings(throwaway), timeout=30, what="the throwaway Redis to start")
        response, seconds = timed(lambda: upload("second.pdf"))
        assert response.status == 302
        assert seconds < FAST
        # The task of the second upload is in the queue, where a worker on that Redis would take it.
        assert throwaway.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 1
        message = json.loads(throwaway.lindex(settings.CELERY_TASK_DEFAULT_QUEUE, 0))
        _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        second = Document.objects.get(application=application, document_type__code="cv")
        assert (message["headers"]["task"], kwargs) == ("applicants.process_document", {"document_id": second.pk})
    finally:
        server.terminate()
        server.wait(timeout=30)


def _pings(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False
