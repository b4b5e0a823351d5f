"""Tasks of the portal itself: the worker heartbeat, e-mail delivery and the two sweepers of lost tasks.

Periodic tasks (celery beat, `celery -A portal beat`; the schedule is CELERY_BEAT_SCHEDULE in settings):
- portal.sweep_outbox: every minute, sends again the tasks that never reached a worker: of every
  kind of row the apps registered (documents, e-mails never claimed, planner runs, data exports and
  PDF dossiers left waiting; see portal/outbox.py);
- portal.send_stuck_emails: every 10 minutes, queues again the e-mails a worker claimed and then
  lost (killed while sending, or its scheduled retry lost). Each lost e-mail has exactly one of
  the two: never claimed, the outbox; claimed, this one.
The daily reminders are the applications app's (applicants/tasks.py).
"""

import logging

from celery import shared_task
from django.utils import timezone

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
    """Queue again the e-mails a worker claimed and then lost; returns how many."""
    return email_requeue_stuck()


@shared_task(name="portal.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Send again the tasks of rows left waiting (the broker was away); returns how many per kind."""
    return outbox_sweep()
