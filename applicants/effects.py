"""Side effects of transitions, run after the transaction commits (services are imported lazily)."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def email_applicant(application_id: int, event_id: int) -> None:
    """Queue the e-mail announcing status change `event_id` to the applicant, in their language.

    Idempotent: running it twice for one event queues one message (portal.mail.services).
    """
    from applicants.models import Event
    from portal.mail.services import event_email_queue

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
