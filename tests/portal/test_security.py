"""Deployment security: the Content-Security-Policy, pages kept out of caches, short staff
sessions, and the security log of sign-in events and refused requests.

Personas:
- ada: an applicant; keeps Django's two-week session.
- carl: coordinates a programme (with an authenticator app); signed out after 30 idle minutes.
- root: a superuser (with an authenticator app) who uses the admin.
"""

import logging
import re
import time

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.security.audit import log_refused
from portal.security.sessions import TOUCHED_SESSION_KEY
from tests.factories import PASSWORD, DepartmentFactory, ProgrammeFactory, UserFactory, unique_email
from tests.totp import give_totp, totp_code, totp_secret
from tests.web import random_ip

pytestmark = pytest.mark.usefixtures("no_earlier_attempts")
EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# An inline script (one without src that a browser would run) or an inline event handler.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=", re.I)


def policy_of(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


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
    give_totp(user)
    return user


@pytest.fixture
def root(db):
    user = UserFactory(email=unique_email("root"), is_staff=True, is_superuser=True)
    give_totp(user)
    return user


# --- Content-Security-Policy -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/programmes/", "/accounts/login/", "/accounts/signup/", "/admin/login/"])
def test_every_page_carries_the_policy_without_inline_scripts(client, path):
    response = client.get(path)

    assert response.status_code in {200, 302}
    assert policy_of(response) == EXPECTED_POLICY
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_admin_sign_in_is_the_portal_sign_in_under_the_same_policy(client):
    response = client.get("/admin/login/?next=/admin/", follow=True)

    assert response.redirect_chain == [("/accounts/login/?next=%2Fadmin%2F", 302)]
    assert policy_of(response) == EXPECTED_POLICY
    assert not INLINE_SCRIPT.search(response.content.decode())


@pytest.mark.django_db
def test_admin_pages_need_no_inline_script(client, root):
    department = DepartmentFactory()
    client.force_login(root)
    paths = [
        reverse("admin:index"),
        reverse("admin:placements_department_changelist"),
        reverse("admin:placements_department_change", args=[department.pk]),
        reverse("admin:placements_department_history", args=[department.pk]),
        reverse("admin:portal_user_changelist"),
        reverse("admin:mfa_authenticator_changelist"),
        reverse("admin:axes_accessattempt_changelist"),
    ]

    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy_of(response) == EXPECTED_POLICY, path
        assert not INLINE_SCRIPT.search(response.content.decode()), path


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client):
    html = client.get("/programmes/").content.decode()

    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, "allowEval": false}\'>' in html
    assert not INLINE_SCRIPT.search(html)
    assert ' style="' not in html


# --- Cache-Control ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_applicant_profile_is_never_stored(client, ada):
    client.force_login(ada)

    response = client.get("/me/profile/")

    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) >= {"no-store", "private"}


@pytest.mark.django_db
def test_admin_is_never_stored(client, root):
    client.force_login(root)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/", "/me/profile/"])
def test_account_and_private_areas_are_never_stored_even_for_visitors(client, path):
    response = client.get(path)

    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_catalogue_is_not_stored_for_a_signed_in_person_but_may_be_for_visitors(client, ada):
    visitor = client.get("/programmes/")
    client.force_login(ada)
    signed_in = client.get("/programmes/")

    assert "no-store" not in visitor.get("Cache-Control", "")
    assert set(signed_in["Cache-Control"].split(", ")) >= {"no-store", "private"}


@pytest.mark.django_db
def test_a_view_that_said_no_store_keeps_its_own_header(client):
    response = client.get("/healthz")

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


# --- idle timeout ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinator_session_ends_after_30_idle_minutes(client, carl):
    client.post(reverse("account_login"), {"login": carl.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(totp_secret(carl))})

    assert client.session["_auth_user_id"] == str(carl.pk)
    assert client.session.get_expiry_age() == 1800
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800


@pytest.mark.django_db
def test_staff_session_expiry_slides_with_requests(client, carl):
    client.force_login(carl)
    session = client.session
    session[TOUCHED_SESSION_KEY] = int(time.time()) - 120  # the last refresh was two minutes ago
    session.save()

    client.get("/programmes/")

    assert client.session.get_expiry_age() == 1800
    assert time.time() - client.session[TOUCHED_SESSION_KEY] < 5


@pytest.mark.django_db
def test_applicant_keeps_the_two_week_session(client, ada):
    client.post(reverse("account_login"), {"login": ada.email, "password": PASSWORD})
    client.get("/me/profile/")

    assert client.session["_auth_user_id"] == str(ada.pk)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 14 * 24 * 3600


@pytest.mark.django_db
def test_applicant_pages_cost_no_extra_query_for_the_security_rules(client, ada, django_assert_num_queries):
    client.force_login(ada)
    client.get("/programmes/")

    # The user (the session comes from the cache); the catalogue's own query.
    with django_assert_num_queries(2):
        client.get("/programmes/")


# --- the security log ----------------------------------------------------------------------------


def security_lines(caplog) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "portal.security"]


@pytest.mark.django_db
def test_sign_in_and_sign_out_are_logged_with_user_and_ip(client, ada, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    ip = client.defaults["REMOTE_ADDR"]

    client.post(reverse("account_login"), {"login": ada.email, "password": PASSWORD})
    client.post(reverse("account_logout"))

    assert security_lines(caplog) == [
        ("INFO", f"login_succeeded user_id={ada.pk} ip={ip}"),
        ("INFO", f"logout user_id={ada.pk} ip={ip}"),
    ]


@pytest.mark.django_db
def test_failed_sign_in_is_logged_with_the_address_tried(client, ada, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")

    client.post(reverse("account_login"), {"login": ada.email.upper(), "password": "wrong"})

    assert security_lines(caplog) == [
        ("WARNING", f"login_failed user_id=- login={ada.email} ip={client.defaults['REMOTE_ADDR']}")
    ]


@pytest.mark.django_db
def test_something_typed_in_the_address_field_that_is_no_address_is_not_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")

    client.post(reverse("account_login"), {"login": "Dosimetry-Week-2027", "password": "x"})

    assert "Dosimetry" not in caplog.text


@pytest.mark.django_db
def test_refusal_reported_by_a_view_is_logged_as_a_warning(ada, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    request = RequestFactory().get("/me/applications/0b7c/", REMOTE_ADDR="192.0.2.7")
    request.user = ada

    log_refused(request, "application 0b7c")

    assert security_lines(caplog) == [
        (
            "WARNING",
            f"access_refused user_id={ada.pk} ip=192.0.2.7 method=GET path=/me/applications/0b7c/ "
            "what=application 0b7c",
        )
    ]


@pytest.mark.django_db
def test_permission_denied_is_logged_as_a_warning(client, ada, caplog):
    client.force_login(ada)
    caplog.set_level(logging.INFO, logger="portal.security")
    caplog.clear()

    response = client.get("/admin/login/")  # an applicant asking for the admin's sign-in

    assert response.status_code == 403
    assert security_lines(caplog) == [
        (
            "WARNING",
            f"access_refused user_id={ada.pk} ip={client.defaults['REMOTE_ADDR']} method=GET path=/admin/login/ "
            "what=permission denied in admin:login",
        )
    ]
