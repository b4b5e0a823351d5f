"""PDFs stored before every upload was rebuilt are rebuilt by the worker's task `applicants.disarm_stored_documents`:
a batch at a time, with its progress logged, each recorded when done, so that a second run does nothing.

The documents here are written to storage directly, raw hostile bytes and all, as they were stored before.
"""

import hashlib
import logging
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from applicants.enums import DocumentState, EventKind
from applicants.files.disarm import RULES_VERSION
from applicants.models import Document, DocumentCheck
from applicants.services import applications as services
from applicants.services.stored_documents import documents_disarm_stored
from applicants.tasks import disarm_stored_documents
from placements.catalogue.models import DocumentType
from tests.applicants import corpus
from tests.applicants import hostile_pdfs as hostile
from tests.applicants.builders import make_applicant

pytestmark = pytest.mark.django_db

LOGGER = "applicants.services.stored_documents"


@pytest.fixture
def store(rotation):
    """Store `data` as a ready document of a new application, the way documents were stored before."""
    applicants = iter(range(1, 100))

    def stored(data: bytes, *, kind: str = "pdf", state: str = DocumentState.READY, **fields) -> Document:
        applicant = make_applicant(f"stored{next(applicants)}@example.org")
        application = services.application_start(applicant=applicant, programme=rotation)
        document = Document(
            application=application,
            document_type=DocumentType.objects.get(code="cv" if kind == "pdf" else "english-proof"),
            original_name=f"old.{kind}",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content_kind=kind,
            state=state,
            pages=1,
            text="Motivation letter",
            **fields,
        )
        document.file.save(f"old.{kind}", ContentFile(data), save=False)
        document.save()
        return document

    return stored


def stored_bytes(document: Document) -> bytes:
    return Path(document.file.path).read_bytes()


def progress(caplog) -> list[str]:
    """The progress lines of the log ("Disarmed 20 of 4,000 stored PDFs")."""
    lines = [record.getMessage() for record in caplog.records if record.name == LOGGER]
    return [line for line in lines if line.startswith("Disarmed")]


def test_a_stored_hostile_pdf_is_rebuilt_by_the_task_and_a_second_run_does_nothing(store, caplog):
    original = hostile.open_action_chain("javascript")
    document = store(original)
    caplog.set_level(logging.INFO, logger=LOGGER)

    assert disarm_stored_documents() == 1

    document.refresh_from_db()
    rebuilt = stored_bytes(document)
    assert hostile.audit(rebuilt).problems == []
    assert hostile.audit(original).problems != []
    assert hostile.text_of(rebuilt) == hostile.text_of(original)
    assert (document.state, document.disarm_version, document.text) == (
        DocumentState.READY,
        RULES_VERSION,
        "Motivation letter",
    )
    assert (document.size, document.sha256) == (len(rebuilt), hashlib.sha256(rebuilt).hexdigest())
    assert progress(caplog)[-1] == "Disarmed 1 of 1 stored PDFs (0 refused); 0 left"

    caplog.clear()
    assert disarm_stored_documents() == 0
    assert stored_bytes(document) == rebuilt
    assert progress(caplog) == []


def test_the_work_goes_in_batches_and_resumes_where_it_stopped(store, caplog):
    documents = [store(hostile.with_incremental_update()) for _ in range(3)]
    caplog.set_level(logging.INFO, logger=LOGGER)

    first = documents_disarm_stored(batch=2)
    second = documents_disarm_stored(batch=2)
    third = documents_disarm_stored(batch=2)

    assert (first, second, third) == (2, 1, 0)
    assert progress(caplog) == [
        "Disarmed 2 of 3 stored PDFs (0 refused); 1 left",
        "Disarmed 1 of 1 stored PDFs (0 refused); 0 left",
    ]
    for document in documents:
        document.refresh_from_db()
        assert document.disarm_version == RULES_VERSION
        assert hostile.audit(stored_bytes(document)).problems == []


def test_progress_is_logged_every_twenty_documents(store, caplog):
    for _ in range(21):
        store(hostile.letter())
    caplog.set_level(logging.INFO, logger=LOGGER)

    assert documents_disarm_stored() == 21

    assert progress(caplog) == [
        "Disarmed 20 of 21 stored PDFs",
        "Disarmed 21 of 21 stored PDFs (0 refused); 0 left",
    ]


def test_a_stored_pdf_that_cannot_be_made_safe_is_refused_and_its_file_deleted(
    store, caplog, django_capture_on_commit_callbacks
):
    document = store(hostile.eicar_in_page_content(compressed=True))
    DocumentCheck.objects.create(document=document, code="states_requested_dates", status="pass", message="Fine.")
    path = Path(document.file.path)
    caplog.set_level(logging.INFO, logger=LOGGER)

    with django_capture_on_commit_callbacks(execute=True):
        assert disarm_stored_documents() == 1

    document.refresh_from_db()
    reason = "The PDF contains the EICAR anti-virus test signature, so it cannot be accepted."
    assert (document.state, document.reason, document.file.name) == (DocumentState.REJECTED, reason, "")
    assert not path.exists()
    assert document.checks.count() == 0
    assert document.application.events.get(kind=EventKind.DOCUMENT_PROCESSED).message == (
        f"Curriculum vitae: refused when it was checked again. {reason}"
    )
    assert progress(caplog)[-1] == "Disarmed 1 of 1 stored PDFs (1 refused); 0 left"
    assert disarm_stored_documents() == 0


def test_images_unchecked_refused_and_already_rebuilt_documents_are_left_alone(store):
    documents = [
        store(corpus.png(), kind="png"),
        store(corpus.pdf_with_javascript(), state=DocumentState.PENDING),
        store(corpus.pdf_with_javascript(), state=DocumentState.REJECTED, reason="Refused before."),
        store(hostile.letter(), disarm_version=RULES_VERSION),
    ]
    before = [stored_bytes(document) for document in documents]

    assert disarm_stored_documents() == 0

    assert [stored_bytes(document) for document in documents] == before
    assert [Document.objects.get(pk=d.pk).disarm_version for d in documents] == [0, 0, 0, RULES_VERSION]
