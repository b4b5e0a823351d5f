"""Two-factor authentication: staff, admins and programme coordinators must set up an authenticator
app before anything else, then sign in with a code; applicants are never asked.

Personas:
- ada: an applicant; never asked for a code.
- carl: coordinates a programme (not Django staff); must use an authenticator app.
- stella: a staff member; must use one too.
- root: a superuser; must use one too.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from portal.security.roles import ROLE_SESSION_KEY
from tests.factories import PASSWORD, ProgrammeFactory, UserFactory, unique_email
from tests.totp import give_totp, totp_code
from tests.web import random_ip

BRAND = '<a class="navbar-brand fw-semibold" href="/">Placement portal</a>'
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
AUTHENTICATE_URL = "/accounts/2fa/authenticate/"
REAUTHENTICATE_URL = "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
REQUIRED_MESSAGE = "Your account can see applicants&#x27; personal data, so it needs two-factor authentication."
ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.usefixtures("no_earlier_attempts")
PAGES = ["home", "placements:programme_list", "applicants:dashboard", "applicants:profile", "admin:index"]


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=random_ip())


@pytest.fixture
def ada(db):
    return UserFactory(email=unique_email("ada"))


@pytest.fixture
def carl(db):
    user = UserFactory(email=unique_email("carl"))
    ProgrammeFactory().coordinators.add(user)
    return user


@pytest.fixture
def stella(db):
    return UserFactory(email=unique_email("stella"), is_staff=True)


@pytest.fixture
def root(db):
    return UserFactory(email=unique_email("root"), is_staff=True, is_superuser=True)


def sign_in(client: Client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def confirm_password(client: Client):
    # allauth asks for the password again before any change to how one signs in.
    return client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


# --- staff without an authenticator app ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["carl", "stella", "root"])
@pytest.mark.parametrize("url_name", PAGES)
def test_staff_without_an_app_is_sent_to_set_one_up(client, request, persona, url_name):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL


@pytest.mark.django_db
def test_set_up_page_says_why(client, carl):
    client.force_login(carl)

    page = client.get(reverse("placements:programme_list"), follow=True)

    assert page.redirect_chain == [(ACTIVATE_URL, 302), (REAUTHENTICATE_URL, 302)]
    html = page.content.decode()
    assert REQUIRED_MESSAGE in html
    assert "Before changing how you sign in, enter your password again." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["account_logout", "mfa_index", "account_reauthenticate", "account_email", "healthz"]
)
def test_staff_without_an_app_may_still_set_it_up_or_sign_out(client, carl, url_name):
    client.force_login(carl)

    response = client.get(reverse(url_name))

    assert response.status_code in {200, 503}  # the health check may report a missing worker


@pytest.mark.django_db
def test_static_files_are_not_redirected(client, carl):
    client.force_login(carl)

    response = client.get("/static/css/portal.css")

    assert response.status_code == 200


@pytest.mark.django_db
def test_htmx_request_is_told_to_go_to_the_set_up_page(client, carl):
    client.force_login(carl)

    response = client.get(reverse("placements:programme_list"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == ACTIVATE_URL


@pytest.mark.django_db
def test_applicant_appointed_coordinator_is_asked_within_minutes(client, ada):
    client.force_login(ada)
    assert client.get(reverse("placements:programme_list")).status_code == 200
    ProgrammeFactory().coordinators.add(ada)
    session = client.session
    session[ROLE_SESSION_KEY] = {**session[ROLE_SESSION_KEY], "checked": 0}  # the kept answer is old
    session.save()

    response = client.get(reverse("placements:programme_list"))

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL


@pytest.mark.django_db
def test_nothing_is_required_when_the_setting_is_off(client, carl, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(carl)

    assert client.get(reverse("placements:programme_list")).status_code == 200


# --- setting up the app ----------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinator_sets_up_the_app_after_signing_in_and_then_reaches_pages(
    client, carl, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="portal.security")
    signed_in = sign_in(client, carl)
    assert signed_in.status_code == 302
    assert client.get(signed_in["Location"])["Location"] == ACTIVATE_URL
    assert client.get(ACTIVATE_URL)["Location"] == REAUTHENTICATE_URL
    assert client.post(REAUTHENTICATE_URL, {"password": PASSWORD})["Location"] == ACTIVATE_URL

    page = client.get(ACTIVATE_URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "img-src 'self' data:" in page["Content-Security-Policy"]
    secret = client.session["mfa.totp.secret"]
    assert f'value="{secret}"' in html

    with django_capture_on_commit_callbacks(execute=True):  # allauth announces the new app on commit
        activated = client.post(ACTIVATE_URL, {"code": totp_code(secret)})

    assert activated.status_code == 302
    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=carl, type=Authenticator.Type.TOTP).count() == 1
    codes = client.get(activated["Location"])
    assert codes.status_code == 200
    assert "10 of 10 codes unused" in codes.content.decode()
    assert client.get(reverse("placements:programme_list")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302  # not staff: the admin's own refusal
    assert f"mfa_activated user_id={carl.pk} ip={client.defaults['REMOTE_ADDR']} type=totp" in caplog.messages


@pytest.mark.django_db
def test_wrong_code_does_not_activate_the_app(client, carl):
    sign_in(client, carl)
    confirm_password(client)
    client.get(ACTIVATE_URL)
    secret = client.session["mfa.totp.secret"]

    response = client.post(ACTIVATE_URL, {"code": "000000" if totp_code(secret) != "000000" else "111111"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=carl).exists()


@pytest.mark.django_db
def test_set_up_asks_for_the_password_again_first(client, carl):
    client.force_login(carl)

    response = client.get(ACTIVATE_URL)

    assert response.status_code == 302
    assert response["Location"] == REAUTHENTICATE_URL
    page = client.get(REAUTHENTICATE_URL)
    assert page.status_code == 200
    assert "Confirm it is you" in page.content.decode()
    wrong = client.post(REAUTHENTICATE_URL, {"password": "not-the-password"})
    assert wrong.status_code == 200
    confirmed = client.post(REAUTHENTICATE_URL, {"password": PASSWORD})
    assert confirmed["Location"] == ACTIVATE_URL
    assert client.get(ACTIVATE_URL).status_code == 200


@pytest.mark.django_db
def test_coordinator_cannot_turn_the_app_off(client, carl):
    secret = give_totp(carl)
    sign_in(client, carl)
    client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    confirm_password(client)

    page = client.get(reverse("mfa_deactivate_totp"))
    client.post(reverse("mfa_deactivate_totp"))

    assert "its authenticator app cannot be removed" in page.content.decode()
    assert Authenticator.objects.filter(user=carl, type=Authenticator.Type.TOTP).exists()


# --- signing in with the app -------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_with_the_app_asks_for_the_code_after_the_password(client, carl, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    secret = give_totp(carl)

    after_password = sign_in(client, carl)

    assert after_password.status_code == 302
    assert after_password["Location"] == AUTHENTICATE_URL
    assert "_auth_user_id" not in client.session
    page = client.get(AUTHENTICATE_URL)
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()

    wrong = client.post(AUTHENTICATE_URL, {"code": "999999" if totp_code(secret) != "999999" else "888888"})

    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    assert f"mfa_code_refused user_id={carl.pk} ip={client.defaults['REMOTE_ADDR']}" in caplog.messages

    right = client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})

    assert right.status_code == 302
    assert right["Location"] == reverse("staff:home")
    assert client.session["_auth_user_id"] == str(carl.pk)
    assert client.get(reverse("placements:programme_list")).status_code == 200
    assert client.get(reverse("applicants:profile")).status_code == 200


@pytest.mark.django_db
def test_a_code_works_only_once(client, carl):
    secret = give_totp(carl)
    code = totp_code(secret)
    sign_in(client, carl)
    client.post(AUTHENTICATE_URL, {"code": code})
    client.logout()
    sign_in(client, carl)

    replay = client.post(AUTHENTICATE_URL, {"code": code})

    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_guessing_codes_stops_after_five_wrong_ones(client, carl):
    secret = give_totp(carl)
    sign_in(client, carl)
    wrong = "999999" if totp_code(secret) != "999999" else "888888"
    for _ in range(5):
        client.post(AUTHENTICATE_URL, {"code": wrong})

    response = client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_signs_in_through_the_portal_with_the_code(client, root):
    secret = give_totp(root)

    admin_login = client.get("/admin/login/?next=/admin/")

    assert admin_login.status_code == 302
    assert admin_login["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    after_password = client.post(admin_login["Location"], {"login": root.email, "password": PASSWORD})
    assert after_password["Location"] == AUTHENTICATE_URL
    after_code = client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    assert after_code["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_applicant_is_never_asked_for_a_code(client, ada):
    signed_in = sign_in(client, ada)

    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("applicants:dashboard")
    assert client.session["_auth_user_id"] == str(ada.pk)
    for url_name in ["placements:programme_list", "applicants:dashboard", "applicants:profile"]:
        assert client.get(reverse(url_name)).status_code == 200, url_name


# --- the pages wear the portal's layout ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_activate_totp"])
def test_set_up_pages_render_inside_the_portal_layout(client, carl, url_name):
    sign_in(client, carl)
    confirm_password(client)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert BRAND in html
    assert html.count("<h1") == 1
    assert "<script>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"])
def test_pages_for_an_active_app_render_inside_the_portal_layout(client, carl, url_name):
    secret = give_totp(carl)
    sign_in(client, carl)
    client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    confirm_password(client)
    client.post(reverse("mfa_generate_recovery_codes"))

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert BRAND in html
    assert html.count("<h1") == 1
    assert "<script>" not in html


@pytest.mark.django_db
def test_code_page_renders_inside_the_portal_layout(client, carl):
    give_totp(carl)
    sign_in(client, carl)

    html = client.get(AUTHENTICATE_URL).content.decode()

    assert BRAND in html
    assert html.count("<h1") == 1
    assert "<script>" not in html


# --- the default of the setting ---------------------------------------------------------------


@pytest.mark.parametrize(("debug", "expected"), [("true", "False"), ("false", "True")])
def test_required_by_default_except_in_debug_mode(tmp_path, debug, expected):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": debug,
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "placements.example.org",
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.MFA_REQUIRED_FOR_STAFF)"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert (result.returncode, result.stdout.strip()) == (0, expected), result.stderr


# --- the admin ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_sees_an_authenticator_but_not_its_secret(client, root, carl):
    give_totp(root)
    secret = give_totp(carl)
    client.force_login(root)
    authenticator = Authenticator.objects.get(user=carl)

    page = client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))

    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert authenticator.data["secret"] not in page.content.decode()


@pytest.mark.django_db
def test_admin_removes_a_lost_authenticator_and_it_is_logged(client, root, carl, caplog):
    give_totp(root)
    give_totp(carl)
    client.force_login(root)
    authenticator = Authenticator.objects.get(user=carl)
    caplog.set_level(logging.INFO, logger="portal.security")

    response = client.post(reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=carl).exists()
    assert (
        f"mfa_removed_by_admin user_id={carl.pk} ip={client.defaults['REMOTE_ADDR']} type=totp by_user_id={root.pk}"
        in caplog.messages
    )
