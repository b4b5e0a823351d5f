"""A worker killed with SIGKILL in the middle of checking a document loses nothing and doubles nothing.

Each test uploads a real PDF that takes seconds to read, waits until a real worker has taken the
task, kills it with SIGKILL and checks that the document still ends ready exactly once: one
"document checked" event, one automatic check, one success in the workers' logs. Three ways back:

- the whole worker dies (solo pool, as when its container is killed): the message stays
  unacknowledged in Redis and is given to the next worker after the visibility timeout
  (shortened for the test through CELERY_VISIBILITY_TIMEOUT);
- the same with the production visibility timeout (an hour): the outbox sweeper queues the
  document again once it has waited OUTBOX_SWEEP_AFTER_MINUTES;
- only the pool process running the task dies (the OOM killer's choice): the worker itself
  puts the message back at once (task_acks_late + task_reject_on_worker_lost).

The run's own worker (the `celery_worker` fixture) is told to stop consuming while a test runs,
so that only the workers started here take the task.
"""

import os
import re
import signal
import time
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from applicants.enums import DocumentState, EventKind
from applicants.models import Document, DocumentCheck, Event
from applicants.services import applications as services
from applicants.services.documents import document_upload
from placements.catalogue.models import DocumentType
from portal.outbox import outbox_sweep, sources
from tests.applicants.builders import make_applicant, rotation_choice
from tests.conftest import WorkerProcess
from tests.reliability.helpers import (
    broker,
    children_of,
    dense_pdf,
    log_text,
    resume_consuming,
    stop_consuming,
    unacked_keys,
)
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SHORT_VISIBILITY = 5  # seconds, for the test that relies on Redis giving the message back
STARTUP = 90.0  # a worker on this busy machine may take long to answer its first ping
SETTLE = 240.0  # reading the PDF takes seconds, more on a loaded machine
NOTHING = {source.name: 0 for source in sources()}
RECEIVED = re.compile(r"Task applicants\.process_document\[([0-9a-f-]+)\] received")


@pytest.fixture
def only_our_workers(celery_worker):
    """Pause the run's shared worker so that the workers of the test take the task."""
    stop_consuming(celery_worker)
    yield
    resume_consuming(celery_worker)


@pytest.fixture
def workers(only_our_workers):
    """Start workers for the test (same database, queue and files); all are stopped at the end."""
    started: list[WorkerProcess] = []

    def start(name: str, *, pool: str = "solo", **env: str) -> WorkerProcess:
        worker = WorkerProcess(settings.DATABASES["default"]["NAME"], f"{name}-{os.getpid()}", pool=pool, env=env)
        worker.log_path.unlink(missing_ok=True)
        started.append(worker)
        return worker.start(timeout=STARTUP)

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def letter_draft(catalogue):
    programme = catalogue["rotation"]
    application = services.application_start(applicant=make_applicant("killed@example.org"), programme=programme)
    services.application_save_components(application=application, components=rotation_choice(programme))
    services.application_save_dates(application=application, start=date(2027, 3, 1), end=date(2027, 3, 26))
    return application


def _upload_slow_letter(application) -> Document:
    return document_upload(
        application=application,
        document_type=DocumentType.objects.get(code="motivation-letter"),
        upload=SimpleUploadedFile("letter.pdf", dense_pdf()),
        by=application.applicant,
    )


def _taken_by(worker: WorkerProcess) -> str:
    """Wait until `worker` has received the document's task; return the task id."""
    found = wait_for(
        lambda: RECEIVED.search(log_text(worker.log_path)), timeout=SETTLE, what=f"{worker.name} to take the task"
    )
    time.sleep(1.0)  # let it get into the slow part (the test checks below that it is still busy)
    return found.group(1)


def _settled(document: Document) -> Document:
    def done():
        document.refresh_from_db()
        return document.state != DocumentState.PENDING

    wait_for(done, timeout=SETTLE, what=f"document {document.pk} to be checked")
    return document


