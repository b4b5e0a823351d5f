"""Guards of the state machine: each returns the problems that block a transition, in plain words."""

from django.utils import timezone

from applicants.enums import DocumentState
from applicants.models import Application
from placements.catalogue.validation import ComponentChoice, validate_choice


def choice_violations(application: Application, *, with_answers: bool = True):
    """The catalogue rules that the application's current choice breaks."""
    components = [
        ComponentChoice(offering=c.offering, weeks=c.weeks)
        for c in application.components.select_related("offering__group", "offering__department")
    ]
    answers = {int(k): v for k, v in application.answers.items()} if with_answers else None
    return validate_choice(
        programme=application.programme,
        components=components,
        start=application.start_date,
        end=application.end_date,
        applied_on=timezone.localdate(),
        answers=answers,
    )


def document_problems(application: Application) -> list[str]:
    documents = {d.document_type_id: d for d in application.documents.all()}
    problems = []
    for item in application.programme.programme_documents.select_related("document_type"):
        document = documents.get(item.document_type_id)
        name = item.document_type.name
        if document is None:
            if item.required:
                problems.append(f"Upload your {name.lower()}.")
        elif document.state == DocumentState.PENDING:
            problems.append(f"Your {name.lower()} is still being checked.")
        elif document.state == DocumentState.REJECTED:
            problems.append(f"Your {name.lower()} was refused: {document.reason} Upload another file.")
    return problems


def submission_problems(application: Application) -> list[str]:
    from portal.accounts import has_verified_email

    problems = [violation.message for violation in choice_violations(application)]
    if not hasattr(application.applicant, "profile"):
        problems.append("Complete your profile.")
    problems += document_problems(application)
    if not application.consent_given_at:
        problems.append("Give your consent to the processing of your data.")
    if not has_verified_email(application.applicant):
        problems.append("Confirm your e-mail address first (see the link we sent you).")
    return problems
