"""Periodic tasks of host departments (celery beat; the schedule is CELERY_BEAT_SCHEDULE in settings):

- hosting.start_placements, every morning: confirmed placements whose first day has come are in progress;
- hosting.complete_placements, every night: running placements past their last day are completed;
- hosting.remind_starts, every morning: the start-date reminder (placements/hosting/reminders.py).

The first two are idempotent: each row is locked and moved only from the state it was found in, so a second
run, also a parallel one, finds nothing left to do.
"""

import logging

from celery import shared_task

from placements.hosting.reminders import remind_starts as start_reminders_queue
from placements.hosting.services import placements_complete_due, placements_start_due

logger = logging.getLogger(__name__)


@shared_task(name="hosting.start_placements", acks_late=True)
def start_placements() -> int:
    """Start the confirmed placements whose first day has come; returns how many started."""
    count = placements_start_due()
    logger.info("%s placement(s) started", count)
    return count


@shared_task(name="hosting.complete_placements", acks_late=True)
def complete_placements() -> int:
    """Complete the running placements past their last day; returns how many were completed."""
    count = placements_complete_due()
    logger.info("%s placement(s) completed", count)
    return count


@shared_task(name="hosting.remind_starts", acks_late=True)
def remind_starts() -> int:
    """Remind the trainee and the supervisors of each confirmed placement a week before it starts."""
    count = start_reminders_queue()
    logger.info("%s start reminder(s) queued", count)
    return count
