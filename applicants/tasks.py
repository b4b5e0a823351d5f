"""Celery tasks of the applicants app: thin wrappers that load by id and call a service."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from applicants.enums import EventKind
from applicants.models import Event
from applicants.services.documents import document_process

logger = logging.getLogger(__name__)
TEMPORARY_SMTP_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


@shared_task(name="applicants.process_document", acks_late=True)
def process_document(*, document_id: int) -> str | None:
    """Check an uploaded document; safe to run twice (the second run finds it settled)."""
    return document_process(document_id=document_id)


@shared_task(
    name="applicants.send_event_email",
    bind=True,
    autoretry_for=TEMPORARY_SMTP_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
)
def send_event_email(self, *, event_id: int) -> bool:
    """E-mail the applicant about a status change, once; returns whether a message went out."""
    event = Event.objects.select_related("application__applicant", "application__programme").filter(pk=event_id).first()
    if event is None:
        logger.info("Event %s is gone; no e-mail", event_id)
        return False
    application = event.application
    if Event.objects.filter(caused_by=event, kind=EventKind.EMAIL_SENT).exists():
        return False
    user = application.applicant
    context = {"application": application, "event": event, "user": user, "site_url": settings.SITE_URL}
    with translation.override(user.language):
        try:
            subject = render_to_string(f"emails/{event.to_status}_subject.txt", context).strip()
            body = render_to_string(f"emails/{event.to_status}.txt", context)
        except TemplateDoesNotExist:
            logger.info("No e-mail template for %s", event.to_status)
            return False
    EmailMessage(
        subject=" ".join(subject.split()), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    ).send()
    with transaction.atomic():
        Event.objects.create(
            application=application, kind=EventKind.EMAIL_SENT, caused_by=event, message=f"To {user.email}: {subject}"
        )
    return True
