"""Where signing in lands: coordinators and admins in the staff area, a staff member without a
programme in the admin, applicants on their dashboard; a safe `next` wins over all of these.

Personas (tests/conftest.py): alice, an applicant; carol, coordinator of the rotation programme;
root, a superuser. stella is a staff member who coordinates nothing. Staff sign in with the code of
their authenticator app after the password.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_staff
from tests.totp import totp_code, totp_secret
from tests.web import random_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_earlier_attempts")]
AUTHENTICATE_URL = reverse("mfa_authenticate")


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=random_ip())


@pytest.fixture
def stella(db):
    return make_staff("stella", is_staff=True)


def sign_in(client, user, *, next_url: str | None = None):
    """The answer to the last step of signing in: the password, then the code for staff."""
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    if response.get("Location") == AUTHENTICATE_URL:
        response = client.post(AUTHENTICATE_URL, {"code": totp_code(totp_secret(user))})
    assert client.session["_auth_user_id"] == str(user.pk)
    return response


def test_applicant_lands_on_their_dashboard(client, alice):
    response = sign_in(client, alice)

    assert (response.status_code, response["Location"]) == (302, reverse("applicants:dashboard"))


@pytest.mark.parametrize("persona", ["carol", "root"])
def test_coordinator_and_admin_land_in_the_staff_area(client, request, persona):
    response = sign_in(client, request.getfixturevalue(persona))

    assert (response.status_code, response["Location"]) == (302, reverse("staff:home"))
    assert client.get(response["Location"])["Location"] == reverse("staff:queue")


def test_staff_member_without_a_programme_lands_in_the_admin(client, stella):
    response = sign_in(client, stella)

    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_a_safe_next_wins(client, request, persona, rotation):
    page = rotation.get_absolute_url()

    response = sign_in(client, request.getfixturevalue(persona), next_url=page)

    assert response["Location"] == page


@pytest.mark.parametrize(("persona", "landing"), [("alice", "applicants:dashboard"), ("carol", "staff:home")])
def test_a_next_to_another_site_is_ignored(client, request, persona, landing):
    response = sign_in(client, request.getfixturevalue(persona), next_url="https://evil.example/")

    assert response["Location"] == reverse(landing)
