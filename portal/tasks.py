"""Tasks of the portal itself: the worker heartbeat, e-mail delivery and the daily reminders.

Periodic tasks (celery beat, `celery -A portal beat`; the schedule is CELERY_BEAT_SCHEDULE in settings):
- portal.send_reminders_drafts, portal.send_reminders_info, portal.send_reminders_reviews: every
  morning (Europe/Brussels); each reminder is sent once per occasion (see portal/mail/reminders.py);
- portal.send_stuck_emails: every 10 minutes, queues again the e-mails whose task was lost.
- portal.sweep_outbox: every minute, sends again the tasks that never reached
  the broker (documents, e-mails, planner runs and data exports left waiting; see portal/outbox.py).
"""

import logging

from celery import shared_task
from django.utils import timezone

from portal.mail import reminders
from portal.mail.services import MAX_ATTEMPTS, TemporaryEmailError, email_deliver, email_requeue_stuck
from portal.models import WorkerHeartbeat
from portal.outbox import outbox_sweep

logger = logging.getLogger(__name__)


@shared_task(name="portal.record_heartbeat")
def record_heartbeat(*, label: str) -> int:
    """Write a heartbeat row: shows that a worker reaches the database. Returns the row id."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(label=label, defaults={"seen_at": timezone.now()})
    logger.info("Heartbeat %s recorded", label)
    return beat.pk


@shared_task(
    name="portal.send_email",
    acks_late=True,
    autoretry_for=(TemporaryEmailError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def send_email(*, log_id: int) -> str:
    """Send the queued e-mail `log_id`, retrying temporary SMTP failures; a second run of a sent one does nothing."""
    return email_deliver(log_id=log_id)


@shared_task(name="portal.send_stuck_emails")
def send_stuck_emails() -> int:
    """Queue again the e-mails left waiting by a lost task; returns how many."""
    return email_requeue_stuck()


@shared_task(name="portal.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Send again the tasks of rows left waiting (the broker was away); returns how many per kind."""
    return outbox_sweep()


@shared_task(name="portal.send_reminders_drafts")
def send_reminders_drafts() -> int:
    """Remind applicants of drafts whose last day to submit is near; returns how many were queued."""
    return reminders.remind_drafts()


@shared_task(name="portal.send_reminders_info")
def send_reminders_info() -> int:
    """Remind applicants of information requests unanswered for a week; returns how many were queued."""
    return reminders.remind_info_requests()


@shared_task(name="portal.send_reminders_reviews")
def send_reminders_reviews() -> int:
    """Remind coordinators of applications waiting two weeks for a decision; returns how many were queued."""
    return reminders.remind_reviews()
