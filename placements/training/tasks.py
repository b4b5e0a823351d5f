"""Training tasks: building a certificate, asking for the certificates that became due, and the
supervisors' reminders. Found by the Celery app's autodiscovery (portal/celery.py); services queue
them by name. Periodic (CELERY_BEAT_SCHEDULE in portal/settings.py): the reminders once a day, the
certificates due every hour."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from placements.training.services.certificates import certificate_build, certificates_request_due
from placements.training.services.reminders import remind_evaluations, remind_logbooks


def _verify_url(code: str) -> str:
    return settings.SITE_URL + reverse("training:certificate_verify", kwargs={"code": code})


@shared_task(name="training.build_certificate", acks_late=True)
def build_certificate(*, certificate_id: int) -> str:
    """Write certificate `certificate_id`'s PDF; a second delivery of a built or running one does nothing."""
    return certificate_build(certificate_id=certificate_id, verify_url_for=_verify_url)


@shared_task(name="training.request_due_certificates")
def request_due_certificates() -> int:
    """Ask for the certificates that became due; returns how many (0 on a second run)."""
    return certificates_request_due()


@shared_task(name="training.remind_evaluations")
def send_evaluation_reminders() -> int:
    """Remind supervisors of evaluations due; returns how many e-mails were queued (0 on a second run)."""
    return remind_evaluations()


@shared_task(name="training.remind_logbooks")
def send_logbook_reminders() -> int:
    """Remind supervisors of logbook entries waiting for sign-off; returns how many (0 on a second run)."""
    return remind_logbooks()
