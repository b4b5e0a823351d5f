"""Accounts: registering, confirming the address, signing in and out, resetting a password; the profile.

Personas:
- ada: a registered applicant whose address is confirmed; signs in with ada's e-mail and PASSWORD.
- a visitor: anyone without an account; may register, sign in and ask for a password reset.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from applicants.enums import EnglishLevel, StudyPhase
from applicants.models import ApplicantProfile
from portal.accounts import has_verified_email
from tests.factories import PASSWORD, UserFactory, unique_email
from tests.web import random_ip

User = get_user_model()
BRAND = '<a class="navbar-brand fw-semibold" href="/">Placement portal</a>'
PROFILE_URL = "/me/profile/"


def link_in(message, path_prefix: str) -> str:
    """The path of the one link in an e-mail body that starts with `path_prefix`."""
    urls = re.findall(r"https?://\S+", message.body)
    paths = [urlsplit(url).path for url in urls if urlsplit(url).path.startswith(path_prefix)]
    assert len(paths) == 1, message.body
    return paths[0]


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=random_ip())


@pytest.fixture
def ada(db):
    return UserFactory(email=unique_email("ada"), first_name="Ada", last_name="Peeters")


def profile_data(**overrides) -> dict:
    data = {
        "first_name": "Ada",
        "last_name": "Peeters",
        "language": "nl",
        "nationality": "Belgian",
        "home_institution": "KU Leuven",
        "study_phase": StudyPhase.MASTER,
        "degree": "Master of Medical Physics",
        "english_level": EnglishLevel.C1,
        "phone": "+32 16 33 22 11",
    }
    return data | overrides


# --- registering and confirming the address ---------------------------------------------------


@pytest.mark.django_db
def test_signup_sends_a_link_that_confirms_the_address_and_signs_in(client):
    email = unique_email("new")

    response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})

    # Nobody is signed in before confirming: a sign-up with a registered address looks the same.
    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email=email)
    assert has_verified_email(user) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject == "[Placement portal] Confirm your e-mail address"
    assert message.body.rstrip().endswith("The placement portal")
    confirm_path = link_in(message, "/accounts/confirm-email/")

    page = client.get(confirm_path)

    assert page.status_code == 200
    assert BRAND in page.content.decode()
    assert "Confirm my address" in page.content.decode()
    assert has_verified_email(user) is False  # opening the link alone confirms nothing

    confirmed = client.post(confirm_path)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user, email=email).verified is True
    assert has_verified_email(user) is True
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_sign_in_before_confirming_asks_to_confirm_the_address_first(client):
    email = unique_email("hasty")
    client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})

    response = Client(REMOTE_ADDR=random_ip()).post(reverse("account_login"), {"login": email, "password": PASSWORD})

    # The link sent at sign-up is still good: no second one within allauth's few minutes of cooldown.
    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    assert [m.subject for m in mail.outbox] == ["[Placement portal] Confirm your e-mail address"]


@pytest.mark.django_db
def test_confirmation_link_with_unknown_key_explains_and_offers_a_new_one(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "This confirmation link has expired or is not valid." in html
    assert BRAND in html


@pytest.mark.django_db
def test_signup_refuses_mismatched_passwords_and_keeps_the_address(client):
    email = unique_email("typo")

    response = client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD + "x"}
    )

    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert f'value="{email}"' in response.content.decode()
    assert not User.objects.filter(email=email).exists()
    assert mail.outbox == []


# --- nothing tells whether an address has an account -------------------------------------------


def as_anyone(response, email: str) -> tuple:
    """What a visitor learns from `response`: the status, where it sends them and the page, with the
    address they typed and the form's CSRF token (different on every page) taken out."""
    html = response.content.decode().replace(email, "<address>")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="<token>"', html)
    return response.status_code, response.get("Location"), html


def answer_and_page(path: str, data: dict, email: str) -> list[tuple]:
    """The answer to posting `data` to `path` from a new computer, and the page it leads to."""
    visitor = Client(REMOTE_ADDR=random_ip())
    answer = visitor.post(path, data)
    answers = [as_anyone(answer, email)]
    if answer.status_code == 302:
        answers.append(as_anyone(visitor.get(answer["Location"]), email))
    return answers


@pytest.mark.django_db
def test_signup_with_a_registered_address_answers_as_for_a_new_one(ada):
    new = unique_email("newcomer")
    signup = reverse("account_signup")

    registered = answer_and_page(signup, {"email": ada.email, "password1": PASSWORD, "password2": PASSWORD}, ada.email)
    unknown = answer_and_page(signup, {"email": new, "password1": PASSWORD, "password2": PASSWORD}, new)

    assert registered == unknown
    assert registered[0][:2] == (302, reverse("account_email_verification_sent"))
    assert User.objects.filter(email__iexact=ada.email).count() == 1


