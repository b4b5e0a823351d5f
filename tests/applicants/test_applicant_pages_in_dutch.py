"""The applicant's pages in Dutch: an applicant whose language is Dutch reads the catalogue, the
dashboard, the wizard, its problems and an upload's refusal in Dutch, with dates in Dutch.

Personas:
- anna: a verified applicant who chose Dutch; owns her draft.

The pages are rendered with the Dutch catalogue compiled from its sources (the built catalogue and the
parts not yet folded into it), as `make messages` compiles the built one.
"""

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from applicants.models import Application, PrivacyNotice
from applicants.privacy.data_export import data_export_build, data_export_request
from applicants.services import applications as services
from placements.catalogue.models import DocumentType
from placements.catalogue.validation import earliest_start
from tests.applicants.builders import first_monday_from, make_applicant, rotation_choice
from tests.applicants.corpus import html_page
from tests.applicants.staff_builders import make_application, make_document

pytestmark = pytest.mark.django_db
LOCALE = Path(django_settings.BASE_DIR) / "locale"


@pytest.fixture
def dutch(settings, tmp_path):
    """The Dutch catalogue compiled into a temporary LOCALE_PATHS (a part's newer wording wins)."""
    sources = [LOCALE / "nl" / "LC_MESSAGES" / "django.po", *sorted((LOCALE / "parts").glob("*.po"))]
    compiled = polib.POFile()
    compiled.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    entries = {}
    for source in (path for path in sources if path.exists()):
        for entry in polib.pofile(str(source)):
            if "fuzzy" not in entry.flags and (entry.msgstr or any(entry.msgstr_plural.values())):
                entries[(entry.msgctxt, entry.msgid, entry.msgid_plural)] = entry
    for entry in entries.values():
        compiled.append(entry)
    (tmp_path / "nl" / "LC_MESSAGES").mkdir(parents=True)
    compiled.save_as_mofile(str(tmp_path / "nl" / "LC_MESSAGES" / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]


@pytest.fixture
def anna(client, dutch):
    user = make_applicant("anna@example.org", language="nl")
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nl"
    return user


@pytest.fixture
def draft(anna, rotation) -> Application:
    """Anna's draft with its choice and dates, no documents and no consent yet."""
    application = services.application_start(applicant=anna, programme=rotation)
    services.application_save_components(application=application, components=rotation_choice(rotation))
    start = first_monday_from(earliest_start(rotation, timezone.localdate()) + timedelta(days=7))
    services.application_save_dates(application=application, start=start, end=start + timedelta(days=25))
    return application


def step_url(application: Application, step: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})


def test_the_dashboard_speaks_dutch(client, draft):
    response = client.get(reverse("applicants:dashboard"))

    assertContains(response, '<h1 class="h3 mb-0">Mijn aanvragen</h1>', html=True)
    assertContains(response, "Verdergaan")
    assertContains(response, "Al mijn gegevens downloaden")
    assertNotContains(response, "My applications")


def test_the_review_step_lists_its_problems_in_dutch(client, draft):
    response = client.get(step_url(draft, "review"))

    assertContains(response, "Voordat u kunt indienen")
    assertContains(response, "Geef uw toestemming voor de verwerking van uw gegevens.")
    assertContains(response, "Aanvraag indienen")
    # The requested period, with Dutch day and month names.
    assertContains(response, f"Van maandag {draft.start_date.day} ")
    assertContains(response, "(4 weken)")
    assertNotContains(response, "Before you can submit")


def test_an_upload_is_refused_with_its_reason_in_dutch(client, draft):
    item = draft.programme.programme_documents.get(document_type__code="cv")

    response = client.post(
        step_url(draft, "documents"),
        {f"document-{item.pk}-file": SimpleUploadedFile("cv.pdf", html_page()), "action": "upload"},
    )

    assert response.status_code == 200
    assertContains(response, "De bestandsnaam eindigt op .pdf, maar de inhoud is geen")
    assert not draft.documents.exists()


def test_the_programme_page_speaks_dutch(client, anna, rotation):
    response = client.get(rotation.get_absolute_url())

    assertContains(response, "Zo vraagt u aan")
    assertContains(response, "Vraag minstens 3 maanden voor uw begindatum aan.")
    assertContains(response, "Te uploaden documenten")


def test_an_application_page_and_its_withdrawal_speak_dutch(client, anna, rotation):
    application = make_application(rotation, anna)
    make_document(application, DocumentType.objects.get(code="cv"), name="cv.pdf")

    page = client.get(reverse("applicants:application_detail", kwargs={"uuid": application.uuid}))
    withdraw = client.get(reverse("applicants:application_withdraw", kwargs={"uuid": application.uuid}))

    assertContains(page, "Gevraagd verblijf")
    assertContains(page, "1 maart 2027")
    assertContains(page, "1 pagina")
    assertContains(page, "Tijdlijn")
    assertContains(withdraw, "Uw aanvraag intrekken?")
    assertContains(withdraw, f"U staat op het punt aanvraag <strong>{application.reference}</strong>")
    assertContains(withdraw, "Aanvraag behouden")


def test_deleting_the_account_is_explained_in_dutch(client, anna, rotation):
    make_application(rotation, anna)

    response = client.get(reverse("applicants:account_delete"))

    assertContains(response, "Uw account verwijderen?")
    assertContains(response, "Uw lopende aanvragen worden ingetrokken:")
    assertContains(response, "Account behouden")


def test_the_privacy_notice_reads_in_dutch(client, dutch):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nl"

    response = client.get(reverse("privacy_notice"))

    assertContains(response, "Versie 2026-11, van kracht sinds")
    assertContains(response, "<p>Wie wij zijn. Het stageportaal")
    assertNotContains(response, "Who we are.")


def test_a_notice_not_yet_in_dutch_is_shown_in_english(client, dutch):
    PrivacyNotice.objects.create(version="2027-01", text="Notice 2027-01.", published_at=timezone.now())
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nl"

    response = client.get(reverse("privacy_notice"))

    assertContains(response, "<p>Notice 2027-01.</p>", html=True)


def test_the_data_export_is_written_in_dutch(anna, rotation):
    make_application(rotation, anna)
    export = data_export_request(user=anna)

    assert data_export_build(export_id=export.pk) == "ready"

    export.refresh_from_db()
    with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        data = json.loads(archive.read("data.json"))
    [exported] = data["applications"]
    assert exported["status"] == "Ingediend"
    assert {entry["by"] for entry in exported["history"]} <= {"U", "Systeem", "Coördinator"}
