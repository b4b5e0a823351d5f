"""Reads of the e-mail log for pages."""

from django.db.models import QuerySet

from portal.mail.models import EmailLog


def email_logs_for(application) -> QuerySet[EmailLog]:
    """Every e-mail about `application`, oldest first, with its status and attempts (staff only:
    the rows name all recipients, coordinators included)."""
    return EmailLog.objects.filter(application=application).order_by("created_at", "id")
