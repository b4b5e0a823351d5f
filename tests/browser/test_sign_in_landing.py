"""Signing in through the browser lands where each person works: a coordinator on the review
queue, an applicant on their applications.

Personas (tests/conftest.py): carol coordinates the rotation programme; alice is an applicant.
"""

import pytest

from tests.browser.helpers import sign_in
from tests.totp import totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_lands_on_the_review_queue(carol, live_server, page):
    sign_in(page, live_server.url, carol.email, totp_secret=totp_secret(carol))

    assert page.url == f"{live_server.url}/staff/queue/"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Review queue")


def test_applicant_lands_on_their_applications(alice, live_server, page):
    sign_in(page, live_server.url, alice.email)

    assert page.url == f"{live_server.url}/me/"
    assert page.get_by_role("heading", level=1).inner_text() == "My applications"
