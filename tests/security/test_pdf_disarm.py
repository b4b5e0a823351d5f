"""Every accepted PDF is stored rebuilt, with nothing active left in it, before anyone can download it.

Each hostile PDF is uploaded through the upload service and checked by the worker's service; then the
STORED file is read with pypdf (not with qpdf, which rebuilt it) and must hold no action but plain
http(s)/mailto links, no script, form, attached file, bytes after the end or earlier revision, and the
same page text and look as the upload. What cannot be made safe is refused and its file deleted.
"""

import hashlib
import io
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from applicants.enums import DocumentState, EventKind
from applicants.files.disarm import RULES_VERSION
from applicants.models import Document
from applicants.services import applications as services
from applicants.services.documents import document_process, document_upload
from placements.catalogue.models import DocumentType
from tests.applicants import corpus
from tests.applicants import hostile_pdfs as hostile
from tests.applicants.builders import make_applicant, rotation_choice

pytestmark = pytest.mark.django_db

RESAVE = "Print it to a new PDF (“Save as PDF” in the print dialogue) and upload that copy."
DISARMED = {
    "open-action-next-uri": lambda: hostile.open_action_chain("uri"),
    "open-action-next-submit-form": lambda: hostile.open_action_chain("submit"),
    "open-action-next-javascript": lambda: hostile.open_action_chain("javascript"),
    "xfa-with-script": hostile.xfa_form_with_script,
    "widgets-submit-form-and-import-data": hostile.widgets_submitting_and_importing,
    "link-goto-remote-network-share": hostile.link_to_network_share,
    "link-launch": corpus.pdf_with_launch_action,
    "page-additional-actions": hostile.page_actions,
    "attachment-annotation-with-file": hostile.attachment_annotation_with_file,
    "embedded-files-name-tree": corpus.pdf_with_attachment,
    "document-javascript": corpus.pdf_with_javascript,
    "javascript-in-object-stream": corpus.pdf_with_javascript_in_object_stream,
    "bookmark-actions": hostile.bookmarks_with_actions,
    "bytes-after-eof": hostile.with_bytes_after_end,
    "incremental-update": hostile.with_incremental_update,
    "eicar-after-eof": hostile.eicar_after_end,
    "eicar-in-unused-object": hostile.eicar_in_unused_object,
    "eicar-in-attachment": hostile.eicar_in_attachment,
}
REFUSED = {
    "password": (corpus.pdf_encrypted, "The PDF is password-protected; upload it without a password."),
    "eicar-in-page-content": (
        lambda: hostile.eicar_in_page_content(compressed=False),
        "The PDF contains the EICAR anti-virus test signature, so it cannot be accepted.",
    ),
    "eicar-in-compressed-page-content": (
        lambda: hostile.eicar_in_page_content(compressed=True),
        "The PDF contains the EICAR anti-virus test signature, so it cannot be accepted.",
    ),
    "damaged": (corpus.pdf_truncated, "The PDF is damaged and cannot be read."),
    "too-many-pages": (lambda: corpus.pdf_with_pages(501), "The PDF has 501 pages; the limit is 500."),
}


@pytest.fixture
def draft(catalogue):
    programme = catalogue["rotation"]
    application = services.application_start(applicant=make_applicant("disarm@example.org"), programme=programme)
    services.application_save_components(application=application, components=rotation_choice(programme))
    services.application_save_dates(application=application, start=date(2027, 3, 1), end=date(2027, 3, 26))
    return application


def upload(draft, data: bytes, code: str = "cv") -> Document:
    return document_upload(
        application=draft,
        document_type=DocumentType.objects.get(code=code),
        upload=SimpleUploadedFile("upload.pdf", data),
        by=draft.applicant,
    )


def processed(document: Document) -> Document:
    document_process(document_id=document.pk)
    document.refresh_from_db()
    return document


def stored_bytes(document: Document) -> bytes:
    return Path(document.file.path).read_bytes()


def test_every_case_of_the_brief_is_covered():
    assert len(DISARMED) == len(set(DISARMED)) == 18


