"""Uploaded documents checked by a real Celery worker on the real Redis broker.

Each file is made by the test, uploaded through the upload service (which queues processing on
commit), and the test waits for the worker to settle it as ready or refused, with a reason.
"""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from applicants.enums import CheckStatus, DocumentState
from applicants.errors import DomainError
from applicants.models import Document
from applicants.services import applications as services
from applicants.services.documents import document_upload
from placements.catalogue.models import DocumentType
from tests.applicants import corpus
from tests.applicants import hostile_pdfs as hostile
from tests.applicants.builders import make_applicant, rotation_choice
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

START, END = date(2027, 3, 1), date(2027, 3, 26)


@pytest.fixture
def draft(catalogue):
    programme = catalogue["rotation"]
    application = services.application_start(applicant=make_applicant("pipeline@example.org"), programme=programme)
    services.application_save_components(application=application, components=rotation_choice(programme))
    services.application_save_dates(application=application, start=START, end=END)
    return application


def upload(draft, code: str, name: str, data: bytes) -> Document:
    return document_upload(
        application=draft,
        document_type=DocumentType.objects.get(code=code),
        upload=SimpleUploadedFile(name, data),
        by=draft.applicant,
    )


def settled(document: Document) -> Document:
    """`document` once the worker has checked it."""
    checked = Document.objects.filter(pk=document.pk).exclude(state=DocumentState.PENDING)
    return wait_for(checked.first, timeout=30, what=f"{document} to be checked", interval=0.1)


def test_letter_stating_the_dates_is_ready_and_passes_the_check(celery_worker, draft):
    text = "I ask to observe from 1 March 2027 until 26/03/2027 in your radiology department."
    document = settled(upload(draft, "motivation-letter", "letter.pdf", corpus.pdf_with_text(text)))

    check = document.checks.get()
    assert document.state == DocumentState.READY
    assert document.pages == 1
    assert document.preview.name.endswith(".png")
    assert check.status == CheckStatus.PASS
    assert check.message.startswith("The letter states the requested dates")


def test_letter_without_the_dates_is_ready_with_a_warning(celery_worker, draft):
    document = settled(upload(draft, "motivation-letter", "letter.pdf", corpus.pdf_with_text("I would love to come.")))

    check = document.checks.get()
    assert document.state == DocumentState.READY
    assert check.status == CheckStatus.WARN
    assert "1 March 2027" in check.message


def test_pdf_with_a_script_is_ready_stored_rebuilt_without_it(celery_worker, draft):
    original = corpus.pdf_with_javascript()

    document = settled(upload(draft, "cv", "cv.pdf", original))

    stored = Path(document.file.path).read_bytes()
    assert (document.state, document.reason) == (DocumentState.READY, "")
    assert hostile.audit(original).problems != []
    assert hostile.audit(stored).problems == []
    assert hostile.text_of(stored) == hostile.text_of(original)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (corpus.pdf_encrypted, "The PDF is password-protected; upload it without a password."),
        (
            lambda: hostile.eicar_in_page_content(compressed=True),
            "The PDF contains the EICAR anti-virus test signature, so it cannot be accepted.",
        ),
    ],
    ids=["password", "eicar"],
)
def test_pdf_that_cannot_be_made_safe_is_refused_with_a_reason_and_not_kept(celery_worker, draft, make, reason):
    document = upload(draft, "cv", "cv.pdf", make())
    uploaded = Path(document.file.path)

    document = settled(document)

    assert (document.state, document.reason, document.file.name) == (DocumentState.REJECTED, reason, "")
    assert document.checks.count() == 0
    assert not uploaded.exists()


def test_photo_with_gps_is_stored_without_any_metadata(celery_worker, draft):
    document = settled(upload(draft, "english-proof", "certificate.jpg", corpus.jpeg_with_gps()))

    assert document.state == DocumentState.READY
    with Image.open(document.file.path) as stored:
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info


def test_decompression_bomb_is_refused(celery_worker, draft):
    document = settled(upload(draft, "english-proof", "scan.png", corpus.png_bomb()))

    assert document.state == DocumentState.REJECTED
    assert document.reason.startswith("The image is too large")


def test_processing_twice_changes_nothing(celery_worker, draft):
    from applicants.tasks import process_document

    document = settled(upload(draft, "cv", "cv.pdf", corpus.pdf_with_text("Curriculum vitae")))
    processed_at = document.processed_at

    assert process_document.delay(document_id=document.pk).get(timeout=20) is None

    document.refresh_from_db()
    assert document.processed_at == processed_at
    assert document.application.events.filter(kind="document_processed").count() == 1


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("cv.pdf", corpus.html_page(), "The file is named .pdf but its content is not a PDF."),
        ("cv.pdf", corpus.empty(), "The file is empty."),
    ],
)
def test_refused_at_upload_before_any_worker(draft, name, data, reason):
    with pytest.raises(DomainError) as refusal:
        upload(draft, "cv", name, data)

    assert str(refusal.value) == reason
    assert draft.documents.count() == 0


def test_one_byte_over_the_limit_is_refused(draft, settings):
    settings.DOCUMENT_MAX_BYTES = 2048
    data = corpus.pdf_with_text("x")
    data = data + b"\n" * (2049 - len(data))

    with pytest.raises(DomainError) as refusal:
        upload(draft, "cv", "cv.pdf", data)

    assert "the limit is" in str(refusal.value)
