"""The certificate in a real browser: the applicant sees which hospitals are recognized, proposes one
that is not listed, is offered the open intake's period instead of free dates; the coordinator then
approves the hospital, and the applicant reads the outcome on the application's page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from applicants.enums import ProposalStatus
from applicants.models import Application
from applicants.services import applications as services
from placements.catalogue.models import Intake
from tests.applicants.builders import first_monday_from, make_applicant
from tests.browser.helpers import sign_in
from tests.factories import make_staff
from tests.totp import totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_proposes_a_hospital_for_the_intake_and_the_coordinator_approves_it(catalogue, live_server, page):
    cohort = catalogue["cohort"]
    cohort.intakes.all().delete()
    starts = first_monday_from(timezone.localdate() + timedelta(days=150))
    intake = Intake.objects.create(
        programme=cohort,
        academic_year="2031–2032",
        applications_deadline=timezone.localdate() + timedelta(days=60),
        starts_on=starts,
        ends_on=starts + timedelta(weeks=30, days=-3),
    )
    applicant = make_applicant("lotte.peeters@example.org", first_name="Lotte", last_name="Peeters")
    draft = services.application_start(applicant=applicant, programme=cohort)
    wizard = f"{live_server.url}/me/applications/{draft.uuid}/step"

    # The choice step marks the recognized hospitals and takes a proposal of another one.
    sign_in(page, live_server.url, applicant.email)
    page.goto(f"{wizard}/components/")
    assert page.get_by_label("Radiology physics, UZ Leuven (recognized hospital): 20–40 weeks").is_visible()
    page.get_by_label("Another recognized hospital, not listed: propose it").check()
    page.get_by_label(re.compile(r"\bHospital\b")).fill("AZ Delta")
    page.get_by_label("City").fill("Roeselare")
    page.get_by_label("Country").fill("be")
    page.get_by_label(re.compile(r"\bDepartment\b")).fill("Radiotherapy physics")
    page.get_by_role("combobox", name=re.compile("Specialization")).select_option(label="Radiotherapy")
    page.get_by_label("Contact person").fill("Dr. An Claes")
    page.get_by_label("Contact e-mail").fill("physics@azdelta.example")
    page.get_by_role("spinbutton", name="Weeks").fill("30")
    page.get_by_role("button", name="Save and continue").click()

    # The dates step offers the intake's period, not free dates.
    page.wait_for_url("**/step/dates/")
    assert page.locator("input[type=date]").count() == 0
    period = page.get_by_role("radio", name=re.compile(r"2031–2032: .* \(30 weeks\)"))
    assert period.is_checked()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/step/documents/")
    draft.refresh_from_db()
    assert (draft.start_date, draft.end_date) == (intake.starts_on, intake.ends_on)

    # Submitted (the documents and the rest are arranged), the coordinator approves the hospital.
    Application.objects.filter(pk=draft.pk).update(status="submitted", reference="LMPH-2031-0001")
    coordinator = make_staff("lien", cohort, first_name="Lien", last_name="Peeters")
    secret = totp_secret(coordinator)
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = context.new_page()
    sign_in(staff_page, live_server.url, coordinator.email, totp_secret=secret)
    staff_page.goto(f"{live_server.url}/staff/applications/{draft.uuid}/")
    proposal = staff_page.get_by_role("article", name="Radiotherapy physics, AZ Delta (Roeselare)")
    assert "Dr. An Claes" in proposal.inner_text()
    proposal.get_by_label("Trainees a week").fill("2")
    proposal.get_by_role("button", name="Approve and add the hospital").click()
    staff_page.get_by_text("AZ Delta is approved").wait_for()
    context.close()
    assert draft.hospital_proposals.get().status == ProposalStatus.APPROVED

    # The applicant reads the outcome on the application's page.
    page.goto(f"{live_server.url}/me/applications/{draft.uuid}/")
    section = page.get_by_role("region", name="The hospital you proposed Approved")
    assert "it is your choice now" in section.inner_text()
    assert "Radiotherapy physics" in page.get_by_role("table").first.inner_text()
