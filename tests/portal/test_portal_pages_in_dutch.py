"""The page frame, signing in, the account e-mails, the lockout, the admin and the error pages in Dutch.

Personas:
- a visitor whose browser asks for Dutch (Accept-Language: nl), signed in as nobody;
- ada: an applicant who signs in with a wrong password until the sign-in is paused;
- root: the superuser who keeps the catalogue in the admin, in Dutch (the language of his account).

The pages are rendered with the Dutch catalogue compiled from its sources (the `dutch` fixture of the
applicant pages' test).
"""

import pytest
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from tests.applicants.test_applicant_pages_in_dutch import dutch  # noqa: F401 (the compiled catalogue)
from tests.factories import UserFactory, unique_email
from tests.web import random_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dutch", "no_earlier_attempts")]


@pytest.fixture
def visitor() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="nl", REMOTE_ADDR=random_ip())


def test_the_sign_in_page_and_its_frame_speak_dutch(visitor):
    response = visitor.get("/accounts/login/")

    assertContains(response, "<title>Aanmelden · Stageportaal</title>", html=False)
    assertContains(response, "Naar de hoofdinhoud")
    assertContains(response, "Meld u aan met het e-mailadres en het wachtwoord waarmee u zich hebt geregistreerd.")
    assertContains(response, "Privacyverklaring")
    assertNotContains(response, "Skip to main content")


def test_a_sign_in_sent_empty_lists_its_problems_in_dutch(visitor):
    response = visitor.post("/accounts/login/", {"login": "", "password": ""})

    assertContains(response, "<title>Fout: Aanmelden · Stageportaal</title>", html=False)
    assertContains(response, "Er zijn 2 problemen")


def test_the_lockout_page_speaks_dutch(visitor):
    ada = UserFactory(email=unique_email("ada"))
    for attempt in range(4):
        visitor.post("/accounts/login/", {"login": ada.email, "password": f"guess-{attempt}"})

    response = visitor.post("/accounts/login/", {"login": ada.email, "password": "guess-4"})

    assert response.status_code == 429
    assertContains(
        response,
        "Te veel mislukte aanmeldpogingen. Probeer het over 15 minuten opnieuw of stel uw wachtwoord opnieuw in.",
        status_code=429,
    )


def test_the_confirmation_e_mail_of_a_registration_is_dutch(visitor):
    password = "een-lang-wachtwoord-2027"

    visitor.post("/accounts/signup/", {"email": "nieuw@example.org", "password1": password, "password2": password})

    [message] = mail.outbox
    assert message.subject == "[Stageportaal] Bevestig uw e-mailadres"
    assert message.body.startswith("Goedendag,\n\nIemand, waarschijnlijk u, heeft dit adres (nieuw@example.org)")
    assert message.body.rstrip().endswith("Het stageportaal")


def test_an_unknown_address_is_a_dutch_page_not_found(visitor):
    response = visitor.get("/nowhere/")

    assertContains(response, "Pagina niet gevonden", status_code=404)
    assertContains(response, "Naar de startpagina", status_code=404)


def test_the_admin_speaks_dutch_where_its_packages_do_not(root):
    root.language = "nl"
    root.save(update_fields=["language"])
    admin = Client(HTTP_ACCEPT_LANGUAGE="nl", REMOTE_ADDR=random_ip())
    admin.force_login(root)

    response = admin.get("/admin/")

    assertContains(response, "Beheer van het stageportaal")
    assertContains(response, "Modelnaam")
    assertNotContains(response, "Change or view list link")
