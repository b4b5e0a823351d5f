"""The coordinator's actions on an application (review, information requests, decisions, notes) and
the applicant's answer to an information request. Every status change goes through the workflow."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from applicants import workflow
from applicants.enums import ApplicationStatus, EventKind
from applicants.errors import DomainError, TransitionNotAllowed
from applicants.models import Application, Event, InternalNote
from applicants.notifications import application_context, event_email_queue
from applicants.services.documents import document_upload
from portal.mail.services import NoTemplate, email_render

logger = logging.getLogger(__name__)
DECISIONS = tuple(name for name, spec in workflow.TRANSITIONS.items() if spec.decision)


def _require_staff(application: Application, user) -> None:
    if workflow.role_of(user, application) not in workflow.STAFF:
        raise DomainError(_("Only the coordinators of this programme can do that."))


def application_start_review(*, application: Application, by) -> Event:
    """Take a submitted application into review."""
    return workflow.transition(application=application, name="start_review", by=by)


def application_request_info(*, application: Application, by, message: str) -> Event:
    """Ask the applicant for more information; the e-mail of the transition carries `message`."""
    message = message.strip()
    if not message:
        raise DomainError(_("Write what the applicant should send or explain."))
    return workflow.transition(application=application, name="request_info", by=by, message=message)


def info_request_latest(application: Application) -> Event | None:
    """The event of the latest information request, whose message the applicant answers (a read)."""
    return (
        application.events.filter(kind=EventKind.STATUS_CHANGED, to_status=ApplicationStatus.INFO_REQUESTED)
        .order_by("-created_at", "-id")
        .first()
    )


def application_answer_info(*, application: Application, by, answer: str, uploads: dict) -> Event:
    """The applicant answers an information request with text and replacement documents
    (`uploads`: DocumentType -> uploaded file); the application goes back into review.

    All or nothing: a refused file raises DomainError with its reason and nothing is kept.
    """
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Write your answer to the coordinator."))
    stored = []
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
            if workflow.role_of(by, locked) != workflow.Role.APPLICANT:
                raise TransitionNotAllowed(_("Only the applicant can answer an information request."))
            if locked.status != ApplicationStatus.INFO_REQUESTED:
                raise TransitionNotAllowed(_("There is no open information request on this application."))
            for document_type, upload in uploads.items():
                try:
                    document = document_upload(application=locked, document_type=document_type, upload=upload, by=by)
                except DomainError as error:
                    raise DomainError(
                        _("%(document)s: %(error)s") % {"document": document_type.name, "error": error}
                    ) from error
                stored.append(document)
            event = workflow.transition(application=locked, name="answer_info", by=by, message=answer)
    except Exception:
        # The rows rolled back; their files were already written to storage.
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise
    application.refresh_from_db()
    return event


def _decision(name: str) -> workflow.Transition:
    if name not in DECISIONS:
        raise DomainError(_("Unknown decision."))
    return workflow.TRANSITIONS[name]


def decision_email_draft(*, application: Application, name: str) -> tuple[str, str]:
    """The subject and body of decision `name`'s e-mail from its template, in the applicant's
    language, for the coordinator to edit before sending ("", "" when there is no template)."""
    spec = _decision(name)
    try:
        return email_render(
            code=spec.target, language=application.applicant.language, context=application_context(application)
        )
    except NoTemplate:
        logger.warning("No e-mail template for %s; the coordinator writes the message", spec.target)
        return "", ""


def application_decide(*, application: Application, by, name: str, subject: str, body: str) -> Event:
    """Accept, waitlist or reject, sending the coordinator's edited e-mail.

    The e-mail row is written for the decision's event in the same transaction, so the transition's
    own e-mail effect, run after commit, finds it and sends nothing more; a refused decision sends nothing.
    """
    _decision(name)
    if not subject.strip() or not body.strip():
        raise DomainError(_("The e-mail needs a subject and a text."))
    with transaction.atomic():
        event = workflow.transition(application=application, name=name, by=by)
        event_email_queue(event=event, subject=subject.strip(), body=body)
    return event


def internal_note_add(*, application: Application, author, text: str) -> InternalNote:
    """A note for the programme's staff; the applicant never sees it."""
    text = text.strip()
    if not text:
        raise DomainError(_("Write the note first."))
    with transaction.atomic():
        _require_staff(application, author)
        note = InternalNote.objects.create(application=application, author=author, text=text)
        Event.objects.create(
            application=application, actor=author, kind=EventKind.NOTE, message=_("Internal note added."), internal=True
        )
    return note
