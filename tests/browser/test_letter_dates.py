"""The UMCG motivation letter must state the exact dates, in a real browser with a real worker: a
letter without them is flagged next to it on the review step, the application cannot be submitted,
and it goes in once the applicant confirms that the letter states the dates."""

import pytest

from applicants.enums import ApplicationStatus
from applicants.services.documents import document_delete
from tests.applicants import corpus
from tests.applicants.builders import complete_draft, make_applicant
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_letter_without_the_dates_blocks_submitting_until_confirmed(catalogue, live_server, page, celery_worker):
    rotation = catalogue["rotation"]
    applicant = make_applicant("noor.haddad@example.org", first_name="Noor", last_name="Haddad")
    draft = complete_draft(rotation, applicant)
    document_delete(document=draft.documents.get(document_type__code="motivation-letter"), by=applicant)
    letter = rotation.programme_documents.get(document_type__code="motivation-letter")
    wizard = f"{live_server.url}/me/applications/{draft.uuid}/step"

    # Upload a letter that names no dates; the worker checks it while the page watches.
    sign_in(page, live_server.url, applicant.email)
    page.goto(f"{wizard}/documents/")
    page.locator(f"#id_document-{letter.pk}-file").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": corpus.pdf_with_text("I would love to come.")}
    )
    page.locator(f"#document-slot-{letter.pk} button[value=upload]").click()
    slot = page.locator(f"#document-slot-{letter.pk}")
    slot.get_by_text("Needs a look").wait_for(timeout=60_000)
    assert "This stops you from submitting" in slot.inner_text()

    # The review step shows the problem next to the letter, not "Ready", and refuses to submit.
    page.goto(f"{wizard}/review/")
    row = page.locator("#review-document-motivation-letter")
    assert "Needs your attention" in row.inner_text()
    assert "Ready" not in row.inner_text()
    assert "The letter does not mention the requested dates" in row.inner_text()
    page.get_by_role("button", name="Submit application").click()
    assert "Your application is not submitted yet." in page.get_by_role("alert").first.inner_text()
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT

    # The applicant confirms that the letter states the dates, and then it goes in.
    page.get_by_role("button", name="Confirm that my motivation letter states the requested dates").click()
    row = page.locator("#review-document-motivation-letter")
    assert "You confirmed that it states the requested dates." in row.inner_text()
    assert "Needs your attention" not in row.inner_text()
    page.get_by_role("button", name="Submit application").click()
    page.get_by_text("Your application is submitted as UMCG-").wait_for()
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
