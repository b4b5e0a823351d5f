"""Celery tasks of the applicants app: thin wrappers that load by id and call a service.

Periodic (CELERY_BEAT_SCHEDULE in portal/settings.py): applicants.send_reminders_drafts,
applicants.send_reminders_info and applicants.send_reminders_reviews, every morning; each
reminder is sent once per occasion (see applicants/services/reminders.py); applicants.expire_drafts,
every night, expires the drafts whose last day to submit has passed (applicants/services/drafts.py);
applicants.disarm_stored_documents, every two minutes, rebuilds a batch of the PDFs stored before
uploads were rebuilt (applicants/services/stored_documents.py) until none is left.
"""

import logging

from celery import shared_task

from applicants.services import reminders
from applicants.services.documents import document_process
from applicants.services.dossier import dossier_build
from applicants.services.drafts import drafts_expire
from applicants.services.stored_documents import documents_disarm_stored

logger = logging.getLogger(__name__)


@shared_task(name="applicants.process_document", acks_late=True)
def process_document(*, document_id: int) -> str | None:
    """Check an uploaded document; safe to run twice (the second run finds it settled)."""
    return document_process(document_id=document_id)


@shared_task(name="applicants.build_dossier", acks_late=True)
def build_dossier(*, dossier_id: int) -> str:
    """Write the PDF dossier `dossier_id`; a second delivery of a built or running one does nothing."""
    return dossier_build(dossier_id=dossier_id)


@shared_task(name="applicants.send_reminders_drafts")
def send_reminders_drafts() -> int:
    """Remind applicants of drafts whose last day to submit is near; returns how many were queued."""
    return reminders.remind_drafts()


@shared_task(name="applicants.send_reminders_info")
def send_reminders_info() -> int:
    """Remind applicants of information requests unanswered for a week; returns how many were queued."""
    return reminders.remind_info_requests()


@shared_task(name="applicants.send_reminders_reviews")
def send_reminders_reviews() -> int:
    """Remind coordinators of applications waiting two weeks for a decision; returns how many were queued."""
    return reminders.remind_reviews()


@shared_task(name="applicants.expire_drafts")
def expire_drafts() -> int:
    """Expire the drafts whose last day to submit has passed; returns how many expired."""
    return drafts_expire()


@shared_task(name="applicants.disarm_stored_documents")
def disarm_stored_documents() -> int:
    """Rebuild a batch of stored PDFs not yet rebuilt under the current rules; returns how many were settled."""
    return documents_disarm_stored()
