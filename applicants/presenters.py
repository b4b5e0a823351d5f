"""How pages and PDFs show an application: status badges, event titles, eligibility answers."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from applicants.enums import ApplicationStatus, CheckStatus, DocumentState, EventKind, ProposalStatus
from applicants.models import Application, Event

S = ApplicationStatus


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an application's timeline, on the applicant's page and on the staff's."""

    at: datetime
    title: str
    message: str
    actor: str
    internal: bool = False  # marked on the staff's timeline (the applicant's leaves such events out)


# Bootstrap colours of the status badge: where the applicant has to act, good news, closed.
STATUS_BADGES = {
    S.DRAFT: "text-bg-secondary",
    S.SUBMITTED: "text-bg-info",
    S.IN_REVIEW: "text-bg-info",
    S.INFO_REQUESTED: "text-bg-warning",
    S.ACCEPTED: "text-bg-success",
    S.WAITLISTED: "text-bg-warning",
    S.REJECTED: "text-bg-dark",
    S.OFFERED: "text-bg-primary",
    S.CONFIRMED: "text-bg-success",
    S.DECLINED: "text-bg-light border",
    S.WITHDRAWN: "text-bg-light border",
    S.EXPIRED: "text-bg-light border",
}
DOCUMENT_BADGES = {DocumentState.READY: "text-bg-success", DocumentState.REJECTED: "text-bg-danger"}
NEUTRAL_BADGE = "text-bg-secondary"


def status_badge(status: str) -> str:
    """The badge classes of an application status."""
    return STATUS_BADGES.get(status, NEUTRAL_BADGE)


def document_badge(state: str) -> str:
    """The badge classes of a document's state: ready, refused, or still being checked."""
    return DOCUMENT_BADGES.get(state, NEUTRAL_BADGE)


CHECK_BADGES = {CheckStatus.PASS: "text-bg-success", CheckStatus.WARN: "text-bg-warning"}


PROPOSAL_BADGES = {ProposalStatus.APPROVED: "text-bg-success", ProposalStatus.REFUSED: "text-bg-danger"}


def proposal_badge(status: str) -> str:
    """The badge classes of a proposed hospital: approved, refused, or waiting (neutral)."""
    return PROPOSAL_BADGES.get(status, NEUTRAL_BADGE)


def check_badge(status: str) -> str:
    """The badge classes of an automatic check: passed, needs a look, or not checked (neutral)."""
    return CHECK_BADGES.get(status, NEUTRAL_BADGE)


def event_title(event: Event) -> str:
    """What happened, in a few words: the new status of a status change, else the kind of event."""
    if event.kind == EventKind.STATUS_CHANGED and event.to_status in S.values:
        return S(event.to_status).label
    return event.get_kind_display()


def in_sentence(name: str) -> str:
    """A catalogue name inside a sentence: its first letter in lower case, unless the first word is an
    abbreviation ("Proof of English" -> "proof of English", "Bewijs van Engelse ..." -> "bewijs van
    Engelse ...", "CV" stays)."""
    name = str(name)
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def answer_text(value) -> str:
    """An eligibility answer in words ("" when not answered)."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "" if value is None else str(value)


def answer_rows(application: Application, questions=None) -> list[tuple[str, str]]:
    """The answered eligibility questions with their answers, in the programme's order; `questions`:
    the programme's (pk, text) pairs when the caller has them already."""
    if questions is None:
        questions = [(question.pk, question.text) for question in application.programme.questions.all()]
    answers = application.answers or {}
    return [(text, answer_text(answers[str(pk)])) for pk, text in questions if str(pk) in answers]
