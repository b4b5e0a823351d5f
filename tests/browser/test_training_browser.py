"""The training path in a real browser: a Leuven trainee logs three activities; the department's
supervisor signs two off and sends one back, then fills in the final evaluation once the placement has
ended; the trainee downloads the certificate, and its verification page, opened by someone else, confirms it."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from placements.hosting.services import placements_complete_due
from placements.training.models import LogbookEntry
from tests.browser.helpers import sign_in
from tests.totp import totp_secret
from tests.training.builders import load_training, make_supervisor, make_trainee, this_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

ACTIVITIES = [
    (
        "Dosimetry: Reference dosimetry of photon and electron beams",
        "Calibrated the 6 MV beam of linac 2 with TRS-398.",
        "3",
    ),
    ("Quality assurance of equipment: Daily and monthly linac checks", "Monthly mechanical checks of linac 3.", "2.5"),
    ("Treatment planning: Plan review before treatment", "Reviewed five prostate VMAT plans.", "4"),
]


def log_activity(page, day, competency: str, text: str, hours: str) -> None:
    page.get_by_label("Competency", exact=True).select_option(label=competency)
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Hours", exact=True).fill(hours)
    page.get_by_label("What you did", exact=True).fill(text)
    page.get_by_role("button", name="Log the activity").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.inner_text().startswith("Your activity is logged")


def test_logbook_sign_off_final_evaluation_and_a_verified_certificate(cohort, live_server, page, browser, settings):
    settings.SITE_URL = live_server.url
    load_training()
    # Four weeks that ended last Friday; the nightly task has not completed the placement yet.
    placement = make_trainee(cohort, start=this_monday() - timedelta(weeks=5), weeks=4, first_name="Lotte")
    sam = make_supervisor("sam", "uzl-radiotherapy")
    trainee = placement.application.applicant

    # The trainee logs three activities from the application page's training card.
    sign_in(page, live_server.url, trainee.email)
    page.goto(f"{live_server.url}/me/applications/{placement.application.uuid}/")
    page.get_by_role("link", name="Training at Radiotherapy physics, UZ Leuven").click()
    for offset, (competency, text, hours) in enumerate(ACTIVITIES):
        log_activity(page, placement.start_week + timedelta(days=offset), competency, text, hours)
    assert page.get_by_text("Waiting for sign-off", exact=True).count() == 3

    # The supervisor signs two off and sends one back with a comment.
    context = browser.new_context()
    host = context.new_page()
    sign_in(host, live_server.url, sam.email, totp_secret=totp_secret(sam))
    host.goto(f"{live_server.url}/training/supervise/{placement.uuid}/")
    assert host.get_by_role("heading", level=2, name="3 entries wait for your sign-off").is_visible()
    first, second, third = (placement.start_week + timedelta(days=n) for n in range(3))
    host.get_by_role("button", name=f"Sign off the entry of {first.day} {first:%B}").click()
    host.wait_for_load_state()
    host.get_by_role("button", name=f"Sign off the entry of {second.day} {second:%B}").click()
    host.wait_for_load_state()
    host.locator(f"article:has-text('{ACTIVITIES[2][1]}') textarea").fill("Which plans, and what did you check?")
    host.get_by_role("button", name=f"Send the entry of {third.day} {third:%B} back").click()
    host.wait_for_load_state()
    assert "Nothing waits for your sign-off." in host.content()
    assert sorted(LogbookEntry.objects.values_list("status", flat=True)) == ["returned", "signed", "signed"]
    assert "3 hours signed, 0 hours waiting" in host.content()

    # The placement has ended: the nightly task completes it, and the supervisor fills in the final evaluation.
    assert placements_complete_due() == 1
    host.reload()
    host.get_by_role("link", name="Final evaluation").click()
    for group in host.locator("main form fieldset").all():
        group.get_by_role("radio").nth(3).check()
    host.get_by_label("Overall judgement", exact=True).fill("Ready for the tasks of a medical physics expert.")
    host.get_by_role("button", name="Submit the evaluation").click()
    host.wait_for_load_state()
    assert host.get_by_role("alert").first.inner_text() == "The evaluation is submitted."
    context.close()

    # The trainee sees the returned entry, reads the evaluation and downloads the certificate.
    page.goto(f"{live_server.url}/training/placements/{placement.uuid}/")
    assert "Which plans, and what did you check?" in page.content()
    page.goto(f"{live_server.url}/me/applications/{placement.application.uuid}/")
    page.get_by_role("link", name="Your certificate").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert "Certificate of completion" in text and "Lotte Trainee" in text
    assert "Reference dosimetry of photon and electron beams" in text
    address = re.search(rf"{re.escape(live_server.url)}/training/verify/[\w-]+/", text.replace("\n", "")).group(0)

    # Someone holding the certificate, not signed in, follows the address printed on it.
    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    check = visitor.new_page()
    check.goto(address)
    assert check.get_by_role("status").inner_text().startswith("Genuine and valid.")
    assert "Lotte Trainee" in check.locator("dl").inner_text()
    assert trainee.email not in check.content()
    visitor.close()
