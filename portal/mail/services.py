"""Services of the portal's e-mail: render a template, queue a message, deliver a queued message.

Every message is an EmailLog row written in the transaction that decides to send it; the task
`portal.send_email` is queued only after that transaction commits, claims the row, sends it and
records each attempt on the row. Nothing is sent for a decision that rolled back, and nothing is
sent twice: queueing is idempotent per (event, template code) or per occasion, and sending claims
the row with a conditional UPDATE. A message that is sent or failed for good is announced through
`signals.email_settled` (the applications app puts it on the application's timeline).

A lost task is sent again by one of two sweepers: the outbox (`emails_waiting`) for a message no
worker ever claimed, `email_requeue_stuck` for one a worker claimed and then lost.
"""

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from portal.jobs.queue import queue_after_commit, send
from portal.mail.defaults import default_templates
from portal.mail.models import EmailCode, EmailLog, EmailStatus, EmailTemplate
from portal.mail.rendering import one_line, render_text
from portal.mail.signals import email_settled

logger = logging.getLogger(__name__)

# One first attempt and up to six retries (the task's max_retries).
MAX_ATTEMPTS = 7
# A row left "sending" longer than this was abandoned by a killed worker and may be claimed again.
# Well above the task time limit, so that a slow but living attempt is never doubled.
CLAIM_TIMEOUT = timedelta(minutes=15)
# Messages to staff: their timeline entry is internal.
STAFF_CODES = frozenset({EmailCode.REMINDER_REVIEW})
SEND_TASK = "portal.send_email"


class NoTemplate(LookupError):
    """There is no active template for an e-mail code, in the language asked or in English."""


class TemporaryEmailError(Exception):
    """Sending failed in a way that may pass (server away, 4xx answer): worth another attempt."""


# --- rendering --------------------------------------------------------------------------------


def email_template_for(*, code: str, language: str) -> EmailTemplate | None:
    """The active template for `code` in `language`, else the English one, else None.

    Only when no template for `code` exists at all (none was ever created, or the table was
    emptied) do the built-in texts of templates/emails stand in, unsaved; to stop an e-mail,
    an administrator makes its templates inactive.
    """
    rows = {t.language: t for t in EmailTemplate.objects.filter(code=code)}
    if not rows:
        builtin = default_templates()
        for candidate in (language, "en"):
            if (code, candidate) in builtin:
                subject, body = builtin[(code, candidate)]
                return EmailTemplate(code=code, language=candidate, subject=subject, body=body)
        return None
    for candidate in (language, "en"):
        if candidate in rows and rows[candidate].active:
            return rows[candidate]
    return None


def email_render(*, code: str, language: str, context: dict) -> tuple[str, str]:
    """Subject and body of e-mail `code` for `context`, in `language` (falling back to English)."""
    template = email_template_for(code=code, language=language)
    if template is None:
        raise NoTemplate(f"There is no active e-mail template for “{code}”.")
    subject = one_line(render_text(template.subject, context, language=template.language))
    body = render_text(template.body, context, language=template.language)
    return subject, body


# --- queueing ---------------------------------------------------------------------------------


def email_queue(
    *,
    code: str,
    to: str | Sequence[str],
    language: str,
    context: dict,
    application=None,
    event=None,
    subject: str | None = None,
    body: str | None = None,
    occasion: str = "",
) -> EmailLog:
    """Write the log row of a message and queue its sending for when the caller's transaction commits.

    `subject`/`body` replace the rendered template (a coordinator edited the message). With an
    `event` (or an `occasion`), a second call returns the existing row and queues nothing.
    """
    if event is not None:
        existing = EmailLog.objects.filter(event=event, template_code=code).first()
    elif occasion:
        existing = EmailLog.objects.filter(occasion=occasion).first()
    else:
        existing = None
    if existing is not None:
        return existing
    if subject is None or body is None:
        rendered_subject, rendered_body = email_render(code=code, language=language, context=context)
        subject = rendered_subject if subject is None else subject
        body = rendered_body if body is None else body
    recipients = [to] if isinstance(to, str) else list(to)
    fields = {
        "to": ", ".join(recipients),
        "subject": one_line(subject)[:300],
        "body": body,
        "template_code": code,
        "language": language,
        "application": application,
    }
    with transaction.atomic():
        if event is not None:
            log, created = EmailLog.objects.get_or_create(event=event, template_code=code, defaults=fields)
        elif occasion:
            log, created = EmailLog.objects.get_or_create(occasion=occasion, defaults=fields)
        else:
            log, created = EmailLog.objects.create(**fields), True
        if created:
            # A broker that is away must not break the caller; the row stays queued and
            # `portal.sweep_outbox` queues it again.
            queue_after_commit(SEND_TASK, log_id=log.pk)
    return log


