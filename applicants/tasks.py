"""Celery tasks of the applicants app: thin wrappers that load by id and call a service."""

import logging

from celery import shared_task

from applicants.services.documents import document_process
from applicants.services.dossier import dossier_build

logger = logging.getLogger(__name__)


@shared_task(name="applicants.process_document", acks_late=True)
def process_document(*, document_id: int) -> str | None:
    """Check an uploaded document; safe to run twice (the second run finds it settled)."""
    return document_process(document_id=document_id)


@shared_task(name="applicants.build_dossier", acks_late=True)
def build_dossier(*, dossier_id: int) -> str:
    """Write the PDF dossier `dossier_id`; a second delivery of a built or running one does nothing."""
    return dossier_build(dossier_id=dossier_id)
