"""The PDF dossier of an application: asked for on the staff page, built by a real worker while the
coordinator follows the progress, downloaded through a view that checks the programme.

Personas:
- alice: applicant with a submitted rotation application: a 2-page CV, a 1-page letter, a JPEG proof of
  English and a refused diploma;
- carol: coordinator of the rotation programme;
- oscar: coordinator of the cohort programme only.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from applicants.enums import ApplicationStatus, DocumentState, EventKind
from applicants.models import Document, Dossier, DossierStatus, Event
from applicants.services.dossier import dossier_build, dossier_request
from applicants.tasks import build_dossier
from placements.catalogue.models import DocumentType
from portal.models import User
from tests.applicants import corpus
from tests.applicants.builders import make_applicant
from tests.applicants.staff_builders import make_application, staff_url
from tests.factories import make_staff
from tests.waiting import wait_for
from tests.web import body_of

REFERENCE_NUMBER = 7


def dossier_urls(dossier) -> dict[str, str]:
    names = ("dossier", "dossier_status", "dossier_download")
    return {name: reverse(f"staff:{name}", kwargs={"uuid": dossier.uuid}) for name in names}


def add_document(application, code: str, content: bytes, *, kind: str, name: str, state=DocumentState.READY):
    document = Document(
        application=application,
        document_type=DocumentType.objects.get(code=code),
        original_name=name,
        size=len(content),
        sha256="0" * 64,
        content_kind=kind,
        state=state,
        reason="The scan is unreadable." if state == DocumentState.REJECTED else "",
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def alice():
    return make_applicant("alice@example.org", first_name="Alice", last_name="Martins")


@pytest.fixture
def oscar(catalogue):
    return make_staff("oscar", catalogue["cohort"])


@pytest.fixture
def application(rotation, alice):
    application = make_application(rotation, alice, status=ApplicationStatus.SUBMITTED, number=REFERENCE_NUMBER)
    cv = corpus.pdf_with_text("Curriculum vitae of Alice", pages=2)
    add_document(application, "cv", cv, kind="pdf", name="cv.pdf")
    letter = corpus.pdf_with_text("Dear coordinators")
    add_document(application, "motivation-letter", letter, kind="pdf", name="letter.pdf")
    add_document(application, "english-proof", corpus.jpeg(400, 300), kind="jpeg", name="ielts.jpg")
    add_document(
        application, "masters-diploma", corpus.pdf_with_text("Refused diploma"), kind="pdf", name="diploma.pdf",
        state=DocumentState.REJECTED,
    )  # fmt: skip
    return application


# --- through the worker --------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_dossier_is_built_by_the_worker_and_downloaded_by_the_coordinator(celery_worker, client, application, carol):
    client.force_login(carol)

    page = client.get(staff_url("application", application)).content.decode()
    assert staff_url("dossier_start", application) in page

    response = client.post(staff_url("dossier_start", application))

    dossier = Dossier.objects.get(application=application)
    urls = dossier_urls(dossier)
    assert response.status_code == 302
    assert response["Location"] == urls["dossier"]
    assert dossier.requested_by == carol
    settled = Dossier.objects.filter(pk=dossier.pk).exclude(status__in=[DossierStatus.QUEUED, DossierStatus.RUNNING])
    dossier = wait_for(settled.first, timeout=60, what="the dossier")
    assert (dossier.status, dossier.error, dossier.progress) == (DossierStatus.READY, "", 100)

    status = client.get(urls["dossier_status"]).content.decode()
    assert urls["dossier_download"] in status
    assert "hx-trigger" not in status

    download = client.get(urls["dossier_download"])
    content = body_of(download)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]

    reader = PdfReader(io.BytesIO(content))
    texts = [page.extract_text() or "" for page in reader.pages]
    summary_pages = sum("Summary page" in text for text in texts)
    assert summary_pages >= 1
    assert len(reader.pages) == dossier.pages == summary_pages + 2 + 1 + 1
    summary = "\n".join(texts[:summary_pages])
    assert application.reference in summary
    assert "Alice Martins" in summary
    assert "Refused, not included" in summary and "diploma.pdf" in summary
    merged = texts[summary_pages:]
    assert [("Curriculum vitae of Alice" in t, "Dear coordinators" in t) for t in merged[:3]] == [
        (True, False), (True, False), (False, True),
    ]  # fmt: skip
    assert "Proof of English" in merged[3]
    assert not any("Refused diploma" in text for text in texts)
    assert Event.objects.filter(
        application=application, actor=carol, kind=EventKind.DOCUMENT_VIEWED, internal=True,
        message="Downloaded the PDF dossier",
    ).exists()  # fmt: skip

    # A second delivery of the task finds the dossier built and leaves it alone.
    assert build_dossier.apply(kwargs={"dossier_id": dossier.pk}).get() == "skipped"
    again = Dossier.objects.get(pk=dossier.pk)
    assert again.status == DossierStatus.READY
    assert (again.file.name, again.finished_at) == (dossier.file.name, dossier.finished_at)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_page_polls_while_the_dossier_is_built(celery_worker, client, application, carol):
    client.force_login(carol)
    dossier = Dossier.objects.create(application=application, requested_by=carol)  # not queued: stays waiting
    urls = dossier_urls(dossier)

    page = client.get(urls["dossier"]).content.decode()

    assert f'data-hx-get="{urls["dossier_status"]}"' in page
    assert 'data-hx-trigger="every 2s"' in page
    assert "<script" not in page.split("</head>")[1]


# --- without a worker ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_the_task_twice_builds_once(application, carol):
    dossier = Dossier.objects.create(application=application, requested_by=carol)

    assert dossier_build(dossier_id=dossier.pk) == "ready"
    first = Dossier.objects.get(pk=dossier.pk)
    assert dossier_build(dossier_id=dossier.pk) == "skipped"

    second = Dossier.objects.get(pk=dossier.pk)
    assert (second.file.name, second.finished_at, second.pages) == (first.file.name, first.finished_at, first.pages)
    reader = PdfReader(first.file.path)
    assert len(reader.pages) == first.pages
    outline = ["Summary", "Curriculum vitae", "Motivation letter", "Proof of English"]
    assert [item["/Title"] for item in reader.outline] == outline


@pytest.mark.django_db
def test_asking_twice_while_one_is_under_way_gives_the_same_dossier(
    application, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        first = dossier_request(application=application, by=carol)
        second = dossier_request(application=application, by=carol)

    assert first == second
    assert Dossier.objects.filter(application=application).count() == 1
    assert len(queued) == 1


@pytest.mark.django_db
def test_a_missing_file_fails_the_dossier_with_a_plain_message(application, carol):
    cv = application.documents.get(document_type__code="cv")
    cv.file.storage.delete(cv.file.name)
    dossier = Dossier.objects.create(application=application, requested_by=carol)

    assert dossier_build(dossier_id=dossier.pk) == "failed"

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == "The file of the Curriculum vitae is missing from storage."
    assert not dossier.file


@pytest.mark.django_db
def test_failed_dossier_page_offers_to_try_again(client, application, carol):
    client.force_login(carol)
    dossier = Dossier.objects.create(
        application=application, requested_by=carol, status=DossierStatus.FAILED, error="The CV is gone."
    )

    status = client.get(dossier_urls(dossier)["dossier_status"]).content.decode()

    assert "The CV is gone." in status
    assert staff_url("dossier_start", application) in status
    assert "hx-trigger" not in status


# --- scope ---------------------------------------------------------------------------------------


@pytest.fixture
def ready_dossier(application, carol):
    dossier = Dossier.objects.create(application=application, requested_by=carol, status=DossierStatus.READY)
    dossier.file.save("dossier.pdf", ContentFile(corpus.pdf_with_text("Dossier")), save=True)
    return dossier


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["oscar", "alice"])
def test_outsiders_get_404_on_every_dossier_url(client, application, ready_dossier, persona, request):
    """A coordinator of another programme, and the applicant herself: nothing says the dossier exists."""
    client.force_login(request.getfixturevalue(persona))
    urls = dossier_urls(ready_dossier)

    outcomes = {
        "start": client.post(staff_url("dossier_start", application)).status_code,
        **{name: client.get(url).status_code for name, url in urls.items()},
    }

    assert outcomes == {"start": 404, "dossier": 404, "dossier_status": 404, "dossier_download": 404}
    assert Dossier.objects.filter(application=application).count() == 1
    assert not Event.objects.filter(application=application, kind=EventKind.DOCUMENT_VIEWED).exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, application, ready_dossier):
    urls = dossier_urls(ready_dossier)

    responses = [client.post(staff_url("dossier_start", application)), *(client.get(url) for url in urls.values())]

    assert all(r.status_code == 302 and "/accounts/login/" in r["Location"] for r in responses)
    assert Dossier.objects.filter(application=application).count() == 1


@pytest.mark.django_db
def test_coordinator_of_the_programme_and_superuser_download(client, ready_dossier):
    admin = make_staff("admin", superuser=True)
    for user in (User.objects.get(email="carol@example.org"), admin):
        client.force_login(user)
        response = client.get(dossier_urls(ready_dossier)["dossier_download"])
        assert response.status_code == 200
        assert body_of(response).startswith(b"%PDF")