@pytest.mark.django_db
def test_signup_with_a_registered_address_mails_its_owner_a_link_to_reset_the_password(client, ada):
    client.post(
        reverse("account_signup"), {"email": ada.email, "password1": "Other-Pass-2029", "password2": "Other-Pass-2029"}
    )

    assert [(m.to, m.subject) for m in mail.outbox] == [([ada.email], "[Placement portal] You already have an account")]
    assert "tried to register this address" in mail.outbox[0].body
    assert link_in(mail.outbox[0], "/accounts/password/reset/") == reverse("account_reset_password")
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD) is True
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_answers_alike_for_a_registered_and_an_unknown_address(ada):
    unknown = unique_email("nobody")
    login = reverse("account_login")

    registered = answer_and_page(login, {"login": ada.email, "password": "not-the-password"}, ada.email)
    stranger = answer_and_page(login, {"login": unknown, "password": "not-the-password"}, unknown)

    assert registered == stranger
    assert registered[0][0] == 200


@pytest.mark.django_db
def test_password_reset_answers_alike_for_a_registered_and_an_unknown_address(ada):
    unknown = unique_email("nobody")
    reset = reverse("account_reset_password")

    registered = answer_and_page(reset, {"email": ada.email}, ada.email)
    stranger = answer_and_page(reset, {"email": unknown}, unknown)

    assert registered == stranger
    assert registered[0][:2] == (302, reverse("account_reset_password_done"))


# --- has_verified_email ----------------------------------------------------------------------


@pytest.mark.django_db
def test_has_verified_email_is_false_for_an_anonymous_visitor(client):
    from django.contrib.auth.models import AnonymousUser

    assert has_verified_email(AnonymousUser()) is False
    assert has_verified_email(None) is False


@pytest.mark.django_db
def test_has_verified_email_needs_the_login_address_itself_confirmed(ada):
    EmailAddress.objects.filter(user=ada).update(verified=False)
    EmailAddress.objects.create(user=ada, email=unique_email("other"), primary=False, verified=True)

    assert has_verified_email(ada) is False


@pytest.mark.django_db
def test_has_verified_email_is_true_for_a_confirmed_login_address(ada):
    assert has_verified_email(ada) is True


