"""A cohort programme runs in intakes, one per academic year, each with a deadline and the period of
the internship: the wizard offers the open intake's period instead of free dates, an application
after the deadline is refused with a clear message, and the public page shows the deadline.

Dates here are relative to today, so that the tests hold whatever day they run: the demo intakes of
the certificate are replaced by one that closes in 60 days (`intake`).

Persona: alice, a verified applicant with a profile; only she sees her draft.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus
from applicants.guards import Problem, ProblemCode, submission_problems
from applicants.models import Application
from placements.catalogue.models import Intake
from placements.catalogue.validation import human_date
from tests.applicants.builders import first_monday_from, make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client):
    user = make_applicant("alice@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def intake(cohort) -> Intake:
    """The certificate's only intake: apply within 60 days; 20 weeks, from a Monday 5 months ahead."""
    cohort.intakes.all().delete()
    today = timezone.localdate()
    starts = first_monday_from(today + timedelta(days=150))
    return Intake.objects.create(
        programme=cohort,
        academic_year="2031–2032",
        applications_deadline=today + timedelta(days=60),
        starts_on=starts,
        ends_on=starts + timedelta(weeks=20, days=-3),
    )


def apply(client, programme):
    return client.post(reverse("applicants:application_apply", kwargs={"programme_slug": programme.slug}))


def step_url(application, step: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})


def period(intake: Intake) -> str:
    return f"{intake.starts_on:%A} {human_date(intake.starts_on)} to {intake.ends_on:%A} {human_date(intake.ends_on)}"


def test_the_dates_step_offers_the_intakes_period_instead_of_free_dates(client, alice, cohort, intake):
    apply(client, cohort)
    application = Application.objects.get(applicant=alice)

    response = client.get(step_url(application, "dates"))

    assertContains(response, f"2031–2032: {period(intake)} (20 weeks)")
    assertContains(response, f"Apply by {human_date(intake.applications_deadline)}.")
    assertNotContains(response, 'type="date"')


def test_choosing_the_intake_saves_its_period(client, alice, cohort, intake):
    apply(client, cohort)
    application = Application.objects.get(applicant=alice)

    response = client.post(step_url(application, "dates"), {"intake": str(intake.pk), "action": "continue"})

    application.refresh_from_db()
    assert (application.start_date, application.end_date) == (intake.starts_on, intake.ends_on)
    assertRedirects(response, step_url(application, "documents"), fetch_redirect_response=False)


def test_applying_after_the_deadline_is_refused_with_a_clear_message(client, alice, cohort, intake):
    intake.applications_deadline = timezone.localdate() - timedelta(days=1)
    intake.save()

    response = apply(client, cohort)

    assertRedirects(response, cohort.get_absolute_url(), fetch_redirect_response=False)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Applications for the 2031–2032 intake closed on {human_date(intake.applications_deadline)}; "
        "the next intake is not open yet."
    ]
    assert not Application.objects.filter(applicant=alice).exists()


def test_a_draft_whose_intake_closed_cannot_be_submitted(client, alice, cohort, intake):
    apply(client, cohort)
    application = Application.objects.get(applicant=alice)
    client.post(step_url(application, "dates"), {"intake": str(intake.pk), "action": "continue"})
    closed = timezone.localdate() - timedelta(days=1)
    Intake.objects.filter(pk=intake.pk).update(applications_deadline=closed)
    application.refresh_from_db()

    problems = [p for p in submission_problems(application) if p.field == "programme"]

    assert problems == [
        Problem(
            ProblemCode.RULE_BROKEN,
            "programme",
            None,
            f"Applications for the 2031–2032 intake closed on {human_date(closed)}.",
        )
    ]
    assert application.status == ApplicationStatus.DRAFT


def test_the_public_page_shows_the_intakes_deadline_and_period(client, cohort, intake):
    response = client.get(cohort.get_absolute_url())

    assertContains(
        response,
        f"<dt>Deadline</dt><dd>{human_date(intake.applications_deadline)}, for the 2031–2032 intake</dd>",
        html=True,
    )
    assertContains(response, f"<dt>Internship</dt><dd>{period(intake)}</dd>", html=True)


def test_the_public_page_says_when_applications_have_closed(client, cohort, intake):
    intake.applications_deadline = timezone.localdate() - timedelta(days=1)
    intake.save()

    response = client.get(cohort.get_absolute_url())

    assertContains(
        response,
        f"Applications for the 2031–2032 intake closed on {human_date(intake.applications_deadline)}; "
        "the next intake is not open yet.",
    )
