"""The certificate's internship takes place at UZ Leuven "or another recognized hospital": in the
choice step an applicant may propose a recognized hospital that is not listed; a coordinator of the
programme approves it (it becomes a department of a recognized institution, with its weekly capacity,
offered in the group and chosen by the application) or refuses it with a reason. The applicant sees
the outcome on the application's page and timeline.

Personas:
- alice: an applicant who proposes AZ Delta in Roeselare; sees only her own application.
- dave: coordinator of the certificate; decides on the proposal.
- carol: coordinator of the observership only; gets 404 for alice's application and its proposal.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus, DocumentState, EventKind, ProposalStatus
from applicants.errors import DomainError
from applicants.guards import submission_problems
from applicants.models import Application, Document, HospitalProposal
from applicants.privacy.data_export import applicant_data
from applicants.services import applications as services
from applicants.services.proposals import (
    ProposalInput,
    hospital_proposal_approve,
    hospital_proposal_refuse,
    hospital_proposal_save,
)
from placements.catalogue.models import Department, Institution, Intake, Specialization
from tests.applicants.builders import first_monday_from, make_applicant
from tests.applicants.staff_builders import staff_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake(cohort) -> Intake:
    """The certificate's open intake, relative to today: 30 weeks from a Monday 5 months ahead."""
    cohort.intakes.all().delete()
    starts = first_monday_from(timezone.localdate() + timedelta(days=150))
    return Intake.objects.create(
        programme=cohort,
        academic_year="2031–2032",
        applications_deadline=timezone.localdate() + timedelta(days=60),
        starts_on=starts,
        ends_on=starts + timedelta(weeks=30, days=-3),
    )


@pytest.fixture
def alice(db):
    return make_applicant("alice@example.org")


def az_delta(weeks: int = 30) -> ProposalInput:
    return ProposalInput(
        specialization=Specialization.objects.get(slug="radiotherapy"),
        hospital="AZ Delta",
        city="Roeselare",
        country="BE",
        department="Radiotherapy physics",
        contact_name="Dr. An Claes",
        contact_email="physics@azdelta.example",
        weeks=weeks,
    )


def draft_proposing(cohort, intake, alice) -> Application:
    """alice's complete draft for the certificate, whose choice is the proposed AZ Delta."""
    application = services.application_start(applicant=alice, programme=cohort)
    services.application_save_answers(
        application=application,
        answers={q.pk: True if q.kind == "yes_no" else "none" for q in cohort.questions.all()},
    )
    hospital_proposal_save(application=application, group=cohort.offering_groups.get(), proposal=az_delta())
    services.application_save_dates(application=application, start=intake.starts_on, end=intake.ends_on)
    for item in cohort.programme_documents.select_related("document_type"):
        document = Document(
            application=application,
            document_type=item.document_type,
            original_name=f"{item.document_type.code}.pdf",
            size=9,
            sha256="0" * 64,
            content_kind="pdf",
            state=DocumentState.READY,
        )
        document.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
    services.application_give_consent(application=application, consent=True)
    return application


@pytest.fixture
def submitted(cohort, intake, alice) -> Application:
    application = draft_proposing(cohort, intake, alice)
    return services.application_submit(application=application, by=alice)


@pytest.fixture
def proposal(submitted) -> HospitalProposal:
    return submitted.hospital_proposals.get()


# --- the applicant proposes -------------------------------------------------------------------------


def test_a_proposed_hospital_is_the_one_choice_and_the_draft_can_be_submitted(cohort, intake, alice):
    draft = draft_proposing(cohort, intake, alice)

    assert submission_problems(draft) == []
    assert not draft.components.exists()
    assert draft.hospital_proposals.get().label == "Radiotherapy physics, AZ Delta (Roeselare)"


def test_the_choice_step_offers_to_propose_a_hospital_and_marks_the_recognized_ones(client, cohort, intake, alice):
    client.force_login(alice)
    client.post(reverse("applicants:application_apply", kwargs={"programme_slug": cohort.slug}))
    application = Application.objects.get(applicant=alice)
    url = reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": "components"})
    group = cohort.offering_groups.get()

    response = client.get(url)
    assertContains(response, "Radiology physics, UZ Leuven (recognized hospital)")
    assertContains(response, "Another recognized hospital, not listed: propose it")
    response = client.post(
        url,
        {
            f"group_{group.pk}": "0",
            f"group_{group.pk}_weeks": "30",
            f"proposal-{group.pk}-specialization": str(Specialization.objects.get(slug="radiotherapy").pk),
            f"proposal-{group.pk}-hospital": "AZ Delta",
            f"proposal-{group.pk}-city": "Roeselare",
            f"proposal-{group.pk}-country": "BE",
            f"proposal-{group.pk}-department": "Radiotherapy physics",
            f"proposal-{group.pk}-contact_name": "Dr. An Claes",
            f"proposal-{group.pk}-contact_email": "physics@azdelta.example",
            "action": "continue",
        },
    )

    assertRedirects(response, url.replace("components", "dates"), fetch_redirect_response=False)
    proposal = application.hospital_proposals.get()
    assert (proposal.label, proposal.weeks, proposal.status) == (
        "Radiotherapy physics, AZ Delta (Roeselare)",
        30,
        ProposalStatus.PENDING,
    )


def test_a_proposal_without_its_details_is_refused_next_to_the_fields(client, cohort, intake, alice):
    client.force_login(alice)
    client.post(reverse("applicants:application_apply", kwargs={"programme_slug": cohort.slug}))
    application = Application.objects.get(applicant=alice)
    url = reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": "components"})
    group = cohort.offering_groups.get()

    response = client.post(url, {f"group_{group.pk}": "0", f"group_{group.pk}_weeks": "30", "action": "continue"})

    assert response.status_code == 200
    assert response.context["form"].proposal_forms[group.pk].errors["hospital"] == ["This field is required."]
    assert not application.hospital_proposals.exists()