# --- delivering -------------------------------------------------------------------------------


def is_temporary(error: Exception) -> bool:
    """Whether a failed send may succeed later: connection trouble and 4xx answers, not 5xx."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPException):
        return False
    return isinstance(error, ConnectionError | TimeoutError | OSError)


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {text}"[:1000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in error.recipients.items()
        )
        return f"Recipients refused: {refused}"[:1000]
    return f"{type(error).__name__}: {error}"[:1000]


def email_claim(*, log_id: int) -> EmailLog | None:
    """Take on the queued message `log_id` for one attempt; None if it is sent, failed or being sent."""
    now = timezone.now()
    claimable = Q(status=EmailStatus.QUEUED) | Q(status=EmailStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    claimed = EmailLog.objects.filter(claimable, pk=log_id).update(
        status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return EmailLog.objects.select_related("application", "event").get(pk=log_id)


def email_deliver(*, log_id: int) -> str:
    """Send the queued message `log_id`: "sent", "failed" (permanently) or "skipped" (not queued).

    Raises TemporaryEmailError after a temporary failure while attempts remain; the row is then
    queued again, with the error and the attempt count recorded.
    """
    log = email_claim(log_id=log_id)
    if log is None:
        logger.info("E-mail %s is not waiting to be sent; nothing to do", log_id)
        return "skipped"
    message = EmailMessage(
        subject=log.subject, body=log.body, from_email=settings.DEFAULT_FROM_EMAIL, to=log.recipients
    )
    try:
        message.send()
    except Exception as error:  # every failure is recorded on the row; only temporary ones are retried
        text = describe(error)
        if is_temporary(error) and log.attempts < MAX_ATTEMPTS:
            EmailLog.objects.filter(pk=log.pk, status=EmailStatus.SENDING).update(
                status=EmailStatus.QUEUED, last_error=text
            )
            logger.warning("E-mail %s, attempt %s failed, will retry: %s", log.pk, log.attempts, text)
            raise TemporaryEmailError(text) from error
        with transaction.atomic():
            EmailLog.objects.filter(pk=log.pk).update(status=EmailStatus.FAILED, last_error=text)
            log.status, log.last_error = EmailStatus.FAILED, text
            email_settled.send(sender=EmailLog, log=log, failed=True)
        logger.error("E-mail %s failed after %s attempt(s): %s", log.pk, log.attempts, text)
        return "failed"
    with transaction.atomic():
        # last_error stays: the log shows that an earlier attempt failed, and why.
        log.status, log.sent_at = EmailStatus.SENT, timezone.now()
        EmailLog.objects.filter(pk=log.pk).update(status=log.status, sent_at=log.sent_at)
        email_settled.send(sender=EmailLog, log=log, failed=False)
    logger.info("E-mail %s sent to %s (attempt %s)", log.pk, log.to, log.attempts)
    return "sent"


def email_retry(*, log: EmailLog) -> bool:
    """Queue a failed message once more (an admin fixed the address or the server); False if not failed.

    The attempt count goes on: a message already tried MAX_ATTEMPTS times gets this one attempt.
    """
    with transaction.atomic():
        updated = EmailLog.objects.filter(pk=log.pk, status=EmailStatus.FAILED).update(status=EmailStatus.QUEUED)
        if updated:
            queue_after_commit(SEND_TASK, log_id=log.pk)
    return bool(updated)


def emails_waiting(cutoff: datetime) -> QuerySet:
    """Ids of the messages written before `cutoff` that no worker ever claimed, oldest first (the outbox's).

    A message that waits for a retry after a failed attempt (claimed_at set) has its retry
    scheduled; if that is lost too, `email_requeue_stuck` takes it up.
    """
    rows = EmailLog.objects.filter(status=EmailStatus.QUEUED, claimed_at__isnull=True, created_at__lt=cutoff)
    return rows.order_by("created_at").values_list("pk", flat=True)


def email_requeue_stuck(*, now=None) -> int:
    """Queue again the messages a worker claimed and then lost (killed while sending, or its retry lost).

    Only claimed ones: a message never claimed is the outbox sweeper's (`emails_waiting`).
    """
    now = now or timezone.now()
    stale = now - CLAIM_TIMEOUT
    stuck = list(
        EmailLog.objects.filter(status__in=[EmailStatus.QUEUED, EmailStatus.SENDING], claimed_at__lt=stale)
        .order_by("claimed_at")
        .values_list("pk", flat=True)[:500]
    )
    queued = 0
    for log_id in stuck:
        if not send(SEND_TASK, log_id=log_id):
            break  # the broker is away: the next run tries again
        queued += 1
    if queued:
        logger.warning("Queued %s stuck e-mail(s) again", queued)
    return queued
