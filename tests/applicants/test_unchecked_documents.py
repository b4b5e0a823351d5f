"""A check that did not look at a document's content never says "Passed": a proof of English sent as a
photo has no text to read, so its check is "Not checked automatically", for the applicant and for the
coordinator alike.

Personas:
- alice: an applicant; uploads her English certificate as a photo and sees her own documents.
- carol: coordinator of the rotation programme; sees alice's application once submitted.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from applicants.enums import ApplicationStatus, CheckStatus, DocumentState
from applicants.models import Document, DocumentCheck
from applicants.services import applications as services
from applicants.services.documents import document_upload
from placements.catalogue.models import DocumentType
from tests.applicants import corpus
from tests.applicants.builders import complete_draft, make_applicant, rotation_choice
from tests.applicants.staff_builders import staff_url
from tests.waiting import wait_for

NOT_CHECKED = "Not checked automatically"
PHOTO_MESSAGE = (
    "A proof of English is present; it has no readable text (an image or a scan), so its content was not "
    "checked; please look at it."
)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_photo_of_an_english_certificate_is_not_checked_automatically(celery_worker, rotation):
    draft = services.application_start(applicant=make_applicant("photo@example.org"), programme=rotation)
    services.application_save_components(application=draft, components=rotation_choice(rotation))

    uploaded = document_upload(
        application=draft,
        document_type=DocumentType.objects.get(code="english-proof"),
        upload=SimpleUploadedFile("certificate.jpg", corpus.jpeg_with_gps()),
        by=draft.applicant,
    )
    checked = Document.objects.filter(pk=uploaded.pk, state=DocumentState.READY)
    document = wait_for(checked.first, timeout=30, what="the photo to be checked", interval=0.1)

    check = document.checks.get()
    assert (check.status, check.get_status_display(), check.message) == (
        CheckStatus.UNCHECKED,
        NOT_CHECKED,
        PHOTO_MESSAGE,
    )


@pytest.fixture
def alice(db):
    return make_applicant("alice@example.org")


@pytest.fixture
def photo_checked(rotation, alice):
    """alice's complete draft whose proof of English is a photo: its check did not read it."""
    draft = complete_draft(rotation, alice)
    proof = draft.documents.get(document_type__code="english-proof")
    DocumentCheck.objects.create(
        document=proof, code="proof_of_english", status=CheckStatus.UNCHECKED, message=PHOTO_MESSAGE
    )
    return draft


@pytest.mark.django_db
def test_the_applicant_sees_not_checked_on_the_documents_step(client, photo_checked, alice):
    client.force_login(alice)

    response = client.get(reverse("applicants:wizard_step", kwargs={"uuid": photo_checked.uuid, "step": "documents"}))

    assertContains(response, f'<span class="badge text-bg-secondary">{NOT_CHECKED}</span>', html=True)
    assertNotContains(response, "Passed")


@pytest.mark.django_db
def test_the_applicant_sees_not_checked_on_the_submitted_application(client, photo_checked, alice):
    services.application_submit(application=photo_checked, by=alice)
    client.force_login(alice)

    response = client.get(photo_checked.get_absolute_url())

    assertContains(response, f'<span class="badge text-bg-secondary">{NOT_CHECKED}</span>', html=True)
    assertNotContains(response, "Passed")


@pytest.mark.django_db
def test_the_coordinator_sees_not_checked_next_to_the_document_and_in_the_checks(client, photo_checked, alice, carol):
    services.application_submit(application=photo_checked, by=alice)
    assert photo_checked.status == ApplicationStatus.SUBMITTED
    client.force_login(carol)

    response = client.get(staff_url("application", photo_checked))

    assertContains(response, f'<span class="badge text-bg-secondary">{NOT_CHECKED}</span>', count=2, html=True)
    assertNotContains(response, "Passed")