# --- signing in and out ------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_with_email_and_password_goes_to_the_dashboard(client, ada):
    response = client.post(reverse("account_login"), {"login": ada.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("applicants:dashboard")
    assert client.session["_auth_user_id"] == str(ada.pk)


@pytest.mark.django_db
def test_login_with_wrong_password_shows_an_error_and_keeps_the_address(client, ada):
    response = client.post(reverse("account_login"), {"login": ada.email, "password": "not-the-password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "The email address and/or password you specified are not correct." in html
    assert f'value="{ada.email}"' in html
    assert BRAND in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_page_asks_and_only_a_post_signs_out(client, ada):
    client.force_login(ada)

    page = client.get(reverse("account_logout"))

    assert page.status_code == 200
    assert 'method="post" action="/accounts/logout/"' in page.content.decode()
    assert client.session["_auth_user_id"] == str(ada.pk)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- password reset ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_mail_links_to_a_form_that_sets_a_new_password(client, ada):
    new_password = "Radiotherapy-Rota-2028"

    response = client.post(reverse("account_reset_password"), {"email": ada.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ada.email]
    assert message.subject == "[Placement portal] Choose a new password"
    assert message.body.rstrip().endswith("The placement portal")
    key_path = link_in(message, "/accounts/password/reset/key/")

    # The key moves from the URL into the session, so it does not leak through the Referer header.
    opened = client.get(key_path)
    assert opened.status_code == 302
    form_page = client.get(opened["Location"])
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    assert BRAND in form_page.content.decode()

    done = client.post(opened["Location"], {"password1": new_password, "password2": new_password})

    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    ada.refresh_from_db()
    assert ada.check_password(new_password) is True
    assert ada.check_password(PASSWORD) is False


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same_and_invites_to_register(client):
    email = unique_email("stranger")

    response = client.post(reverse("account_reset_password"), {"email": email})

    # The page does not tell whether the address has an account; only its owner learns that.
    assert response["Location"] == reverse("account_reset_password_done")
    assert [m.to for m in mail.outbox] == [[email]]
    assert mail.outbox[0].subject == "[Placement portal] No account with this address"
    assert link_in(mail.outbox[0], "/accounts/signup/") == "/accounts/signup/"


@pytest.mark.django_db
def test_password_reset_link_that_was_tampered_with_is_refused(client, ada):
    client.post(reverse("account_reset_password"), {"email": ada.email})
    key_path = link_in(mail.outbox[0], "/accounts/password/reset/key/")

    response = client.get(key_path.rstrip("/") + "x/")

    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


# --- every account page wears the portal's layout -----------------------------------------------

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
SIGNED_IN_PAGES = ["account_email", "account_change_password", "account_logout"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_account_page_renders_inside_the_portal_layout_for_a_visitor(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert BRAND in html
    assert html.count("<h1") == 1
    assert "Menu:" not in html  # allauth's bare default layout
    assert "<script>" not in html  # a Content-Security-Policy will refuse inline scripts


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_account_page_renders_inside_the_portal_layout_for_ada(client, ada, url_name):
    client.force_login(ada)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert BRAND in html
    assert html.count("<h1") == 1
    assert "Menu:" not in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_email_page_shows_whether_the_address_is_confirmed(client, ada):
    client.force_login(ada)

    html = client.get(reverse("account_email")).content.decode()

    assert ada.email in html
    assert '<span class="badge text-bg-success">Confirmed</span>' in html


# --- applicant profile -------------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_asks_a_visitor_to_sign_in_first(client):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={PROFILE_URL}"


@pytest.mark.django_db
def test_profile_first_save_creates_it_and_shows_the_values_again(client, ada):
    client.force_login(ada)
    assert client.get(PROFILE_URL).status_code == 200

    response = client.post(PROFILE_URL, profile_data(first_name="Adaline"))

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    profile = ApplicantProfile.objects.get(user=ada)
    assert profile.nationality == "Belgian"
    assert profile.study_phase == StudyPhase.MASTER
    ada.refresh_from_db()
    assert (ada.first_name, ada.last_name, ada.language) == ("Adaline", "Peeters", "nl")
    page = client.get(PROFILE_URL)
    html = page.content.decode()
    assert "Your profile is saved." in html
    assert 'value="Adaline"' in html
    assert 'value="KU Leuven"' in html
    assert 'value="+32 16 33 22 11"' in html
    assert '<option value="master" selected>' in html
    assert '<option value="nl" selected>' in html


@pytest.mark.django_db
def test_profile_second_save_updates_the_same_profile(client, ada):
    client.force_login(ada)
    client.post(PROFILE_URL, profile_data())

    client.post(PROFILE_URL, profile_data(home_institution="UMCG", english_level=EnglishLevel.NATIVE))

    profile = ApplicantProfile.objects.get(user=ada)
    assert (profile.home_institution, profile.english_level) == ("UMCG", EnglishLevel.NATIVE)
    assert ApplicantProfile.objects.filter(user=ada).count() == 1


@pytest.mark.django_db
def test_profile_with_missing_fields_is_not_saved_and_keeps_the_input(client, ada):
    client.force_login(ada)

    response = client.post(PROFILE_URL, profile_data(nationality="", first_name=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your profile is not saved yet" in html
    assert html.count("This field is required.") == 4  # in the error summary at the top, and at each field
    assert 'href="#id_nationality">Nationality: This field is required.' in html
    assert 'value="KU Leuven"' in html
    assert not ApplicantProfile.objects.filter(user=ada).exists()


@pytest.mark.django_db
def test_profile_returns_to_a_next_page_on_this_site(client, ada):
    client.force_login(ada)

    response = client.post(f"{PROFILE_URL}?next=/programmes/", profile_data())

    assert response.status_code == 302
    assert response["Location"] == "/programmes/"


@pytest.mark.django_db
def test_profile_ignores_a_next_page_on_another_site(client, ada):
    client.force_login(ada)

    page = client.get(f"{PROFILE_URL}?next=https://evil.example/")
    response = client.post(PROFILE_URL, profile_data(next="https://evil.example/"))

    assert "evil.example" not in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL


@pytest.mark.django_db
def test_navigation_links_an_applicant_to_the_profile_but_not_staff(client, ada):
    coordinator = UserFactory(email=unique_email("coordinator"), is_staff=True)
    client.force_login(ada)
    applicant_html = client.get("/programmes/").content.decode()
    client.force_login(coordinator)
    staff_html = client.get("/programmes/").content.decode()

    assert f'href="{PROFILE_URL}">My profile</a>' in applicant_html
    assert "My profile" not in staff_html