def _assert_checked_exactly_once(document: Document, *logs: str) -> None:
    assert document.state == DocumentState.READY, document.reason
    assert document.processed_at is not None
    assert document.pages == 1
    assert Event.objects.filter(application=document.application, kind=EventKind.DOCUMENT_PROCESSED).count() == 1
    assert DocumentCheck.objects.filter(document=document).count() == 1  # the letter's dates check, once
    succeeded = re.compile(r"process_document\[[0-9a-f-]+\] succeeded in [\d.]+s: 'ready'")
    assert sum(len(succeeded.findall(log)) for log in logs) == 1


def test_whole_worker_killed_the_message_comes_back_after_the_visibility_timeout(workers, letter_draft):
    short = {"CELERY_VISIBILITY_TIMEOUT": str(SHORT_VISIBILITY)}
    first = workers("kill-a", **short)
    document = _upload_slow_letter(letter_draft)
    task_id = _taken_by(first)
    taken_at = time.time()
    document.refresh_from_db()
    assert document.state == DocumentState.PENDING, "the worker finished before it could be killed"
    assert broker().hlen(unacked_keys()[0]) == 1  # taken, not acknowledged

    first.stop(kill=True)
    assert first.process.returncode == -signal.SIGKILL
    # A message is given back once it has been unacknowledged longer than the visibility timeout.
    wait_for(lambda: time.time() > taken_at + SHORT_VISIBILITY + 1, timeout=SHORT_VISIBILITY + 5, what="timeout")
    second = workers("kill-b", **short)

    _assert_checked_exactly_once(_settled(document), log_text(first.log_path), log_text(second.log_path))
    wait_for(lambda: broker().hlen(unacked_keys()[0]) == 0, timeout=30, what="the message to be acknowledged")
    # The very message the first worker took came back (no new task was sent).
    assert re.search(rf"process_document\[{task_id}\] succeeded", log_text(second.log_path))


def test_whole_worker_killed_with_the_production_timeout_the_sweeper_queues_it_again(workers, letter_draft):
    first = workers("kill-c")
    document = _upload_slow_letter(letter_draft)
    task_id = _taken_by(first)
    first.stop(kill=True)
    document.refresh_from_db()
    assert document.state == DocumentState.PENDING
    second = workers("kill-d", pool="prefork")

    # Too recent for the sweeper: the upload may simply be waiting in the queue.
    assert outbox_sweep() == NOTHING
    # Later (the sweeper's delay has passed; the hour of visibility timeout has not).
    Document.objects.filter(pk=document.pk).update(
        uploaded_at=F("uploaded_at") - timedelta(minutes=settings.OUTBOX_SWEEP_AFTER_MINUTES + 1)
    )
    assert outbox_sweep() == {**NOTHING, "documents": 1}
    assert outbox_sweep() == NOTHING  # not twice within the delay

    _assert_checked_exactly_once(_settled(document), log_text(first.log_path), log_text(second.log_path))
    assert not re.search(rf"process_document\[{task_id}\] succeeded", log_text(second.log_path))
    # The killed worker's message would come back in an hour and find the document checked; drop it.
    broker().delete(*unacked_keys())


def test_pool_process_killed_the_worker_puts_the_message_back_at_once(workers, letter_draft):
    worker = workers("kill-e", pool="prefork")
    document = _upload_slow_letter(letter_draft)
    task_id = _taken_by(worker)
    (child,) = children_of(worker.process.pid)
    os.kill(child, signal.SIGKILL)
    document.refresh_from_db()
    assert document.state == DocumentState.PENDING, "the pool process finished before it could be killed"

    _assert_checked_exactly_once(_settled(document), log_text(worker.log_path))
    log = log_text(worker.log_path)
    assert "WorkerLostError" in log or "signal 9 (SIGKILL)" in log
    assert len(re.findall(rf"process_document\[{task_id}\] received", log)) == 2  # given back once
    assert re.search(rf"process_document\[{task_id}\] succeeded", log)
    assert worker.process.poll() is None  # the worker itself lives on with a new pool process
