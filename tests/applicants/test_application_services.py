"""The applicant's business actions: starting (and resuming) a draft, and the guards on submitting it."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from applicants.enums import ApplicationStatus, DocumentState, EventKind
from applicants.errors import DomainError, TransitionNotAllowed
from applicants.models import Application, Event
from applicants.services import applications as services
from applicants.services.documents import document_delete
from placements.allocation.services.lifecycle import application_withdraw
from placements.catalogue.validation import earliest_start, human_date
from tests.applicants.builders import complete_draft, first_monday_from, make_applicant

pytestmark = pytest.mark.django_db


def refused_submission(application) -> str:
    """Submit `application`, expect a refusal, and return its message; the draft must stay a draft."""
    with pytest.raises(TransitionNotAllowed) as refusal:
        services.application_submit(application=application, by=application.applicant)
    application.refresh_from_db()
    assert (application.status, application.reference, application.submitted_at) == (
        ApplicationStatus.DRAFT,
        None,
        None,
    )
    return str(refusal.value)


# --- the guards on submitting -----------------------------------------------------------------


def test_a_complete_draft_is_submitted_and_numbered(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))

    services.application_submit(application=application, by=application.applicant)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference == f"UMCG-{application.start_date.year}-0001"
    assert application.submitted_at is not None
    assert application.events.filter(kind=EventKind.STATUS_CHANGED, to_status=ApplicationStatus.SUBMITTED).count() == 1


def test_submit_refuses_without_consent(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))
    services.application_give_consent(application=application, consent=False)

    assert refused_submission(application) == "Give your consent to the processing of your data."


def test_submit_refuses_a_missing_required_document(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))
    cv = application.documents.get(document_type__code="cv")
    document_delete(document=cv, by=application.applicant)

    assert refused_submission(application) == "Upload your curriculum vitae."


def test_submit_refuses_while_a_document_is_being_checked(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"), documents_state=DocumentState.PENDING)

    assert refused_submission(application) == (
        "Your curriculum vitae is still being checked. Your motivation letter is still being checked. "
        "Your proof of English is still being checked."
    )


def test_submit_refuses_a_refused_document(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))
    application.documents.filter(document_type__code="cv").update(
        state=DocumentState.REJECTED, reason="The file is encrypted."
    )

    assert refused_submission(application) == (
        "Your curriculum vitae was refused: The file is encrypted. Upload another file."
    )


def test_submit_refuses_an_unverified_email_address(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org", verified=False))

    assert refused_submission(application) == "Confirm your e-mail address first (see the link we sent you)."


def test_submit_refuses_without_a_profile(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org", profile=False))

    assert refused_submission(application) == "Complete your profile."


def test_submit_refuses_nuclear_medicine_on_its_own(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))
    nuclear = rotation.offerings.get(may_stand_alone=False)
    services.application_save_components(
        application=application, components=[services.ComponentInput(offering_id=nuclear.pk, weeks=2, rank=1)]
    )
    services.application_save_dates(
        application=application, start=application.start_date, end=application.start_date + timedelta(days=11)
    )

    assert refused_submission(application) == (
        "Nuclear medicine and molecular imaging cannot be chosen on its own. Combine it with Radiology sections."
    )


def test_submit_refuses_a_start_date_inside_the_lead_time(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))
    today = timezone.localdate()
    start = first_monday_from(today + timedelta(days=14))
    services.application_save_dates(application=application, start=start, end=start + timedelta(days=25))

    assert refused_submission(application) == (
        f"The start date must be on or after {date_format(earliest_start(rotation, today), 'l j F Y')}, "
        f"the first Monday at least 3 months after {human_date(today)}."
    )


def test_submit_lists_every_problem_at_once(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org", verified=False))
    services.application_give_consent(application=application, consent=False)

    assert refused_submission(application) == (
        "Give your consent to the processing of your data. "
        "Confirm your e-mail address first (see the link we sent you)."
    )


def test_another_user_may_not_submit_someone_elses_draft(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))
    bob = make_applicant("bob@example.org")

    with pytest.raises(TransitionNotAllowed, match=re.escape("You may not submit this application.")):
        services.application_submit(application=application, by=bob)


def test_a_submitted_application_can_no_longer_be_changed(rotation):
    application = complete_draft(rotation, make_applicant("alice@example.org"))
    services.application_submit(application=application, by=application.applicant)

    with pytest.raises(DomainError, match=re.escape("A submitted application can no longer be changed.")):
        services.application_save_dates(application=application, start=application.start_date, end=application.end_date)


# --- starting and resuming ----------------------------------------------------------------------


def test_starting_again_resumes_the_same_draft(rotation):
    alice = make_applicant("alice@example.org")

    first = services.application_start(applicant=alice, programme=rotation)
    services.application_save_answers(application=first, answers={rotation.questions.get().pk: True})
    again = services.application_start(applicant=alice, programme=rotation)

    assert again.pk == first.pk
    assert again.completed_steps == ["eligibility"]
    assert Application.objects.filter(applicant=alice).count() == 1
    assert Event.objects.filter(application=first, kind=EventKind.CREATED).count() == 1


def test_a_draft_per_programme_is_allowed(catalogue):
    alice = make_applicant("alice@example.org")

    rotation_draft = services.application_start(applicant=alice, programme=catalogue["rotation"])
    cohort_draft = services.application_start(applicant=alice, programme=catalogue["cohort"])

    assert rotation_draft.pk != cohort_draft.pk


def test_an_unpublished_programme_takes_no_applications(rotation):
    rotation.published = False
    rotation.save(update_fields=["published"])

    with pytest.raises(DomainError, match=re.escape("This programme does not take applications.")):
        services.application_start(applicant=make_applicant("alice@example.org"), programme=rotation)


def test_one_open_application_per_programme(rotation):
    alice = make_applicant("alice@example.org")
    application = complete_draft(rotation, alice)
    services.application_submit(application=application, by=alice)
    application.refresh_from_db()

    with pytest.raises(DomainError) as refusal:
        services.application_start(applicant=alice, programme=rotation)

    assert str(refusal.value) == f"You already have an open application for this programme ({application.reference})."
    assert Application.objects.filter(applicant=alice).count() == 1


def test_the_database_refuses_a_second_open_application(rotation):
    alice = make_applicant("alice@example.org")
    services.application_start(applicant=alice, programme=rotation)

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(applicant=alice, programme=rotation, status=ApplicationStatus.SUBMITTED)


def test_after_withdrawing_a_new_application_can_be_started(rotation):
    alice = make_applicant("alice@example.org")
    application = complete_draft(rotation, alice)
    services.application_submit(application=application, by=alice)
    application_withdraw(application=application, by=alice)

    fresh = services.application_start(applicant=alice, programme=rotation)

    assert fresh.pk != application.pk
    assert fresh.status == ApplicationStatus.DRAFT


# --- reference codes ----------------------------------------------------------------------------


def test_references_are_sequential_per_programme_and_year(rotation):
    drafts = [complete_draft(rotation, make_applicant(f"applicant{n}@example.org")) for n in range(3)]
    year = drafts[0].start_date.year
    later = drafts[2]
    # 53 weeks on: still a Monday, and always in the next calendar year.
    start = later.start_date + timedelta(weeks=53)
    services.application_save_dates(application=later, start=start, end=start + timedelta(days=25))

    for draft in drafts:
        services.application_submit(application=draft, by=draft.applicant)

    assert [d.reference for d in drafts] == [f"UMCG-{year}-0001", f"UMCG-{year}-0002", f"UMCG-{year + 1}-0001"]


def test_a_refused_submission_uses_no_reference_number(rotation):
    refused = complete_draft(rotation, make_applicant("alice@example.org"))
    services.application_give_consent(application=refused, consent=False)
    accepted = complete_draft(rotation, make_applicant("bob@example.org"))

    refused_submission(refused)
    services.application_submit(application=accepted, by=accepted.applicant)

    assert accepted.reference == f"UMCG-{accepted.start_date.year}-0001"
