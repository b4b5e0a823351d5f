"""E-mail about applications: the placeholders of an application, the message announcing a status
change, and the timeline entry of every message sent or failed (a receiver of mail delivery)."""

import logging
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from applicants.enums import EventKind
from applicants.models import Application, Event
from portal.mail.models import EmailCode, EmailLog
from portal.mail.services import STAFF_CODES, email_queue, email_render, email_template_for

logger = logging.getLogger(__name__)


def application_context(application: Application, *, message: str = "", deadline: date | None = None) -> dict:
    """The placeholders for an e-mail about `application` (see portal.mail.rendering.PLACEHOLDERS)."""
    user = application.applicant
    return {
        "applicant_name": user.get_full_name() or user.email,
        "reference": application.reference or "",
        "programme": application.programme.title,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "message": message,
        "dashboard_url": settings.SITE_URL + application.get_absolute_url(),
        "deadline": deadline,
    }


def event_email_draft(*, event: Event) -> tuple[str, str] | None:
    """The subject and body the e-mail announcing `event` would have (None: no template), e.g. to
    prefill a form where the coordinator edits the message before sending."""
    application = event.application
    code = event.to_status
    if code not in EmailCode.values or email_template_for(code=code, language=application.applicant.language) is None:
        return None
    context = application_context(application, message="" if event.internal else event.message)
    return email_render(code=code, language=application.applicant.language, context=context)


def event_email_queue(*, event: Event, subject: str | None = None, body: str | None = None) -> EmailLog | None:
    """Queue the e-mail to the applicant that announces status change `event`, once.

    Returns None when no template exists for the new status (that change is not announced).
    A view that lets the coordinator edit the message calls this with `subject`/`body` in the
    transaction of the change; the transition's own effect then finds the row and adds nothing.
    """
    code = event.to_status
    if not code or code not in EmailCode.values:
        return None
    application = event.application
    user = application.applicant
    if email_template_for(code=code, language=user.language) is None and (subject is None or body is None):
        logger.info("No e-mail template for %s; event %s is not announced", code, event.pk)
        return None
    return email_queue(
        code=code,
        to=user.email,
        language=user.language,
        context=application_context(application, message="" if event.internal else event.message),
        application=application,
        event=event,
        subject=subject,
        body=body,
    )


def email_on_timeline(sender, *, log: EmailLog, failed: bool, **kwargs) -> None:
    """An application's e-mails also appear on its timeline (the events are the audit trail).

    Connected to portal.mail.signals.email_settled in ApplicantsConfig.ready(); runs in the
    transaction that records the outcome on the message's row.
    """
    if log.application_id is None:
        return
    kind = EventKind.EMAIL_FAILED if failed else EventKind.EMAIL_SENT
    # Written once, in the language of the message (the applicant's), like the message itself.
    with translation.override(log.language or settings.LANGUAGE_CODE):
        if failed:
            message = _("To %(to)s: %(subject)s (%(error)s)") % {
                "to": log.to,
                "subject": log.subject,
                "error": log.last_error,
            }
        else:
            message = _("To %(to)s: %(subject)s") % {"to": log.to, "subject": log.subject}
    fields = {
        "application_id": log.application_id,
        "message": message,
        "internal": failed or log.template_code in STAFF_CODES,
    }
    # The message that announces a status change is that event's consequence; one per kind.
    if log.event is not None and log.template_code == log.event.to_status:
        Event.objects.get_or_create(caused_by=log.event, kind=kind, defaults=fields)
    else:
        Event.objects.create(kind=kind, **fields)
