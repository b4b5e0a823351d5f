"""The applicant's whole journey for the observership, in a real browser with a real worker:
register, confirm the e-mail address, fill every step (meeting the rule errors first), upload real
files, watch them become ready, submit and find the reference on the dashboard."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from placements.catalogue.models import ProgrammeDocument
from placements.catalogue.validation import earliest_start
from tests.applicants import corpus
from tests.applicants.builders import first_monday_from

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EMAIL = "noor.haddad@example.org"
PASSWORD = "observe-radiology-2027"


def test_applicant_registers_applies_and_submits(catalogue, live_server, page, celery_worker):
    programme = catalogue["rotation"]
    start = first_monday_from(earliest_start(programme, timezone.localdate()) + timedelta(days=7))
    end = start + timedelta(days=25)  # the Friday of the fourth week

    # Register from the programme page.
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    page.get_by_role("link", name="Apply").click()
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign up|Register|Create", re.I)).click()

    # Confirm the address with the link from the e-mail.
    message = next(m for m in mail.outbox if EMAIL in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    page.get_by_role("button", name="Confirm").click()

    # Start the application.
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    page.get_by_role("button", name=re.compile("Apply|Continue")).click()

    # Profile.
    page.fill("#id_first_name", "Noor")
    page.fill("#id_last_name", "Haddad")
    page.fill("#id_nationality", "Jordanian")
    page.fill("#id_home_institution", "University of Jordan")
    page.select_option("#id_study_phase", "clinical")
    page.select_option("#id_english_level", "C1")
    page.get_by_role("button", name="Save and continue").click()

    # Eligibility.
    page.get_by_label("Yes").first.check()
    page.get_by_role("button", name="Save and continue").click()

    # Components: nuclear medicine alone is refused next to the choice.
    nuclear = programme.offerings.get(may_stand_alone=False)
    thoracic = programme.offerings.get(department__slug="umcg-thoracic")
    page.fill(f"#id_weeks_{nuclear.pk}", "2")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("cannot be chosen on its own").first.wait_for()
    # The step bar says so in words (for screen readers) and with an icon, not in colour alone.
    steps = page.get_by_role("navigation", name="Application steps")
    assert steps.get_by_role("link", name="Choice (needs attention)", exact=True).is_visible()
    assert steps.get_by_role("link", name="Choice").locator("[aria-hidden=true]").inner_text() == "⚠"
    page.fill(f"#id_weeks_{nuclear.pk}", "1")
    page.fill(f"#id_weeks_{thoracic.pk}", "3")
    page.get_by_role("button", name="Save and continue").click()
    assert steps.get_by_role("link", name="Choice (done)", exact=True).is_visible()

    # Dates: inside the lead time first, then a valid period of four weeks.
    too_soon = first_monday_from(timezone.localdate() + timedelta(days=30))
    page.fill("#id_start_date", too_soon.isoformat())
    page.fill("#id_end_date", (too_soon + timedelta(days=25)).isoformat())
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("The start date must be on or after").first.wait_for()
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", end.isoformat())
    page.get_by_role("button", name="Save and continue").click()

    # Documents: real files, checked by the worker while the page watches.
    letter_text = f"I ask to observe from {start:%d %B %Y} to {end:%d %B %Y}."
    files = {
        "cv": ("cv.pdf", "application/pdf", corpus.pdf_with_text("Curriculum vitae of Noor Haddad")),
        "motivation-letter": ("letter.pdf", "application/pdf", corpus.pdf_with_text(letter_text)),
        "english-proof": ("ielts.pdf", "application/pdf", corpus.pdf_with_text("IELTS overall band 7.5")),
    }
    for item in ProgrammeDocument.objects.filter(programme=programme).select_related("document_type"):
        name, mime, data = files[item.document_type.code]
        page.locator(f"#id_document-{item.pk}-file").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.locator("#document-list button[value=upload]").first.click()
    page.locator("#document-list .badge.text-bg-success").nth(2).wait_for(timeout=60_000)
    assert page.locator("#document-list").inner_text().count("Ready") == 3
    assert "The letter states the requested dates" in page.locator("#document-list").inner_text()
    page.get_by_role("button", name="Save and continue").click()

    # Review, consent and submit.
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Submit application").click()

    page.goto(f"{live_server.url}/me/")
    reference = f"UMCG-{start.year}-0001"
    page.get_by_text(reference).first.wait_for()
    assert "Submitted" in page.locator("main").inner_text()
