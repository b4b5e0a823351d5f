"""Reminders, found and queued once a day by celery beat (applicants/tasks.py; the schedule is
CELERY_BEAT_SCHEDULE in portal/settings.py).

Each reminder is sent once per occasion, however often the task runs:
- an unfinished draft, in the week before its last day to submit (lead time or closing date):
  the occasion is the draft with that last day, so changing the dates can earn a new reminder;
- an information request unanswered after 7 days: the occasion is the request (its event);
- an application waiting more than 14 days for a decision (to the coordinators): the occasion is
  the status change that started the wait, so every new wait gets its own reminder.
"""

import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from applicants.enums import ApplicationStatus, EventKind
from applicants.models import Application, Event
from applicants.notifications import application_context
from placements.catalogue.models import Programme
from placements.catalogue.validation import intake_of_period
from portal.mail.models import EmailCode, EmailLog
from portal.mail.services import NoTemplate, email_queue
from portal.models import User

logger = logging.getLogger(__name__)

DRAFT_NOTICE_DAYS = 7  # remind a draft this many days before its last day to submit
INFO_WAIT_DAYS = 7
REVIEW_WAIT_DAYS = 14
WAITING_FOR_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)


def last_day_to_submit(application: Application) -> date | None:
    """The last day a draft can still be submitted: the lead time before its start, the closing date, or
    the deadline of the intake whose period it asks for."""
    programme = application.programme
    days = []
    if application.start_date:
        months = relativedelta(months=programme.lead_time_months)
        # The last day d with d + lead time <= start (month ends make a plain subtraction a day or two early).
        day = application.start_date - months
        while day + timedelta(days=1) + months <= application.start_date:
            day += timedelta(days=1)
        days.append(day)
    if programme.applications_close:
        days.append(programme.applications_close)
    if intake := intake_of_period(programme, application.start_date, application.end_date):
        days.append(intake.applications_deadline)
    return min(days) if days else None


def _queue(**kwargs) -> bool:
    try:
        with transaction.atomic():
            email_queue(**kwargs)
    except NoTemplate as error:
        logger.warning("Reminder not sent: %s", error)
        return False
    return True


def remind_drafts(*, today: date | None = None) -> int:
    """Queue a reminder for each draft whose last day to submit is within DRAFT_NOTICE_DAYS; returns how many."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=DRAFT_NOTICE_DAYS)
    # A generous date range per lead time narrows the drafts; the exact last day is computed below.
    near = Q(programme__applications_close__range=(today, horizon))
    lead_times = Programme.objects.filter(applications__status=ApplicationStatus.DRAFT).values_list(
        "lead_time_months", flat=True
    )
    for months in set(lead_times):
        lead = relativedelta(months=months)
        near |= Q(programme__lead_time_months=months, start_date__range=(today + lead, horizon + lead + timedelta(3)))
    drafts = []
    for application in Application.objects.filter(near, status=ApplicationStatus.DRAFT).select_related(
        "programme", "applicant"
    ):
        deadline = last_day_to_submit(application)
        if deadline is not None and today <= deadline <= horizon:
            drafts.append((application, deadline, f"{EmailCode.REMINDER_DRAFT}:{application.pk}:{deadline}"))
    done = set(EmailLog.objects.filter(occasion__in=[o for _a, _d, o in drafts]).values_list("occasion", flat=True))
    queued = 0
    for application, deadline, occasion in drafts:
        if occasion in done:
            continue
        user = application.applicant
        queued += _queue(
            code=EmailCode.REMINDER_DRAFT,
            to=user.email,
            language=user.language,
            context=application_context(application, deadline=deadline),
            application=application,
            occasion=occasion,
        )
    return queued


def _waiting(statuses, *, since_before, code: str):
    """Applications in `statuses` since before `since_before` without reminder `code` for that wait,
    each annotated with the status change that started the wait."""
    entered = Event.objects.filter(application=OuterRef("pk"), kind=EventKind.STATUS_CHANGED).order_by(
        "-created_at", "-id"
    )
    reminded = EmailLog.objects.filter(event_id=OuterRef("waiting_event_id"), template_code=code)
    return (
        Application.objects.filter(status__in=statuses)
        .annotate(
            waiting_event_id=Subquery(entered.values("pk")[:1]),
            waiting_since=Subquery(entered.values("created_at")[:1]),
        )
        .filter(waiting_since__lt=since_before)
        .exclude(Exists(reminded))
        .select_related("programme", "applicant")
    )


def remind_info_requests(*, now=None) -> int:
    """Queue a reminder for each information request unanswered for INFO_WAIT_DAYS; returns how many."""
    now = now or timezone.now()
    applications = list(
        _waiting(
            (ApplicationStatus.INFO_REQUESTED,),
            since_before=now - timedelta(days=INFO_WAIT_DAYS),
            code=EmailCode.REMINDER_INFO,
        )
    )
    requests = Event.objects.in_bulk([a.waiting_event_id for a in applications])
    queued = 0
    for application in applications:
        request = requests[application.waiting_event_id]
        user = application.applicant
        queued += _queue(
            code=EmailCode.REMINDER_INFO,
            to=user.email,
            language=user.language,
            context=application_context(application, message="" if request.internal else request.message),
            application=application,
            event=request,
        )
    return queued


def remind_reviews(*, now=None) -> int:
    """Tell the coordinators about each application waiting REVIEW_WAIT_DAYS for a decision; returns how many."""
    now = now or timezone.now()
    active = User.objects.filter(is_active=True).order_by("email")
    applications = list(
        _waiting(
            WAITING_FOR_REVIEW, since_before=now - timedelta(days=REVIEW_WAIT_DAYS), code=EmailCode.REMINDER_REVIEW
        ).prefetch_related(Prefetch("programme__coordinators", queryset=active))
    )
    events = Event.objects.in_bulk([a.waiting_event_id for a in applications])
    admins = None
    queued = 0
    for application in applications:
        recipients = list(application.programme.coordinators.all())
        if not recipients:
            # A programme without coordinators still has someone responsible: the administrators.
            if admins is None:
                admins = list(active.filter(is_superuser=True))
            recipients = admins
        if not recipients:
            logger.warning("Application %s waits for review but nobody can be told", application.pk)
            continue
        language = "nl" if all(user.language == "nl" for user in recipients) else "en"
        since = timezone.localdate(application.waiting_since)
        queued += _queue(
            code=EmailCode.REMINDER_REVIEW,
            to=[user.email for user in recipients],
            language=language,
            context=application_context(application, deadline=since),
            application=application,
            event=events[application.waiting_event_id],
        )
    return queued
