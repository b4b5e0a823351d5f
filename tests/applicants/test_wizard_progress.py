"""The wizard's step bar: a step is done only when it holds what it asks for and breaks no rule; a
step whose content breaks one needs attention; documents still being checked say so; a step not
yet filled in is to do. Each state has an icon and words for screen readers, not a colour alone.

Persona: alice, an applicant with a profile, whose draft is arranged through the services before
she opens a step.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from applicants.enums import DocumentState, WizardStepState
from applicants.services import applications as services
from tests.applicants.builders import complete_draft, make_applicant

pytestmark = pytest.mark.django_db

DONE, ATTENTION, CHECKING, TODO = (
    WizardStepState.DONE,
    WizardStepState.ATTENTION,
    WizardStepState.CHECKING,
    WizardStepState.TODO,
)


@pytest.fixture
def alice(client):
    user = make_applicant("alice@example.org", last_name="Martins")
    client.force_login(user)
    return user


def open_step(client, application, step: str = "review"):
    return client.get(reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step}))


def states_of(response) -> dict[str, str]:
    return {item["name"]: item["state"] for item in response.context["steps"]}


def hidden_text(state: str) -> str:
    return f'<span class="visually-hidden"> ({state})</span>'


def test_a_complete_draft_has_every_step_done_but_the_review(client, alice, rotation):
    draft = complete_draft(rotation, alice)

    response = open_step(client, draft)

    assert states_of(response) == {
        "profile": DONE,
        "eligibility": DONE,
        "components": DONE,
        "dates": DONE,
        "documents": DONE,
        "review": TODO,
    }
    assertContains(response, hidden_text("done"), count=5)
    assertContains(response, "Step 6 of 6 · 5 done")


def test_a_new_draft_has_its_empty_steps_to_do_not_needing_attention(client, alice, rotation):
    draft = services.application_start(applicant=alice, programme=rotation)

    response = open_step(client, draft, "profile")

    assert states_of(response) == {
        "profile": DONE,
        "eligibility": TODO,
        "components": TODO,
        "dates": TODO,
        "documents": TODO,
        "review": TODO,
    }
    assertNotContains(response, hidden_text("needs attention"))


def test_a_saved_choice_that_breaks_a_rule_needs_attention(client, alice, rotation):
    draft = complete_draft(rotation, alice)
    nuclear = rotation.offerings.get(may_stand_alone=False)
    services.application_save_components(
        application=draft, components=[services.ComponentInput(offering_id=nuclear.pk, weeks=2, rank=1)]
    )
    services.application_save_dates(
        application=draft, start=draft.start_date, end=draft.start_date + timedelta(days=11)
    )

    response = open_step(client, draft, "documents")

    assert states_of(response)["components"] == ATTENTION
    assertContains(response, hidden_text("needs attention"), count=1)
    assertContains(response, "Step 5 of 6 · 4 done")


def test_dates_that_do_not_add_up_to_the_chosen_weeks_need_attention(client, alice, rotation):
    draft = complete_draft(rotation, alice)
    services.application_save_dates(
        application=draft, start=draft.start_date, end=draft.start_date + timedelta(days=32)
    )

    states = states_of(open_step(client, draft))

    assert states["dates"] == ATTENTION


def test_a_start_inside_the_lead_time_needs_attention_on_the_dates_step(client, alice, rotation):
    draft = complete_draft(rotation, alice)
    start = draft.start_date - timedelta(days=140)
    services.application_save_dates(application=draft, start=start, end=start + timedelta(days=25))

    states = states_of(open_step(client, draft))

    assert (states["components"], states["dates"]) == (DONE, ATTENTION)


def test_a_required_no_needs_attention_on_the_eligibility_step(client, alice, cohort):
    draft = services.application_start(applicant=alice, programme=cohort)
    answers = {q.pk: False if q.must_answer_yes else "none" for q in cohort.questions.all()}
    services.application_save_answers(application=draft, answers=answers)

    assert states_of(open_step(client, draft, "profile"))["eligibility"] == ATTENTION


def test_a_refused_document_needs_attention(client, alice, rotation):
    draft = complete_draft(rotation, alice)
    draft.documents.filter(document_type__code="cv").update(state=DocumentState.REJECTED, reason="Encrypted.")

    assert states_of(open_step(client, draft))["documents"] == ATTENTION


def test_documents_still_being_checked_say_so(client, alice, rotation):
    draft = complete_draft(rotation, alice, documents_state=DocumentState.PENDING)

    response = open_step(client, draft)

    assert states_of(response)["documents"] == CHECKING
    assertContains(response, hidden_text("being checked"), count=1)


# --- the review step's list of what still blocks submitting ----------------------------------------


def test_missing_consent_points_to_the_box_below_not_to_the_review_step_itself(client, alice, rotation):
    draft = complete_draft(rotation, alice)
    services.application_give_consent(application=draft, consent=False)

    response = open_step(client, draft)

    item = '<li>Give your consent to the processing of your data. <a href="#consent">Go to the consent below</a></li>'
    assertContains(response, item, html=True)
    assertNotContains(response, "Go to review and submit")


def test_a_problem_on_another_step_links_to_that_step(client, alice, rotation):
    draft = complete_draft(rotation, alice)
    services.application_save_answers(application=draft, answers={})

    response = open_step(client, draft)

    eligibility = reverse("applicants:wizard_step", kwargs={"uuid": draft.uuid, "step": "eligibility"})
    question = rotation.questions.get()
    assertContains(response, f'<a href="{eligibility}#id_answer_{question.pk}_0">Go to eligibility</a>', html=True)
