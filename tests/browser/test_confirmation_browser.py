"""The placement confirmation in a real browser: the trainee downloads it; someone else, not signed in,
follows the address printed on it and sees that it is genuine, with the reference, name and dates."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from tests.browser.helpers import sign_in
from tests.placements.helpers import make_application, place, weeks_ahead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_trainee_downloads_the_confirmation_and_a_host_checks_it(catalogue, live_server, page, browser, settings):
    settings.SITE_URL = live_server.url
    start = weeks_ahead(10)
    application = make_application(
        catalogue["rotation"], status=ApplicationStatus.OFFERED, start=start, weeks=2, first="Amira", last="Haddad"
    )
    deadline = timezone.now() + timedelta(days=7)
    place(application, "umcg-thoracic", start, weeks=2, status=PlacementStatus.OFFERED, deadline=deadline)

    # Amira accepts and downloads her confirmation.
    sign_in(page, live_server.url, application.applicant.email)
    page.goto(f"{live_server.url}/me/applications/{application.uuid}/")
    page.get_by_role("button", name="Accept the placement").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download placement confirmation (PDF)").click()
    document = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in document.pages)
    assert "Where and when to report" in text and "Hanzeplein 1" in text
    address = re.search(rf"{re.escape(live_server.url)}/confirmations/[\w-]+/", text.replace("\n", "")).group(0)

    # The host department, not signed in, follows the address printed on it.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    host = context.new_page()
    host.goto(address)
    assert host.get_by_role("status").inner_text().startswith("Genuine and valid.")
    assert host.get_by_role("heading", level=1).inner_text() == f"Placement confirmation {application.reference}"
    assert "Amira Haddad" in host.locator("dl").inner_text()
    dates = host.get_by_role("table").inner_text()
    assert "Thoracic radiology, UMCG" in dates and f"{start:%A} {start.day} {start:%B %Y}" in dates
    assert application.applicant.email not in host.content()
    host.goto(f"{live_server.url}/confirmations/{application.reference}/")
    assert "Placement confirmation" not in host.title()
    context.close()
