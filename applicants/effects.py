"""Side effects of transitions, run after the transaction commits."""

import logging

from django.db import transaction

from applicants.models import Event
from applicants.notifications import event_email_queue

logger = logging.getLogger(__name__)


def email_applicant(application_id: int, event_id: int) -> None:
    """Queue the e-mail announcing status change `event_id` to the applicant, in their language.

    Idempotent: running it twice for one event queues one message (applicants.notifications).
    """
    event = (
        Event.objects.select_related("application__applicant", "application__programme")
        .filter(pk=event_id, application_id=application_id)
        .first()
    )
    if event is None:
        logger.info("Event %s is gone; no e-mail", event_id)
        return
    with transaction.atomic():
        event_email_queue(event=event)