# --- the coordinator decides ------------------------------------------------------------------------


def test_approving_while_reading_dutch_finds_the_department_an_earlier_approval_made(submitted, proposal, dave):
    hospital = Institution.objects.create(name="AZ Delta", city="Roeselare", country="BE", recognized=True)
    earlier = Department.objects.create(
        institution=hospital,
        specialization=Specialization.objects.get(slug="radiotherapy"),
        name="Radiotherapy physics",
        slug="az-delta-radiotherapy-physics",
    )

    with translation.override("nl"):
        hospital_proposal_approve(proposal=proposal, by=dave, weekly_capacity=2)

    assert submitted.components.get().offering.department == earlier
    assert Department.objects.filter(institution=hospital).count() == 1


def test_approving_makes_it_a_recognized_department_with_capacity_and_the_applications_choice(
    client, submitted, proposal, dave, alice
):
    client.force_login(dave)

    response = client.post(staff_url("proposal_approve", submitted, pk=proposal.pk), {"weekly_capacity": "2"})

    assertRedirects(response, staff_url("application", submitted), fetch_redirect_response=False)
    institution = Institution.objects.get(name="AZ Delta")
    department = Department.objects.get(institution=institution)
    assert (institution.recognized, institution.city, institution.country) == (True, "Roeselare", "BE")
    assert (department.name, department.weekly_capacity, department.specialization.slug) == (
        "Radiotherapy physics",
        2,
        "radiotherapy",
    )
    component = submitted.components.get()
    assert (component.offering.department, component.offering.group, component.weeks) == (
        department,
        proposal.group,
        30,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.offering, proposal.decided_by) == (
        ProposalStatus.APPROVED,
        component.offering,
        dave,
    )

    client.force_login(alice)
    page = client.get(submitted.get_absolute_url())
    assertContains(page, "Radiotherapy physics, AZ Delta (Roeselare) is approved as a recognized hospital")
    assertContains(page, '<span class="badge text-bg-success">Approved</span>', html=True)


def test_refusing_gives_the_applicant_the_reason(client, submitted, proposal, dave, alice):
    client.force_login(dave)

    client.post(
        staff_url("proposal_refuse", submitted, pk=proposal.pk),
        {"reason": "AZ Delta is not recognized for radiotherapy physics training."},
    )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.refusal_reason) == (
        ProposalStatus.REFUSED,
        "AZ Delta is not recognized for radiotherapy physics training.",
    )
    event = submitted.events.get(kind=EventKind.HOSPITAL_REFUSED)
    assert (event.actor, event.internal) == (dave, False)
    assert not Institution.objects.filter(name="AZ Delta").exists()

    client.force_login(alice)
    page = client.get(submitted.get_absolute_url())
    assertContains(page, "AZ Delta is not recognized for radiotherapy physics training.", count=2)  # card, timeline
    assertContains(page, '<span class="badge text-bg-danger">Refused</span>', html=True)


def test_a_refusal_needs_a_reason(client, submitted, proposal, dave):
    client.force_login(dave)

    response = client.post(staff_url("proposal_refuse", submitted, pk=proposal.pk), {"reason": "  "})

    assert response.status_code == 200
    assertContains(response, "Give the reason, for the applicant.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_the_coordinator_sees_the_proposal_with_its_contact_on_the_application_page(client, submitted, dave):
    client.force_login(dave)

    response = client.get(staff_url("application", submitted))

    assertContains(response, "Radiotherapy physics, AZ Delta (Roeselare)")
    assertContains(response, "Dr. An Claes")
    assertContains(response, "physics@azdelta.example")
    assertContains(response, "Approve and add the hospital")


def test_a_decided_proposal_cannot_be_decided_again(submitted, proposal, dave):
    hospital_proposal_refuse(proposal=proposal, by=dave, reason="Not recognized.")

    with pytest.raises(DomainError, match="already refused"):
        hospital_proposal_approve(proposal=proposal, by=dave, weekly_capacity=1)


@pytest.mark.parametrize("name", ["proposal_approve", "proposal_refuse"])
def test_another_programmes_coordinator_and_the_applicant_get_404(client, submitted, proposal, carol, alice, name):
    for person in (carol, alice):
        client.force_login(person)

        response = client.post(staff_url(name, submitted, pk=proposal.pk), {"weekly_capacity": "1", "reason": "No."})

        assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_the_public_page_marks_the_recognized_hospitals_and_invites_proposals(client, cohort):
    response = client.get(cohort.get_absolute_url())

    assertContains(response, '<span class="badge text-bg-light border">Recognized</span>', count=5, html=True)
    assertContains(response, "You may also propose another recognized hospital")
    assertNotContains(response, "KU Leuven <span")


def test_the_applicants_data_export_holds_the_proposal_and_its_outcome(submitted, proposal, dave, alice):
    hospital_proposal_refuse(proposal=proposal, by=dave, reason="Not recognized for radiotherapy.")

    [exported] = applicant_data(alice, paths={})["applications"]

    assert exported["proposed_hospitals"] == [
        {
            "hospital": "AZ Delta",
            "city": "Roeselare",
            "country": "BE",
            "department": "Radiotherapy physics",
            "specialization": "Radiotherapy",
            "contact_name": "Dr. An Claes",
            "contact_email": "physics@azdelta.example",
            "weeks": 30,
            "status": "Refused",
            "refusal_reason": "Not recognized for radiotherapy.",
        }
    ]
