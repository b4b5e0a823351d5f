"""The guard on submitting returns structured problems: a code, the field it concerns, the wizard
step where the applicant fixes it, and the message shown as it is. The review step lists them with
where to fix each, from those fields and steps.

Persona: alice, an applicant whose draft passes every guard until a test breaks one thing.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from applicants import guards, selectors
from applicants.enums import CheckStatus, DocumentState, EventKind, WizardStep
from applicants.errors import DomainError
from applicants.guards import Problem, ProblemCode
from applicants.models import ApplicationComponent, DocumentCheck
from applicants.selectors import ReviewProblem
from applicants.services import applications as services
from applicants.services.document_checks import document_check_confirm
from applicants.services.documents import document_delete
from placements.catalogue.enums import CheckFailure
from placements.catalogue.models import ProgrammeDocument
from placements.catalogue.validation import earliest_start, human_date
from tests.applicants.builders import complete_draft, first_monday_from, make_applicant

pytestmark = pytest.mark.django_db


def draft_of(catalogue, **applicant):
    return complete_draft(catalogue["rotation"], make_applicant("alice@example.org", **applicant))


def test_a_complete_draft_has_no_problem(catalogue):
    assert guards.submission_problems(draft_of(catalogue)) == []


def test_an_unanswered_question_is_fixed_on_the_eligibility_step(catalogue):
    draft = draft_of(catalogue)
    question = draft.programme.questions.get()
    services.application_save_answers(application=draft, answers={})

    assert guards.submission_problems(draft) == [
        Problem(
            ProblemCode.RULE_BROKEN, f"answer:{question.pk}", WizardStep.ELIGIBILITY, "Please answer this question."
        )
    ]


def test_a_part_chosen_for_too_many_weeks_is_fixed_on_the_choice_step(catalogue):
    draft = draft_of(catalogue)
    component = draft.components.select_related("offering").first()
    ApplicationComponent.objects.filter(pk=component.pk).update(weeks=component.offering.weeks_max + 1)

    problems = [p for p in guards.submission_problems(draft) if p.field.startswith("component:")]

    assert [(p.code, p.field, p.step) for p in problems] == [
        (ProblemCode.RULE_BROKEN, f"component:{component.offering_id}", WizardStep.COMPONENTS)
    ]


def test_a_choice_that_breaks_a_rule_of_the_whole_is_fixed_on_the_choice_step(catalogue):
    draft = draft_of(catalogue)
    rotation = draft.programme
    nuclear = rotation.offerings.get(may_stand_alone=False)
    services.application_save_components(
        application=draft, components=[services.ComponentInput(offering_id=nuclear.pk, weeks=2, rank=1)]
    )
    services.application_save_dates(
        application=draft, start=draft.start_date, end=draft.start_date + timedelta(days=11)
    )

    assert guards.submission_problems(draft) == [
        Problem(
            ProblemCode.RULE_BROKEN,
            "components",
            WizardStep.COMPONENTS,
            "Nuclear medicine and molecular imaging cannot be chosen on its own. Combine it with Radiology sections.",
        )
    ]


def test_a_start_inside_the_lead_time_is_fixed_on_the_dates_step(catalogue):
    draft = draft_of(catalogue)
    today = timezone.localdate()
    start = first_monday_from(today + timedelta(days=14))
    services.application_save_dates(application=draft, start=start, end=start + timedelta(days=25))

    assert guards.submission_problems(draft) == [
        Problem(
            ProblemCode.RULE_BROKEN,
            "start_date",
            WizardStep.DATES,
            f"The start date must be on or after {date_format(earliest_start(draft.programme, today), 'l j F Y')}, "
            f"the first Monday at least 3 months after {human_date(today)}.",
        )
    ]


def test_a_closed_application_window_is_fixed_in_no_step(catalogue):
    draft = draft_of(catalogue)
    closed = timezone.localdate() - timedelta(days=1)
    type(draft.programme).objects.filter(pk=draft.programme_id).update(applications_close=closed)
    draft.refresh_from_db()

    assert guards.submission_problems(draft) == [
        Problem(ProblemCode.RULE_BROKEN, "programme", None, f"Applications closed on {human_date(closed)}.")
    ]


def test_a_missing_profile_is_fixed_on_the_profile_step(catalogue):
    draft = draft_of(catalogue, profile=False)

    assert guards.submission_problems(draft) == [
        Problem(ProblemCode.PROFILE_MISSING, "profile", WizardStep.PROFILE, "Complete your profile.")
    ]


def test_a_missing_required_document_is_fixed_on_the_documents_step(catalogue):
    draft = draft_of(catalogue)
    document_delete(document=draft.documents.get(document_type__code="cv"), by=draft.applicant)

    assert guards.submission_problems(draft) == [
        Problem(ProblemCode.DOCUMENT_MISSING, "document:cv", WizardStep.DOCUMENTS, "Upload your curriculum vitae.")
    ]


def test_documents_being_checked_are_one_problem_each(catalogue):
    draft = complete_draft(
        catalogue["rotation"], make_applicant("alice@example.org"), documents_state=DocumentState.PENDING
    )

    assert [(p.code, p.field, p.step) for p in guards.submission_problems(draft)] == [
        (ProblemCode.DOCUMENT_PENDING, "document:cv", WizardStep.DOCUMENTS),
        (ProblemCode.DOCUMENT_PENDING, "document:motivation-letter", WizardStep.DOCUMENTS),
        (ProblemCode.DOCUMENT_PENDING, "document:english-proof", WizardStep.DOCUMENTS),
    ]


def test_a_refused_document_is_fixed_on_the_documents_step(catalogue):
    draft = draft_of(catalogue)
    draft.documents.filter(document_type__code="cv").update(
        state=DocumentState.REJECTED, reason="The file is encrypted."
    )

    assert guards.submission_problems(draft) == [
        Problem(
            ProblemCode.DOCUMENT_REFUSED,
            "document:cv",
            WizardStep.DOCUMENTS,
            "Your curriculum vitae was refused: The file is encrypted. Upload another file.",
        )
    ]


LETTER_WITHOUT_DATES = "The letter does not mention the requested dates (1 March 2027 – 26 March 2027)."
BLOCKED_LETTER = Problem(
    ProblemCode.DOCUMENT_CHECK_FAILED,
    "document:motivation-letter",
    WizardStep.DOCUMENTS,
    f"{LETTER_WITHOUT_DATES} Replace your motivation letter, or confirm that it states the requested dates.",
)


def letter_check(draft, *, status=CheckStatus.WARN, message=LETTER_WITHOUT_DATES) -> DocumentCheck:
    letter = draft.documents.get(document_type__code="motivation-letter")
    return DocumentCheck.objects.create(document=letter, code="states_requested_dates", status=status, message=message)


def test_a_letter_without_the_dates_blocks_where_the_programme_says_so(catalogue):
    draft = draft_of(catalogue)
    letter_check(draft)

    assert guards.submission_problems(draft) == [BLOCKED_LETTER]


def test_a_letter_the_applicant_confirms_no_longer_blocks_and_the_timeline_says_so(catalogue):
    draft = draft_of(catalogue)
    check = letter_check(draft)

    document_check_confirm(check=check, by=draft.applicant)

    assert guards.submission_problems(draft) == []
    event = draft.events.get(kind=EventKind.CHECK_CONFIRMED)
    assert (event.actor, event.message) == (
        draft.applicant,
        f"Motivation letter: the applicant confirms that it states the requested dates; the automatic check "
        f"said: {LETTER_WITHOUT_DATES}",
    )


def test_a_confirmation_does_not_hold_once_the_check_says_something_else(catalogue):
    draft = draft_of(catalogue)
    check = letter_check(draft)
    document_check_confirm(check=check, by=draft.applicant)

    other = "The letter does not mention the requested dates (8 March 2027 – 2 April 2027)."
    DocumentCheck.objects.filter(pk=check.pk).update(message=other)

    assert [p.code for p in guards.submission_problems(draft)] == [ProblemCode.DOCUMENT_CHECK_FAILED]


def test_a_programme_that_only_warns_lets_the_letter_through(catalogue):
    draft = draft_of(catalogue)
    letter_check(draft)
    ProgrammeDocument.objects.filter(programme=draft.programme, document_type__code="motivation-letter").update(
        when_check_fails=CheckFailure.WARN
    )

    assert guards.submission_problems(draft) == []


@pytest.mark.parametrize("status", [CheckStatus.PASS, CheckStatus.UNCHECKED])
def test_a_letter_that_passed_or_was_not_checked_does_not_block(catalogue, status):
    draft = draft_of(catalogue)
    letter_check(draft, status=status, message="Whatever the check said.")

    assert guards.submission_problems(draft) == []


def test_only_a_blocking_finding_can_be_confirmed(catalogue):
    draft = draft_of(catalogue)
    check = letter_check(draft, status=CheckStatus.PASS, message="The letter states the requested dates.")

    with pytest.raises(DomainError, match="There is nothing to confirm"):
        document_check_confirm(check=check, by=draft.applicant)


def test_missing_consent_is_fixed_on_the_review_step(catalogue):
    draft = draft_of(catalogue)
    services.application_give_consent(application=draft, consent=False)

    assert guards.submission_problems(draft) == [
        Problem(
            ProblemCode.CONSENT_MISSING,
            "consent",
            WizardStep.REVIEW,
            "Give your consent to the processing of your data.",
        )
    ]


def test_an_unconfirmed_address_is_fixed_outside_the_wizard(catalogue):
    draft = draft_of(catalogue, verified=False)

    assert guards.submission_problems(draft) == [
        Problem(
            ProblemCode.EMAIL_UNVERIFIED,
            "email",
            None,
            "Confirm your e-mail address first (see the link we sent you).",
        )
    ]


# --- as the review step lists them -----------------------------------------------------------------


def test_the_review_step_names_the_question_an_answer_problem_is_about(catalogue):
    draft = draft_of(catalogue)
    question = draft.programme.questions.get()
    services.application_save_answers(application=draft, answers={})

    assert selectors.submission_problems(draft) == [
        ReviewProblem(
            "Please answer this question.", WizardStep.ELIGIBILITY, subject=question.text,
            anchor=f"id_answer_{question.pk}_0",  # its first radio button on the eligibility step
        )
    ]  # fmt: skip


def test_the_review_step_sends_an_unconfirmed_address_to_the_email_settings(catalogue):
    draft = draft_of(catalogue, verified=False)
    services.application_give_consent(application=draft, consent=False)

    assert selectors.submission_problems(draft) == [
        ReviewProblem("Give your consent to the processing of your data.", WizardStep.REVIEW, anchor="id_consent"),
        ReviewProblem("Confirm your e-mail address first (see the link we sent you).", None, elsewhere="account_email"),
    ]


def test_every_wizard_step_is_a_step_of_the_pages():
    assert selectors.STEP_NAMES == ("profile", "eligibility", "components", "dates", "documents", "review")
