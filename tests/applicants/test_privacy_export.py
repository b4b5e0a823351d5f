"""The applicant's copy of their data: asked for on the dashboard, built by a real worker, downloaded once ready.

Personas:
- alice: applicant with a submitted rotation application, an uploaded letter and an e-mail; asks for her data.
- bob: another applicant; her export is a 404 for him.
- carol: coordinator of the rotation programme; left an internal note and opened the letter (not in the export).
"""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applicants.enums import DocumentState, ExportStatus
from applicants.files.checks import format_date
from applicants.models import DataExport, Document
from applicants.privacy.data_export import data_export_build, data_export_request, data_exports_expire
from applicants.services import applications as services
from applicants.services.access_log import document_view_record
from applicants.services.decisions import internal_note_add
from applicants.services.documents import document_upload
from placements.catalogue.models import DocumentType
from portal.mail.models import EmailLog
from tests.applicants import corpus
from tests.applicants.builders import complete_draft, make_applicant
from tests.waiting import wait_for
from tests.web import body_of

LETTER_NAME = "alice-motivation.pdf"


def export_urls(export) -> dict[str, str]:
    return {
        name: reverse(f"applicants:{name}", kwargs={"uuid": export.uuid})
        for name in ("data_export", "data_export_status", "data_export_download")
    }


@pytest.fixture
def alice():
    return make_applicant("alice@example.org", first_name="Alice", last_name="Martins")


@pytest.fixture
def bob():
    return make_applicant("bob@example.org")


def submitted_with_letter(rotation, alice, carol):
    """Alice's rotation application with her own letter, submitted; carol noted and looked at it."""
    application = complete_draft(rotation, alice)
    # The observership's letter must state the requested dates, or it cannot be submitted.
    text = (
        "Dear coordinators, I would like to join the radiology physicists from "
        f"{format_date(application.start_date)} to {format_date(application.end_date)}."
    )
    letter = document_upload(
        application=application,
        document_type=DocumentType.objects.get(code="motivation-letter"),
        upload=SimpleUploadedFile(LETTER_NAME, corpus.pdf_with_text(text)),
        by=alice,
    )
    return application, letter


