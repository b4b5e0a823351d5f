"""Tasks of the portal itself."""

import logging

from celery import shared_task
from django.utils import timezone

from portal.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@shared_task(name="portal.record_heartbeat")
def record_heartbeat(*, label: str) -> int:
    """Write a heartbeat row: shows that a worker reaches the database. Returns the row id."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(label=label, defaults={"seen_at": timezone.now()})
    logger.info("Heartbeat %s recorded", label)
    return beat.pk
