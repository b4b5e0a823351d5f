"""A corpus of hostile uploads, generated here, sent through the documents step like a browser would.

Each file is refused at upload with a reason, refused by the checks with a reason (and its file
deleted: nobody can download it), or neutralised (a PDF stored rebuilt without scripts, actions or
attachments, an image re-encoded, a name made safe). No request returns 500, and whatever is stored
comes back only as an attachment with nosniff.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants.enums import DocumentState
from applicants.models import Document
from applicants.services import applications as services
from applicants.services.documents import document_process
from tests.applicants import corpus
from tests.applicants import hostile_pdfs as hostile
from tests.applicants.builders import make_applicant, rotation_choice

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024  # the tests lower the size limit so that "exactly the limit" stays small


@dataclass(frozen=True)
class Case:
    id: str
    code: str  # document type: "cv" takes PDF only, "english-proof" also JPEG and PNG
    name: str
    data: bytes
    outcome: str  # "refused" at upload, "rejected" by the checks, "ready" when neutralised (a PDF rebuilt)
    reason: str = ""  # the start of the message the applicant reads
    stored_name: str = ""


def padded_pdf(size: int) -> bytes:
    data = corpus.pdf_with_text("Curriculum vitae")
    return data + b"\n" * (size - len(data))


NOT_A_PDF = "The file is named .pdf but its content is not a PDF."
CASES = [
    Case("html-as-pdf", "cv", "cv.pdf", corpus.html_page(), "refused", NOT_A_PDF),
    Case("svg-as-pdf", "cv", "cv.pdf", corpus.svg_image(), "refused", NOT_A_PDF),
    Case("zip-as-pdf", "cv", "cv.pdf", corpus.zip_archive(), "refused", NOT_A_PDF),
    Case("eicar-as-pdf", "cv", "cv.pdf", corpus.eicar(), "refused", NOT_A_PDF),
    Case("empty", "cv", "cv.pdf", corpus.empty(), "refused", "The submitted file is empty."),
    Case("one-byte-over", "cv", "cv.pdf", padded_pdf(LIMIT + 1), "refused", "The file is"),
    Case("exactly-the-limit", "cv", "cv.pdf", padded_pdf(LIMIT), "ready"),
    Case("exe-after-pdf", "cv", "cv.pdf.exe", corpus.pdf_with_text("x"), "refused", ""),
    Case("png-for-pdf-only", "cv", "cv.png", corpus.png(), "refused", ""),
    Case("html-as-png", "english-proof", "scan.png", corpus.html_page(), "refused", ""),
    Case("javascript", "cv", "cv.pdf", corpus.pdf_with_javascript(), "ready"),
    Case("open-action-js", "cv", "cv.pdf", corpus.pdf_with_open_action_javascript(), "ready"),
    Case("launch", "cv", "cv.pdf", corpus.pdf_with_launch_action(), "ready"),
    Case("embedded-file", "cv", "cv.pdf", corpus.pdf_with_attachment(), "ready"),
    Case("attachment-annotation", "cv", "cv.pdf", corpus.pdf_with_file_attachment_annotation(), "ready"),
    Case("hex-escaped-js", "cv", "cv.pdf", corpus.pdf_with_hex_escaped_javascript(), "ready"),
    Case("js-in-object-stream", "cv", "cv.pdf", corpus.pdf_with_javascript_in_object_stream(), "ready"),
    Case("submit-form-after-open", "cv", "cv.pdf", hostile.open_action_chain("submit"), "ready"),
    Case("pdf-html-polyglot", "cv", "cv.pdf", hostile.with_bytes_after_end(), "ready"),
    Case("eicar-after-pdf", "cv", "cv.pdf", hostile.eicar_after_end(), "ready"),
    Case("eicar-in-pdf-page", "cv", "cv.pdf", hostile.eicar_in_page_content(compressed=True), "rejected", "The PDF"),
    Case("encrypted", "cv", "cv.pdf", corpus.pdf_encrypted(), "rejected", "The PDF is password-protected"),
    Case("truncated", "cv", "cv.pdf", corpus.pdf_truncated(), "rejected", "The PDF is damaged"),
    Case("page-tree-bomb", "cv", "cv.pdf", corpus.pdf_with_page_tree_bomb(), "rejected", "The PDF"),
    Case("png-bomb", "english-proof", "scan.png", corpus.png_bomb(), "rejected", "The image is too large"),
    Case("png-truncated", "english-proof", "scan.png", corpus.png_truncated(), "rejected", ""),
    Case("png-html-polyglot", "english-proof", "scan.png", corpus.png_html_polyglot(), "ready"),
    Case("jpeg-with-gps", "english-proof", "photo.jpg", corpus.jpeg_with_gps(), "ready"),
    Case("dot-dot-slash", "cv", "../../etc/passwd.pdf", corpus.pdf_with_text("x"), "ready", stored_name="passwd.pdf"),
    Case("backslashes", "cv", "..\\..\\windows\\cv.pdf", corpus.pdf_with_text("x"), "ready", stored_name="cv.pdf"),
    Case("nul-byte", "cv", "cv\x00.exe.pdf", corpus.pdf_with_text("x"), "ready"),
    Case("rtl-override", "cv", "cv\u202efdp.exe", corpus.pdf_with_text("x"), "refused", ""),
    Case("rtl-inside", "cv", "my\u202ecv.pdf", corpus.pdf_with_text("x"), "ready", stored_name="mycv.pdf"),
    Case("300-characters", "cv", "a" * 296 + ".pdf", corpus.pdf_with_text("x"), "ready"),
    Case("exe-then-pdf", "cv", "cv.exe.pdf", corpus.pdf_with_text("x"), "ready"),
    Case("hidden-dotfile", "cv", ".htaccess.pdf", corpus.pdf_with_text("x"), "ready"),
]


@pytest.fixture
def applicant_client(client, catalogue):
    programme = catalogue["rotation"]
    user = make_applicant("hostile@example.org")
    application = services.application_start(applicant=user, programme=programme)
    services.application_save_components(application=application, components=rotation_choice(programme))
    services.application_save_dates(application=application, start=date(2027, 6, 7), end=date(2027, 7, 2))
    client.force_login(user)
    return client, application


def post_upload(client, application, case: Case):
    item = application.programme.programme_documents.get(document_type__code=case.code)
    url = reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": "documents"})
    return client.post(url, {f"document-{item.pk}-file": SimpleUploadedFile(case.name, case.data), "action": "upload"})


def test_the_corpus_has_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_upload_is_refused_or_neutralised(applicant_client, settings, case):
    settings.DOCUMENT_MAX_BYTES = LIMIT
    client, application = applicant_client

    response = post_upload(client, application, case)

    assert response.status_code in (200, 302)
    document = Document.objects.filter(application=application).first()
    if case.outcome == "refused":
        assert document is None
        page = response.content.decode()
        assert 'class="invalid-feedback' in page or "text-danger" in page
        if case.reason:
            assert case.reason in page
        return
    assert document is not None
    document_process(document_id=document.pk)
    document.refresh_from_db()
    assert document.state == (DocumentState.READY if case.outcome == "ready" else DocumentState.REJECTED)
    assert document.reason.startswith(case.reason)
    assert "/" not in document.original_name and "\\" not in document.original_name
    assert "\x00" not in document.original_name and "\u202e" not in document.original_name
    assert len(document.original_name) <= 120
    assert not document.original_name.startswith(".")
    if case.stored_name:
        assert document.original_name == case.stored_name
    download = client.get(reverse("applicants:document_download", kwargs={"uuid": document.uuid}))
    if case.outcome == "rejected":
        assert (download.status_code, document.file.name) == (404, "")
        return
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] in ("application/pdf", "image/png", "image/jpeg")
    served = b"".join(download.streaming_content)
    assert b"<html" not in served.lower()
    if document.content_kind == "pdf":
        assert hostile.audit(served).problems == []
