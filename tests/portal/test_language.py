"""Choosing the language: the switcher in the page frame, the cookie that keeps a visitor's choice,
the account that keeps a signed-in person's, the browser's Accept-Language on a first visit, and the
catalogue's cached pages, which never show one reader's language to another.

The page's language is read from `<html lang>` and the Content-Language header, so that these tests
do not depend on how far the Dutch catalogue is translated.

Personas:
- a visitor: anyone without an account; chooses a language with the switcher or the browser.
- ada: an applicant whose account says English until she chooses otherwise.
- dirk: an account nobody chose a language for (made by the demo data or by an administrator).
- carol (tests/conftest.py): coordinator of the rotation programme, whose account says Dutch here.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, unique_email
from tests.web import random_ip

SWITCH = reverse("set_language")
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=random_ip())


@pytest.fixture
def ada(db):
    return UserFactory(email=unique_email("ada"), language="en")


def language_of(response) -> str:
    """The language the page says it is in, checked to agree with its Content-Language."""
    (html_lang,) = re.findall(r'<html lang="([^"]*)"', response.content.decode())
    assert response["Content-Language"] == html_lang
    return html_lang


def switcher_of(response) -> dict:
    """The switcher's `next` and its buttons (value -> (label, lang, current))."""
    html = response.content.decode()
    (form,) = re.findall(r'<form class="language-switcher.*?</form>', html, re.S)
    (next_url,) = re.findall(r'name="next" value="([^"]*)"', form)
    buttons = re.findall(r'value="(\w+)" lang="(\w+)"( aria-current="true")?>([^<]+)</button>', form)
    return {
        "next": next_url.replace("&amp;", "&"),
        "buttons": {value: (label, lang, bool(current)) for value, lang, current, label in buttons},
        "csrf": "csrfmiddlewaretoken" in form,
    }


def sign_in(client, email):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


# --- the switcher --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_switcher_names_each_language_in_itself_and_marks_the_current_one(client, catalogue):
    switcher = switcher_of(client.get("/programmes/"))

    assert switcher["buttons"] == {"en": ("English", "en", True), "nl": ("Nederlands", "nl", False)}


@pytest.mark.django_db
def test_switcher_brings_back_the_same_page_with_its_query_in_the_other_language(client):
    page = client.get("/accounts/login/?next=/me/")
    assert switcher_of(page)["next"] == "/accounts/login/?next=/me/"

    response = client.post(SWITCH, {"language": "nl", "next": switcher_of(page)["next"]})

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/me/")
    again = client.get(response["Location"])
    assert language_of(again) == "nl"
    assert switcher_of(again)["buttons"]["nl"] == ("Nederlands", "nl", True)


@pytest.mark.django_db
def test_switcher_never_sends_a_visitor_to_another_site(client):
    response = client.post(SWITCH, {"language": "nl", "next": "https://evil.example/"})

    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.mark.django_db
def test_switcher_ignores_a_language_the_portal_does_not_offer(client, catalogue):
    client.post(SWITCH, {"language": "fr", "next": "/programmes/"})

    assert language_of(client.get("/programmes/")) == "en"


@pytest.mark.django_db
def test_switching_is_a_post(client):
    assert client.get(f"{SWITCH}?language=nl&next=/").status_code == 405


# --- a visitor's choice --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_visitors_choice_is_kept_in_a_cookie_for_a_year_that_no_script_reads(client, catalogue):
    response = client.post(SWITCH, {"language": "nl", "next": "/programmes/"})

    cookie = response.cookies[COOKIE]
    assert (cookie.value, cookie["max-age"], cookie["httponly"], cookie["samesite"]) == ("nl", 31536000, True, "Lax")
    assert language_of(client.get("/programmes/")) == "nl"
    assert language_of(client.get("/privacy/")) == "nl"


@pytest.mark.django_db
def test_a_visitors_form_needs_no_csrf_token_as_cached_pages_carry_none(catalogue):
    visitor = Client(REMOTE_ADDR=random_ip(), enforce_csrf_checks=True)
    page = visitor.get("/programmes/")

    response = visitor.post(SWITCH, {"language": "nl", "next": "/programmes/"})

    assert switcher_of(page)["csrf"] is False
    assert (response.status_code, response.cookies[COOKIE].value) == (302, "nl")


@pytest.mark.django_db
def test_a_first_visit_follows_the_browsers_languages(catalogue):
    dutch = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5")
    english = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    other = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert [language_of(c.get("/programmes/")) for c in (dutch, english, other)] == ["nl", "en", "en"]


@pytest.mark.django_db
def test_the_cookie_wins_over_the_browsers_languages(catalogue):
    dutch_browser = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="nl")

    dutch_browser.post(SWITCH, {"language": "en", "next": "/programmes/"})

    assert language_of(dutch_browser.get("/programmes/")) == "en"