@pytest.mark.parametrize("make", DISARMED.values(), ids=DISARMED.keys())
def test_hostile_pdf_is_stored_rebuilt_with_nothing_active_and_the_same_pages(draft, make):
    original = make()

    document = processed(upload(draft, original))

    stored = stored_bytes(document)
    audit = hostile.audit(stored)
    assert (document.state, document.reason) == (DocumentState.READY, "")
    assert audit.problems == []
    assert audit.text == hostile.text_of(original)
    assert hostile.looks_the_same(original, stored)
    assert stored != original
    assert (document.size, document.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())
    assert document.disarm_version == RULES_VERSION


def test_the_upload_itself_was_hostile_to_the_second_parser(draft):
    """The audit is not blind: it finds what the rebuild removed in every original."""
    for name, make in DISARMED.items():
        assert hostile.audit(make()).problems, name


@pytest.mark.parametrize(("make", "reason"), REFUSED.values(), ids=REFUSED.keys())
def test_pdf_that_cannot_be_made_safe_is_refused_and_its_file_deleted(
    draft, make, reason, django_capture_on_commit_callbacks
):
    document = upload(draft, make())
    uploaded = Path(document.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        document = processed(document)

    assert (document.state, document.reason, document.file.name) == (DocumentState.REJECTED, reason, "")
    assert not uploaded.exists()
    assert document.disarm_version == 0


def test_web_and_mail_links_stay_jumps_become_destinations_and_every_other_link_goes(draft):
    stored = stored_bytes(processed(upload(draft, hostile.links_of_every_kind())))

    links = PdfReader(io.BytesIO(stored)).pages[0]["/Annots"]
    assert sorted(hostile.audit(stored).links) == [
        "https://chained.example/",
        "https://www.umcg.nl/",
        "mailto:coordinator@example.org",
    ]
    assert len(links) == 6
    assert [link.get_object()["/Dest"][1] for link in links if "/Dest" in link.get_object()] == ["/Fit"]


def test_bookmarks_keep_their_titles_and_jump_without_an_action(draft):
    stored = stored_bytes(processed(upload(draft, hostile.bookmarks_with_actions())))

    with pikepdf.open(io.BytesIO(stored)) as pdf, pdf.open_outline() as outline:
        items = [(str(item.title), item.destination is not None, item.action) for item in outline.root]
    assert items == [("Run", False, None), ("Start", True, None)]


def test_a_filled_in_form_keeps_its_visible_value_as_page_text(draft):
    original = hostile.filled_in_form("Jane Applicant")

    stored = stored_bytes(processed(upload(draft, original)))

    audit = hostile.audit(stored)
    assert audit.problems == []
    assert audit.text == hostile.text_of(original) + "Jane Applicant"
    assert hostile.looks_the_same(original, stored, tolerance=64)


def test_pdf_with_an_owner_password_only_is_stored_without_encryption(draft):
    original = corpus.pdf_with_owner_password_only("IELTS Test Report Form, overall band 7.5")

    document = processed(upload(draft, original, code="english-proof"))

    reader = PdfReader(io.BytesIO(stored_bytes(document)))
    assert (document.state, reader.is_encrypted) == (DocumentState.READY, False)
    assert reader.pages[0].extract_text().strip() == "IELTS Test Report Form, overall band 7.5"


def test_the_timeline_says_what_was_removed(draft):
    document = processed(upload(draft, corpus.pdf_with_open_action_javascript()))

    event = draft.events.get(kind=EventKind.DOCUMENT_PROCESSED)
    assert document.state == DocumentState.READY
    assert event.message == "Curriculum vitae: ready. Removed from the PDF: JavaScript and an action on opening."


def test_a_plain_pdf_is_ready_with_nothing_said_removed(draft):
    document = processed(upload(draft, hostile.letter()))

    assert document.state == DocumentState.READY
    assert draft.events.get(kind=EventKind.DOCUMENT_PROCESSED).message == "Curriculum vitae: ready."
    assert document.text.splitlines() == hostile.LETTER.splitlines()


def test_nobody_downloads_a_pdf_before_it_is_rebuilt(client, draft):
    original = corpus.pdf_with_javascript()
    document = upload(draft, original)
    url = reverse("applicants:document_download", kwargs={"uuid": document.uuid})
    client.force_login(draft.applicant)

    pending = client.get(url)
    processed(document)
    ready = client.get(url)

    served = b"".join(ready.streaming_content)
    assert (pending.status_code, ready.status_code) == (404, 200)
    assert served == stored_bytes(document) != original
    assert hostile.audit(served).problems == []
