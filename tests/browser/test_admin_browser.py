"""The catalogue editor in a real browser: a programme's page, with all its inlines, fits the window.

Persona (tests/conftest.py): root, a superuser who keeps the catalogue.
"""

import pytest

from tests.browser.helpers import sign_in
from tests.totp import totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 1440])  # laptop screens, the admin's sidebar open
def test_a_programme_page_fits_the_window_with_its_inlines(root, rotation, live_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, root.email, totp_secret=totp_secret(root))

    page.goto(f"{live_server.url}/admin/placements/programme/{rotation.pk}/change/")

    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=2, name="Offerings").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wider = page.evaluate(
        "[...document.querySelectorAll('.inline-group')].filter(g => g.scrollWidth > g.clientWidth).map(g => g.id)"
    )
    assert (overflow, wider) == (0, [])
    context.close()
