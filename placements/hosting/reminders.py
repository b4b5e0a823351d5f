"""The start-date reminder, found and queued every morning by celery beat (placements/hosting/tasks.py):
in the week before a confirmed placement starts, an e-mail to the trainee and to each supervisor of
the department, each in their own language. Each recipient's e-mail has its occasion (the placement,
its first day and the recipient), so a second run, also a parallel one, queues nothing again; a
placement moved to other weeks earns a new reminder."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.catalogue.reporting import department_reporting
from placements.hosting.access import supervisors_of
from portal.mail.models import EmailCode, EmailLog
from portal.mail.services import NoTemplate, email_queue

logger = logging.getLogger(__name__)

NOTICE_DAYS = 7  # the reminder goes out this many days before the first day (or later, when the beat missed it)
CODE = EmailCode.PLACEMENT_STARTING


def _occasion(placement: Placement, user) -> str:
    return f"{CODE}:{placement.pk}:{placement.start_week}:{user.pk}"


def _message(placement: Placement) -> str:
    """Where and when to report, and whom to ask: what a confirmation prints, in the current language."""
    reporting = department_reporting(placement.department)
    lines = [placement.department.label]
    if reporting.address:
        lines.append(" ".join(reporting.address.split()))
    if reporting.time:
        lines.append(_("Report at %(time)s on the first day.") % {"time": time_format(reporting.time)})
    if reporting.contact:
        lines.append(_("Contact: %(contact)s") % {"contact": reporting.contact})
    return "\n".join(lines)


def _queue(placement: Placement, user, url: str) -> bool:
    trainee = placement.application.applicant
    language = user.language or "en"  # someone who never chose a language gets English, as every e-mail
    with translation.override(language):
        message = _message(placement)
    context = {
        "applicant_name": trainee.get_full_name() or trainee.email,
        "reference": placement.application.reference or "",
        "programme": placement.application.programme.title,
        "start_date": placement.start_week,
        "end_date": placement.end_date,
        "message": message,
        "dashboard_url": settings.SITE_URL + url,
    }
    try:
        with transaction.atomic():
            email_queue(
                code=CODE, to=user.email, language=language, context=context, occasion=_occasion(placement, user)
            )
    except NoTemplate as error:
        logger.warning("Start reminder not sent: %s", error)
        return False
    return True


def remind_starts(*, today: date | None = None) -> int:
    """Queue the start-date reminders of the confirmed placements starting within NOTICE_DAYS; returns how many."""
    today = today or timezone.localdate()
    placements = Placement.objects.filter(
        status=PlacementStatus.CONFIRMED, start_week__gt=today, start_week__lte=today + timedelta(days=NOTICE_DAYS)
    ).select_related(
        "department__institution", "department__parent", "application__applicant", "application__programme"
    )
    queued = 0
    for placement in placements:
        trainee = placement.application.applicant
        recipients = [(trainee, reverse("applicants:application_detail", kwargs={"uuid": placement.application.uuid}))]
        host_url = reverse("hosting:placement", kwargs={"uuid": placement.uuid})
        recipients += [(s.user, host_url) for s in supervisors_of(placement.department) if s.user.is_active]
        sent = set(
            EmailLog.objects.filter(occasion__in=[_occasion(placement, user) for user, _url in recipients]).values_list(
                "occasion", flat=True
            )
        )
        for user, url in recipients:
            if _occasion(placement, user) not in sent:
                queued += _queue(placement, user, url)
    return queued
