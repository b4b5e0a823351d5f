"""Certificates: asked for when the placement is completed and the final evaluation submitted, written by
a worker as a PDF (completion with the competencies and their signed-off hours, or attendance with the
departments and weeks), downloaded by the trainee, checked by anyone on the public page of its code."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import qrcode
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from placements.training.enums import CertificateKind, CertificateStatus
from placements.training.models import Certificate, EvaluationForm
from placements.training.services.certificates import certificate_revoke, certificates_request_due
from placements.training.services.evaluations import evaluation_save
from placements.training.services.logbook import Activity, entry_add, entry_sign
from tests.factories import make_user
from tests.training.builders import competency_of, load_training, make_supervisor, make_trainee, this_monday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def finish(django_capture_on_commit_callbacks):
    """The supervisor submits the final evaluation (and what it queues after commit runs, as in production)."""

    def submit(placement, supervisor):
        form = EvaluationForm.objects.get(programme=placement.application.programme, kind="final")
        answers = {str(item.pk): 3 if item.kind == "scale" else "Well done." for item in form.items.all()}
        with django_capture_on_commit_callbacks(execute=True):
            return evaluation_save(placement=placement, form=form, by=supervisor, answers=answers, submit=True)

    return submit


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def leuven(cohort):
    load_training()
    start = this_monday() - timedelta(weeks=10)
    return make_trainee(cohort, start=start, weeks=8, status="completed")


def test_no_certificate_before_the_final_evaluation(client, leuven):
    client.force_login(leuven.application.applicant)

    shown = client.get(reverse("training:certificate", kwargs={"uuid": leuven.application.uuid})).content.decode()

    assert "The final evaluation has not been submitted yet." in shown
    assert not Certificate.objects.exists()


def test_final_evaluation_of_a_completed_placement_makes_the_certificate(finish, client, leuven):
    sam = make_supervisor("sam", "uzl-radiotherapy")
    trainee = leuven.application.applicant
    leuven.status = "in_progress"
    leuven.save(update_fields=["status"])
    day = leuven.start_week + timedelta(days=2)
    entry = entry_add(
        placement=leuven,
        by=trainee,
        activity=Activity(competency_of(leuven), day, "TRS-398 calibration.", Decimal("6")),
    )
    entry_sign(entry=entry, by=sam)
    leuven.status = "completed"
    leuven.save(update_fields=["status"])

    finish(leuven, sam)

    certificate = Certificate.objects.get()
    assert (certificate.status, certificate.kind) == (CertificateStatus.READY, CertificateKind.COMPLETION)
    client.force_login(trainee)
    page = client.get(reverse("training:certificate", kwargs={"uuid": leuven.application.uuid})).content.decode()
    assert "Download the certificate (PDF)" in page
    response = client.get(reverse("training:certificate_download", kwargs={"uuid": leuven.application.uuid}))
    content = b"".join(response.streaming_content)
    text = pdf_text(content)
    assert "Certificate of completion" in text
    assert "Tess Trainee" in text
    assert "Reference dosimetry of photon and electron beams" in text
    assert "6 hours" in text
    verify = settings.SITE_URL + reverse("training:certificate_verify", kwargs={"code": certificate.code})
    assert verify in text.replace(" ", "").replace("\n", "")
    [image] = [image for page in PdfReader(io.BytesIO(content)).pages for image in page.images]
    assert image.image.convert("L").tobytes() == qrcode.make(verify, border=1).get_image().convert("L").tobytes()


def test_the_verification_page_shows_name_programme_dates_and_status(finish, client, leuven):
    finish(leuven, make_supervisor("sam", "uzl-radiotherapy"))
    certificate = Certificate.objects.get()
    url = reverse("training:certificate_verify", kwargs={"code": certificate.code})

    response = client.get(url)
    shown = response.content.decode()
    assert (response["X-Robots-Tag"], response["Referrer-Policy"]) == ("noindex, nofollow", "no-referrer")
    assert "Genuine and valid." in shown
    assert "Tess Trainee" in shown
    assert leuven.application.programme.title in shown
    assert "tess@example.org" not in shown
    certificate_revoke(certificate=certificate, reason="Issued in error.")
    assert "Revoked." in client.get(url).content.decode()
    assert client.get(reverse("training:certificate_verify", kwargs={"code": "x" * 43})).status_code == 404


def test_the_observership_gets_a_certificate_of_attendance_with_its_sections(finish, client, rotation):
    load_training()
    start = this_monday() - timedelta(weeks=5)
    placement = make_trainee(rotation, "owen", slug="umcg-thoracic", start=start, weeks=2, status="completed")
    finish(placement, make_supervisor("sara", "umcg-radiology"))  # the section's parent department

    certificate = Certificate.objects.get()
    client.force_login(placement.application.applicant)
    content = b"".join(
        client.get(
            reverse("training:certificate_download", kwargs={"uuid": placement.application.uuid})
        ).streaming_content
    )
    text = pdf_text(content)
    assert certificate.kind == CertificateKind.ATTENDANCE
    assert "Certificate of attendance" in text
    assert placement.department.label in text


def test_the_hourly_task_asks_for_certificates_that_became_due_once(finish, django_capture_on_commit_callbacks, leuven):
    sam = make_supervisor("sam", "uzl-radiotherapy")
    leuven.status = "in_progress"
    leuven.save(update_fields=["status"])
    finish(leuven, sam)
    assert not Certificate.objects.exists()  # still running
    leuven.status = "completed"
    leuven.save(update_fields=["status"])

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_request_due() == 1
    assert certificates_request_due() == 0
    assert Certificate.objects.get().status == CertificateStatus.READY


def test_others_cannot_see_or_download_the_certificate(finish, client, leuven):
    finish(leuven, make_supervisor("sam", "uzl-radiotherapy"))
    client.force_login(make_user("mallory"))
    for name in ("training:certificate", "training:certificate_status", "training:certificate_download"):
        assert client.get(reverse(name, kwargs={"uuid": leuven.application.uuid})).status_code == 404
