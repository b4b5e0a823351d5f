"""A programme can let an automatic check block submitting (the UMCG motivation letter must state the
exact dates): the review step shows the finding next to the document instead of "Ready", and the
application goes in once the letter is replaced or the applicant confirms that it states the dates;
the coordinator sees that confirmation on the application page.

Personas:
- alice: an applicant whose complete draft has a letter in which the check found no dates.
- bob: another applicant; cannot confirm anything of alice's.
- carol: coordinator of the rotation programme; sees the confirmation once alice has submitted.
"""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus, CheckStatus, EventKind
from applicants.models import DocumentCheck
from tests.applicants.builders import complete_draft, make_applicant
from tests.applicants.staff_builders import staff_url

pytestmark = pytest.mark.django_db

FINDING = "The letter does not mention the requested dates (1 March 2027 – 26 March 2027)."


@pytest.fixture
def alice(db):
    return make_applicant("alice@example.org")


@pytest.fixture
def draft(rotation, alice):
    application = complete_draft(rotation, alice)
    letter = application.documents.get(document_type__code="motivation-letter")
    DocumentCheck.objects.create(
        document=letter, code="states_requested_dates", status=CheckStatus.WARN, message=FINDING
    )
    return application


@pytest.fixture
def the_check(draft) -> DocumentCheck:
    return DocumentCheck.objects.get(document__application=draft)


def review_url(application) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": "review"})


def test_the_review_step_shows_the_finding_next_to_the_letter_not_ready(client, draft, the_check, alice):
    client.force_login(alice)

    response = client.get(review_url(draft))

    letter = response.context["slots"][1]
    assert [check for check, _claim in letter.blocking] == [the_check]
    assertContains(response, '<span class="badge text-bg-warning">Needs your attention</span>', count=1, html=True)
    assertContains(response, '<span class="badge text-bg-success">Ready</span>', count=2, html=True)
    assertContains(response, FINDING, count=2)  # in the list of problems and next to the letter
    assertContains(response, "Confirm that my motivation letter states the requested dates")


def test_submitting_is_refused_while_the_letter_is_neither_replaced_nor_confirmed(client, draft, alice):
    client.force_login(alice)

    response = client.post(review_url(draft), {"consent": "on", "action": "submit"}, follow=True)

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assertContains(response, "Your application is not submitted yet.")


def test_confirming_the_letter_lets_the_application_in_and_the_coordinator_sees_it(
    client, draft, the_check, alice, carol
):
    client.force_login(alice)

    response = client.post(review_url(draft), {"confirm_check": str(the_check.pk)})

    assertRedirects(response, review_url(draft) + "#review-documents", fetch_redirect_response=False)
    response = client.get(review_url(draft))
    assertNotContains(response, "Needs your attention")
    assertContains(response, "You confirmed that it states the requested dates.")
    client.post(review_url(draft), {"consent": "on", "action": "submit"})
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED

    client.force_login(carol)
    response = client.get(staff_url("application", draft))
    confirmed_on = f"Confirmed by the applicant on {the_check.__class__.objects.get().confirmed_at:%-d %B %Y}"
    assertContains(response, confirmed_on, count=2)  # next to the document and in the automatic checks
    history = client.get(staff_url("application_history", draft))
    assertContains(history, "the applicant confirms that it states the requested dates")  # the timeline


def test_another_applicant_cannot_confirm_the_letter(client, draft, the_check):
    client.force_login(make_applicant("bob@example.org"))

    response = client.post(review_url(draft), {"confirm_check": str(the_check.pk)})

    assert response.status_code == 404
    the_check.refresh_from_db()
    assert the_check.confirmed_at is None
    assert not draft.events.filter(kind=EventKind.CHECK_CONFIRMED).exists()


def test_a_check_of_another_application_is_not_found(client, draft, rotation):
    other = complete_draft(rotation, make_applicant("bob@example.org"))
    client.force_login(other.applicant)
    check = DocumentCheck.objects.get(document__application=draft)

    response = client.post(review_url(other), {"confirm_check": str(check.pk)})

    assert response.status_code == 404
    check.refresh_from_db()
    assert check.confirmed_at is None
