"""Guards of the state machine: each returns the problems that block a transition, each with a code,
the field it concerns, the wizard step where it is fixed, and a message in plain words."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from applicants.enums import CheckStatus, DocumentState, ProposalStatus, WizardStep
from applicants.models import Application, Document, DocumentCheck
from applicants.presenters import in_sentence
from placements.catalogue.enums import AutomaticCheck, CheckFailure
from placements.catalogue.models import ProgrammeDocument
from placements.catalogue.validation import ComponentChoice, ProposedChoice, validate_choice
from portal.accounts import has_verified_email


class ProblemCode(StrEnum):
    RULE_BROKEN = "rule_broken"  # a catalogue rule: eligibility, choice, dates, application window
    PROFILE_MISSING = "profile_missing"
    DOCUMENT_MISSING = "document_missing"
    DOCUMENT_PENDING = "document_pending"
    DOCUMENT_REFUSED = "document_refused"
    DOCUMENT_CHECK_FAILED = "document_check_failed"  # an automatic check the programme lets block, unconfirmed
    CONSENT_MISSING = "consent_missing"
    EMAIL_UNVERIFIED = "email_unverified"


@dataclass(frozen=True)
class Problem:
    """One thing that blocks a transition; `message` is shown to the applicant as it is."""

    code: ProblemCode
    field: str  # e.g. "answer:<question id>", "component:<offering id>", "start_date", "document:<type code>"
    step: WizardStep | None  # where the applicant fixes it; None: outside the wizard
    message: str


def proposed_choices(application: Application) -> list[ProposedChoice]:
    """The hospitals the applicant proposes that await a coordinator, each one choice of its group (an
    approved one is a component by then; a refused one is no choice at all)."""
    return [
        ProposedChoice(group=proposal.group, weeks=proposal.weeks, label=proposal.label)
        for proposal in application.hospital_proposals.all()
        if proposal.status == ProposalStatus.PENDING
    ]


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
        proposals=proposed_choices(application),
        start=application.start_date,
        end=application.end_date,
        applied_on=timezone.localdate(),
        answers=answers,
    )


def step_of_field(field: str) -> WizardStep | None:
    """The wizard step that edits a field of a catalogue rule (None: the programme's own, e.g. its window)."""
    if field.startswith("answer:"):
        return WizardStep.ELIGIBILITY
    if field.startswith("component"):
        return WizardStep.COMPONENTS
    if field in ("start_date", "end_date"):
        return WizardStep.DATES
    return None


def rule_problems(application: Application) -> list[Problem]:
    return [
        Problem(ProblemCode.RULE_BROKEN, violation.field, step_of_field(violation.field), violation.message)
        for violation in choice_violations(application)
    ]


# What the applicant confirms of a document when its automatic check says otherwise, by the check.
# Each claim ends a sentence "... confirm that it <claim>" (Dutch: "... bevestigen dat hij <claim>").
CHECK_CLAIMS = {
    AutomaticCheck.STATES_REQUESTED_DATES: pgettext_lazy("document claim", "states the requested dates"),
    AutomaticCheck.PROOF_OF_ENGLISH: pgettext_lazy("document claim", "is a proof of your English"),
}


CLAIM_RIGHT = pgettext_lazy("document claim", "is right")


def blocking_checks(item: ProgrammeDocument, document: Document | None) -> list[DocumentCheck]:
    """The findings of `document`'s checks that block submitting it: the programme says so for this
    document, the check found a problem, and the applicant has not confirmed that the file is right."""
    if document is None or document.state != DocumentState.READY or item.when_check_fails != CheckFailure.BLOCK:
        return []
    return [check for check in document.checks.all() if check.status == CheckStatus.WARN and not check.confirmed]


def check_claim(check: DocumentCheck) -> str:
    return str(CHECK_CLAIMS.get(check.code, CLAIM_RIGHT))


def _document_problem(item, document) -> tuple[ProblemCode, str] | None:
    name = in_sentence(item.document_type.name)
    if document is None:
        return (
            (ProblemCode.DOCUMENT_MISSING, _("Upload your %(document)s.") % {"document": name})
            if item.required
            else None
        )
    if document.state == DocumentState.PENDING:
        return ProblemCode.DOCUMENT_PENDING, _("Your %(document)s is still being checked.") % {"document": name}
    if document.state == DocumentState.REJECTED:
        message = _("Your %(document)s was refused: %(reason)s Upload another file.")
        return ProblemCode.DOCUMENT_REFUSED, message % {"document": name, "reason": document.reason}
    for check in blocking_checks(item, document):
        message = _("%(finding)s Replace your %(document)s, or confirm that it %(claim)s.") % {
            "finding": check.message,
            "document": name,
            "claim": check_claim(check),
        }
        return ProblemCode.DOCUMENT_CHECK_FAILED, message
    return None


def document_problems(application: Application) -> list[Problem]:
    """What the programme's documents still lack: required ones missing, ones being checked or refused,
    and ones whose automatic check blocks (see `blocking_checks`)."""
    documents = {d.document_type_id: d for d in application.documents.all()}
    problems = []
    for item in application.programme.programme_documents.select_related("document_type"):
        found = _document_problem(item, documents.get(item.document_type_id))
        if found:
            code, message = found
            problems.append(Problem(code, f"document:{item.document_type.code}", WizardStep.DOCUMENTS, message))
    return problems


def submission_problems(application: Application) -> list[Problem]:
    """Everything that blocks submitting `application`, in the order the review step lists it."""
    problems = rule_problems(application)
    if not hasattr(application.applicant, "profile"):
        problems.append(
            Problem(ProblemCode.PROFILE_MISSING, "profile", WizardStep.PROFILE, _("Complete your profile."))
        )
    problems += document_problems(application)
    if not application.consent_given_at:
        message = _("Give your consent to the processing of your data.")
        problems.append(Problem(ProblemCode.CONSENT_MISSING, "consent", WizardStep.REVIEW, message))
    if not has_verified_email(application.applicant):
        message = _("Confirm your e-mail address first (see the link we sent you).")
        problems.append(Problem(ProblemCode.EMAIL_UNVERIFIED, "email", None, message))
    return problems