# --- the cached catalogue ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cached_catalogue_never_shows_one_readers_language_to_another(catalogue, rotation):
    english, dutch = Client(REMOTE_ADDR=random_ip()), Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="nl")
    url = reverse("placements:programme_detail", args=[rotation.slug])

    pages = [english.get(url), dutch.get(url), english.get(url), dutch.get(url)]

    assert [language_of(page) for page in pages] == ["en", "nl", "en", "nl"]
    assert pages[2].content == pages[0].content and pages[3].content == pages[1].content
    assert {tuple(sorted(p["Vary"].replace(" ", "").split(","))) for p in pages} == {("Accept-Language", "Cookie")}


@pytest.mark.django_db
def test_the_cached_catalogue_follows_a_switch_at_once(client, catalogue):
    assert language_of(client.get("/programmes/")) == "en"

    client.post(SWITCH, {"language": "nl", "next": "/programmes/"})
    dutch = client.get("/programmes/")
    client.post(SWITCH, {"language": "en", "next": "/programmes/"})

    assert [language_of(dutch), language_of(client.get("/programmes/"))] == ["nl", "en"]


# --- a signed-in person's choice -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_in_persons_choice_is_saved_on_the_account_and_back_at_the_next_sign_in(ada, catalogue):
    browser = Client(REMOTE_ADDR=random_ip())
    sign_in(browser, ada.email)
    page = browser.get("/programmes/")
    assert switcher_of(page)["csrf"] is True

    browser.post(SWITCH, {"language": "nl", "next": "/programmes/"})

    ada.refresh_from_db()
    assert ada.language == "nl"
    assert language_of(browser.get("/me/")) == "nl"
    elsewhere = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="en")  # another browser, in English
    assert language_of(elsewhere.get("/programmes/")) == "en"
    response = sign_in(elsewhere, ada.email)
    assert response.cookies[COOKIE].value == "nl"
    assert language_of(elsewhere.get("/me/")) == "nl"
    elsewhere.post(reverse("account_logout"))
    assert language_of(elsewhere.get("/programmes/")) == "nl"


@pytest.mark.django_db
def test_a_signed_in_persons_switch_is_checked_for_csrf(ada):
    browser = Client(REMOTE_ADDR=random_ip(), enforce_csrf_checks=True)
    browser.force_login(ada)

    response = browser.post(SWITCH, {"language": "nl", "next": "/me/"})

    ada.refresh_from_db()
    assert (response.status_code, ada.language) == (403, "en")


@pytest.mark.django_db
def test_while_signed_in_the_accounts_language_is_in_force_whatever_the_browser_says(db):
    bram = UserFactory(email=unique_email("bram"), language="nl")
    browser = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(bram)

    response = browser.get("/me/")

    assert language_of(response) == "nl"
    assert response.cookies[COOKIE].value == "nl"


@pytest.mark.django_db
def test_an_account_without_a_chosen_language_follows_the_browser_until_its_owner_chooses(db):
    dirk = UserFactory(email=unique_email("dirk"))
    assert dirk.language == ""
    dutch = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5")
    english = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    response = sign_in(dutch, dirk.email)
    assert COOKIE not in response.cookies
    assert language_of(dutch.get("/me/")) == "nl"
    sign_in(english, dirk.email)
    assert language_of(english.get("/me/")) == "en"

    dutch.post(SWITCH, {"language": "nl", "next": "/me/"})
    dirk.refresh_from_db()
    assert dirk.language == "nl"
    assert language_of(english.get("/me/")) == "nl"


@pytest.mark.django_db
def test_a_language_saved_on_the_profile_shows_on_the_next_page(ada):
    browser = Client(REMOTE_ADDR=random_ip())
    browser.force_login(ada)
    assert language_of(browser.get("/me/profile/")) == "en"

    ada.language = "nl"
    ada.save(update_fields=["language"])  # as the profile form does

    assert language_of(browser.get("/me/profile/")) == "nl"


@pytest.mark.django_db
def test_a_new_account_starts_in_the_language_of_its_sign_up_page(db):
    email = unique_email("new")
    visitor = Client(REMOTE_ADDR=random_ip(), HTTP_ACCEPT_LANGUAGE="nl")

    visitor.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})

    assert UserFactory._meta.model.objects.get(email=email).language == "nl"


@pytest.mark.django_db
def test_a_staff_member_without_an_authenticator_app_may_still_switch(db):
    coordinator = UserFactory(email=unique_email("coordinator"), is_staff=True)
    browser = Client(REMOTE_ADDR=random_ip())
    browser.force_login(coordinator)

    response = browser.post(SWITCH, {"language": "nl", "next": reverse("mfa_activate_totp")})

    coordinator.refresh_from_db()
    assert (response.status_code, response["Location"], coordinator.language) == (
        302,
        reverse("mfa_activate_totp"),
        "nl",
    )


@pytest.mark.django_db
def test_switcher_leaves_out_a_next_page_on_another_site(client):
    page = client.get("/accounts/login/?next=https://evil.example/&x=1")

    assert switcher_of(page)["next"] == "/accounts/login/?x=1"