# --- through the real worker ---------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_export_is_built_by_the_worker_with_data_json_and_the_stored_files(
    celery_worker, client, rotation, alice, carol
):
    application, letter = submitted_with_letter(rotation, alice, carol)
    wait_for(lambda: Document.objects.get(pk=letter.pk).state != DocumentState.PENDING, timeout=30, what="the letter")
    services.application_submit(application=application, by=alice)
    internal_note_add(application=application, author=carol, text="Strong letter.")
    document_view_record(document=Document.objects.get(pk=letter.pk), by=carol, how="download")
    EmailLog.objects.create(to="alice@example.org", subject="Your application", body="Dear Alice")
    EmailLog.objects.create(to="carol@example.org", subject="Waiting for review", body="...", application=application)
    client.force_login(alice)

    response = client.post(reverse("applicants:data_export_start"))

    export = DataExport.objects.get(applicant=alice)
    urls = export_urls(export)
    assert response.status_code == 302
    assert response["Location"] == urls["data_export"]
    export = wait_for(
        lambda: DataExport.objects.filter(pk=export.pk, status=ExportStatus.READY).first(),
        timeout=30,
        what="the export",
    )
    assert export.progress == 100
    assert export.expires_at == export.finished_at + timedelta(days=7)

    status = client.get(urls["data_export_status"])
    assert urls["data_export_download"] in status.content.decode()
    assert "hx-trigger" not in status.content.decode()

    download = client.get(urls["data_export_download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(body_of(download)))
    letter_path = f"documents/motivation-letter-{LETTER_NAME}"
    assert sorted(archive.namelist()) == sorted(
        ["data.json", letter_path, "documents/cv-cv.pdf", "documents/english-proof-english-proof.pdf"]
    )
    # The stored letter is the checked copy: a PDF rebuilt from the upload's pages.
    assert archive.read(letter_path) == Path(Document.objects.get(pk=letter.pk).file.path).read_bytes()

    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "alice@example.org"
    assert (data["account"]["first_name"], data["account"]["last_name"]) == ("Alice", "Martins")
    assert data["account"]["email_addresses"] == [{"email": "alice@example.org", "verified": True, "primary": True}]
    assert data["profile"]["home_institution"] == "University of Porto"
    [exported] = data["applications"]
    assert exported["reference"] == application.reference
    assert exported["status"] == "Submitted"
    assert [c["weeks"] for c in exported["components"]] == [3, 1]
    assert [a["answer"] for a in exported["answers"]] == [True]
    assert exported["answers"][0]["question"] == rotation.questions.get().text
    letter_entry = next(d for d in exported["documents"] if d["type"] == "Motivation letter")
    assert letter_entry["original_name"] == LETTER_NAME
    assert letter_entry["file_in_archive"] == letter_path
    history = [entry["message"] for entry in exported["history"]]
    assert "Application submitted." in history
    assert "Internal note added." not in history  # internal events stay internal
    assert not any(message.startswith("Viewed") for message in history)
    assert all(entry["by"] in ("You", "System", "Coordinator") for entry in exported["history"])
    assert data["consents"] == [
        {
            "application": application.reference,
            "given_at": data["consents"][0]["given_at"],
            "privacy_notice_version": "2026-11",
        }
    ]
    # (The confirmation of the submission is there too when its e-mail template is in the database.)
    assert "Your application" in [e["subject"] for e in data["emails"]]
    assert "Waiting for review" not in [e["subject"] for e in data["emails"]]
    assert "Strong letter." not in archive.read("data.json").decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_page_polls_while_the_export_is_built(celery_worker, client, alice):
    client.force_login(alice)
    export = DataExport.objects.create(applicant=alice)  # not queued: stays waiting
    urls = export_urls(export)

    page = client.get(urls["data_export"]).content.decode()

    assert f'data-hx-get="{urls["data_export_status"]}"' in page
    assert 'data-hx-trigger="every 2s"' in page
    assert "<script" not in page.split("</head>")[1]


# --- without a worker ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_asking_twice_while_one_is_under_way_gives_the_same_export(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        first = data_export_request(user=alice)
        second = data_export_request(user=alice)

    assert first.pk == second.pk
    assert len(queued) == 1


@pytest.mark.django_db
def test_a_second_build_of_the_same_export_does_nothing(alice):
    export = DataExport.objects.create(applicant=alice)

    assert data_export_build(export_id=export.pk) == "ready"
    assert data_export_build(export_id=export.pk) == "skipped"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["data_export", "data_export_status", "data_export_download"])
def test_another_applicant_gets_404(client, alice, bob, name):
    export = DataExport.objects.create(applicant=alice)
    data_export_build(export_id=export.pk)
    client.force_login(bob)

    response = client.get(export_urls(export)[name])

    assert response.status_code == 404


@pytest.mark.django_db
def test_even_a_superuser_gets_404_for_someone_elses_export(client, alice, root):
    export = DataExport.objects.create(applicant=alice)
    data_export_build(export_id=export.pk)
    client.force_login(root)

    assert client.get(export_urls(export)["data_export_download"]).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["data_export", "data_export_status", "data_export_download"])
def test_anonymous_visitor_is_sent_to_sign_in(client, alice, name):
    url = export_urls(DataExport.objects.create(applicant=alice))[name]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.django_db
def test_starting_an_export_takes_a_post(client, alice):
    client.force_login(alice)

    assert client.get(reverse("applicants:data_export_start")).status_code == 405


@pytest.mark.django_db
def test_dashboard_offers_the_export_and_the_deletion(client, alice):
    client.force_login(alice)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert f'action="{reverse("applicants:data_export_start")}"' in page
    assert reverse("applicants:account_delete") in page


@pytest.mark.django_db
def test_exports_expire_after_seven_days_and_their_file_is_deleted(client, alice, django_capture_on_commit_callbacks):
    export = DataExport.objects.create(applicant=alice)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    path = export.file.path

    with django_capture_on_commit_callbacks(execute=True):
        assert data_exports_expire(now=timezone.now() + timedelta(days=6)) == 0
        assert data_exports_expire(now=timezone.now() + timedelta(days=7, minutes=1)) == 1

    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not export.file
    assert not Path(path).exists()
    client.force_login(alice)
    assert client.get(export_urls(export)["data_export_download"]).status_code == 404
    assert "This copy has expired" in client.get(export_urls(export)["data_export"]).content.decode()
