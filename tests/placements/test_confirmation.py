"""The placement confirmation: a document that says where and when to report, to whom, the host
department and hospital, the dates week by week and the reference, and that anyone holding it can
check on the portal's public verification page (by an unguessable token, never by the reference).

Personas:
- amira: an applicant who accepted two weeks of thoracic radiology at the UMCG; downloads her PDF.
- anyone: not signed in; holds the PDF (or its link) and checks it; sees name and dates, nothing more.
- root: the admin; edits where and when trainees report in the catalogue.
"""

import io
from datetime import time, timedelta

import pytest
import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import PlacementConfirmation
from placements.allocation.services.lifecycle import application_withdraw, offer_accept
from placements.catalogue.models import Department
from placements.catalogue.reporting import department_reporting
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus


@pytest.fixture
def start():
    return weeks_ahead(12)


@pytest.fixture
def amira(rotation, start):
    """Amira's application: two weeks of thoracic radiology, then one of nuclear medicine, accepted."""
    application = make_application(
        rotation,
        status=S.OFFERED,
        start=start,
        weeks=3,
        components=(("umcg-thoracic", 2), ("umcg-nuclear-medicine", 1)),
        first="Amira",
        last="Haddad",
    )
    deadline = timezone.now() + timedelta(days=7)
    place(application, "umcg-thoracic", start, weeks=2, status=P.OFFERED, deadline=deadline)
    later = start + timedelta(weeks=2)
    place(application, "umcg-nuclear-medicine", later, weeks=1, status=P.OFFERED, deadline=deadline)
    offer_accept(application=application, by=application.applicant)
    return application


def download(client, application) -> tuple[str, bytes]:
    client.force_login(application.applicant)
    response = client.get(reverse("applicants:placement_confirmation", kwargs={"uuid": application.uuid}))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split()), response.content


def verify_url(token: str) -> str:
    return reverse("confirmation_verify", kwargs={"token": token})


# --- the document ---------------------------------------------------------------------------------


def test_the_confirmation_says_where_when_and_to_whom_to_report(client, amira, start):
    text, _pdf = download(client, amira)

    radiology = department_reporting(department("umcg-thoracic"))  # a section: its department's details
    assert radiology.address.startswith("University Medical Center Groningen, Hanzeplein 1, 9713 GZ Groningen")
    for expected in (
        "Where and when to report",
        "Host department Thoracic radiology, UMCG",
        "Hanzeplein 1, 9713 GZ Groningen",
        f"First day {start:%A} {start.day} {start:%B %Y}, at 08:00",
        "Usual hours Monday to Friday, 8:00 to 16:30",
        "Contact person International office, international@umcg.example",
        # Nuclear medicine has its own secretariat and first day.
        f"Then, from {(start + timedelta(weeks=2)):%A} {(start + timedelta(weeks=2)).day}",
        "Report to the secretariat of Nuclear Medicine and Molecular Imaging",
    ):
        assert expected in text, expected


def test_the_confirmation_lists_the_weeks_the_reference_and_how_to_verify_it(client, amira, start):
    text, pdf = download(client, amira)

    confirmation = PlacementConfirmation.objects.get(application=amira)
    for week, name in ((0, "Thoracic radiology, UMCG"), (1, "Thoracic radiology, UMCG"), (2, "Nuclear medicine")):
        monday = start + timedelta(weeks=week)
        friday = monday + timedelta(days=4)
        row = f"{monday.isocalendar().week} {monday.day} {monday:%B} – {friday.day} {friday:%B %Y} {name}"
        assert row in text, row
    assert f"Reference {amira.reference}" in text
    assert f"{settings.SITE_URL}{verify_url(confirmation.token)}" in text.replace(" ", "")
    assert confirmation.token not in amira.reference
    [image] = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    qr_code = qrcode.make(f"{settings.SITE_URL}{verify_url(confirmation.token)}", border=1).get_image()
    assert image.image.convert("L").tobytes() == qr_code.convert("L").tobytes()  # the QR code of that address


def test_each_confirmation_has_its_own_unguessable_token_kept_across_downloads(client, rotation, amira, start):
    download(client, amira)
    download(client, amira)
    other = make_application(rotation, status=S.CONFIRMED, start=start, weeks=1)
    place(other, "umcg-breast", start, status=P.CONFIRMED)
    download(client, other)

    tokens = list(PlacementConfirmation.objects.values_list("token", flat=True))
    assert len(tokens) == 2 and len(set(tokens)) == 2
    assert all(len(token) >= 43 for token in tokens)  # 256 random bits


# --- the public verification page -----------------------------------------------------------------


def test_anyone_with_the_link_sees_reference_name_and_dates_and_nothing_more(client, amira, start):
    download(client, amira)
    token = PlacementConfirmation.objects.get(application=amira).token
    client.logout()

    response = client.get(verify_url(token))

    assert response.status_code == 200
    assertContains(response, "Genuine and valid.")
    assertContains(response, f"Placement confirmation {amira.reference}")
    assertContains(response, "Amira Haddad")
    assertContains(response, "<td>Thoracic radiology, UMCG</td>", html=True)
    assertContains(response, f"{start:%A} {start.day} {start:%B %Y}")
    assertNotContains(response, amira.applicant.email)
    assertNotContains(response, str(amira.uuid))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("guess", ["reference", "wrong", "truncated"])
def test_anything_but_the_token_is_not_found(client, amira, guess):
    download(client, amira)
    token = PlacementConfirmation.objects.get(application=amira).token
    client.logout()
    tried = {"reference": amira.reference, "wrong": "x" * 43, "truncated": token[:-1]}[guess]

    assert client.get(verify_url(tried)).status_code == 404


def test_a_withdrawn_placement_is_no_longer_confirmed(client, amira):
    download(client, amira)
    token = PlacementConfirmation.objects.get(application=amira).token
    application_withdraw(application=amira, by=amira.applicant)
    client.logout()

    response = client.get(verify_url(token))

    assertContains(response, "No longer valid.")
    assertNotContains(response, "Thoracic radiology, UMCG")


# --- the catalogue --------------------------------------------------------------------------------


def test_every_demo_department_says_where_when_and_whom_to_report_to(catalogue):
    for dept in Department.objects.select_related("parent"):
        reporting = department_reporting(dept)
        assert reporting.address and reporting.time and reporting.hours and reporting.contact, dept.slug
    assert department_reporting(department("uzl-radiotherapy")).time == time(8, 30)


def test_the_admin_edits_where_and_when_trainees_report(client, catalogue, root):
    client.force_login(root)
    thoracic = department("umcg-thoracic")

    response = client.get(reverse("admin:placements_department_change", args=[thoracic.pk]))

    fields = response.context["adminform"].form.fields
    assert {
        *("address_en", "address_nl", "working_hours_en", "working_hours_nl"),
        *("first_day_notes_en", "first_day_notes_nl", "reporting_time", "contact_phone"),
    } <= set(fields)
