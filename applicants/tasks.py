"""Celery tasks of the applicants app: thin wrappers that load by id and call a service."""

import logging

from celery import shared_task

from applicants.services.documents import document_process

logger = logging.getLogger(__name__)


@shared_task(name="applicants.process_document", acks_late=True)
def process_document(*, document_id: int) -> str | None:
    """Check an uploaded document; safe to run twice (the second run finds it settled)."""
    return document_process(document_id=document_id)


# The privacy tasks live in their own module; importing it here lets autodiscovery register them.
from applicants import tasks_privacy  # noqa: E402, F401
