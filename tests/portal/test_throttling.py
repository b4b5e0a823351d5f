"""Login throttling: five failed sign-ins for one address from one IP pause that pair for
15 minutes; other places and other addresses go on signing in; a password reset or the end of the
wait lets the owner back in.

Personas:
- ada: an applicant with a confirmed address who signs in with PASSWORD.
- mallory: someone at one IP address (a client of its own) guessing ada's password.
"""

import logging
import re
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, unique_email
from tests.web import random_ip

pytestmark = pytest.mark.usefixtures("no_earlier_attempts")
LOCKOUT_TEXT = "Too many failed sign-ins. Try again in 15 minutes or reset your password."
BRAND = '<a class="navbar-brand fw-semibold" href="/">Placement portal</a>'
LOGIN_URL = "/accounts/login/"


@pytest.fixture
def ada(db):
    return UserFactory(email=unique_email("ada"))


@pytest.fixture
def mallory():
    return Client(REMOTE_ADDR=random_ip())


def sign_in(client: Client, login: str, password: str):
    return client.post(LOGIN_URL, {"login": login, "password": password})


def fail_five_times(client: Client, login: str) -> list[int]:
    return [sign_in(client, login, f"guess-{n}").status_code for n in range(5)]


@pytest.mark.django_db
def test_fifth_wrong_password_locks_the_address_at_that_ip_even_for_the_right_password(mallory, ada):
    statuses = fail_five_times(mallory, ada.email)

    # The first four show the form again with its error; the fifth failure reaches the limit.
    assert statuses == [200, 200, 200, 200, 429]

    response = sign_in(mallory, ada.email, PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKOUT_TEXT in html
    assert BRAND in html
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in mallory.session


@pytest.mark.django_db
def test_four_wrong_passwords_do_not_lock(mallory, ada):
    for n in range(4):
        sign_in(mallory, ada.email, f"guess-{n}")

    response = sign_in(mallory, ada.email, PASSWORD)

    assert response.status_code == 302
    assert mallory.session["_auth_user_id"] == str(ada.pk)


@pytest.mark.django_db
def test_a_success_clears_the_count(mallory, ada):
    for n in range(4):
        sign_in(mallory, ada.email, f"guess-{n}")
    sign_in(mallory, ada.email, PASSWORD)
    mallory.logout()

    statuses = [sign_in(mallory, ada.email, f"again-{n}").status_code for n in range(4)]

    assert statuses == [200, 200, 200, 200]


@pytest.mark.django_db
def test_the_address_is_counted_whatever_its_case(mallory, ada):
    logins = [ada.email.upper(), ada.email, f"  {ada.email.title()} ", ada.email.upper(), ada.email]

    statuses = [sign_in(mallory, login, "wrong").status_code for login in logins]

    assert statuses == [200, 200, 200, 200, 429]


@pytest.mark.django_db
def test_lockout_leaves_the_same_address_free_at_another_ip(mallory, ada):
    fail_five_times(mallory, ada.email)
    ada_at_home = Client(REMOTE_ADDR=random_ip())

    response = sign_in(ada_at_home, ada.email, PASSWORD)

    assert response.status_code == 302
    assert ada_at_home.session["_auth_user_id"] == str(ada.pk)


@pytest.mark.django_db
def test_lockout_leaves_another_address_free_at_the_same_ip(mallory, ada):
    colleague = UserFactory(email=unique_email("colleague"))
    fail_five_times(mallory, ada.email)

    response = sign_in(mallory, colleague.email, PASSWORD)

    assert response.status_code == 302
    assert mallory.session["_auth_user_id"] == str(colleague.pk)


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(mallory, ada):
    fail_five_times(mallory, ada.email)
    assert sign_in(mallory, ada.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))

    response = sign_in(mallory, ada.email, PASSWORD)

    assert response.status_code == 302
    assert mallory.session["_auth_user_id"] == str(ada.pk)


@pytest.mark.django_db
def test_lockout_is_still_on_just_before_the_cool_off_ends(mallory, ada):
    fail_five_times(mallory, ada.email)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))

    assert sign_in(mallory, ada.email, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_password_reset_lets_the_owner_back_in_at_once(ada):
    client = Client(REMOTE_ADDR=random_ip())
    fail_five_times(client, ada.email)
    new_password = "Radiotherapy-Rota-2028"

    client.post(reverse("account_reset_password"), {"email": ada.email})
    (url,) = [u for u in re.findall(r"https?://\S+", mail.outbox[-1].body) if "/password/reset/key/" in u]
    form_url = client.get(urlsplit(url).path)["Location"]
    client.post(form_url, {"password1": new_password, "password2": new_password})
    response = sign_in(client, ada.email, new_password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ada.pk)
    assert AccessAttempt.objects.count() == 0


@pytest.mark.django_db
def test_lockout_is_logged_with_the_address_and_ip(mallory, ada, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")

    fail_five_times(mallory, ada.email)

    ip = mallory.defaults["REMOTE_ADDR"]
    records = Counter((r.levelname, r.getMessage()) for r in caplog.records if r.name == "portal.security")
    assert records == {
        ("WARNING", f"login_failed user_id=- login={ada.email} ip={ip}"): 5,
        ("WARNING", f"login_locked_out user_id=- login={ada.email} ip={ip}"): 1,
    }
