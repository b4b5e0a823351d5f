"""Drafts that can no longer be submitted expire: their last day to submit (the lead time before the
requested start, the programme's closing date, or the deadline of the intake asked for; see
`last_day_to_submit`) has passed.

Run once a day by celery beat (applicants.expire_drafts); a second run finds nothing left to expire.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants import workflow
from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.services.reminders import last_day_to_submit
from placements.catalogue.models import Intake, Programme
from placements.catalogue.validation import human_date


def _past_deadline(today: date) -> QuerySet[Application]:
    """Drafts whose last day to submit is before `today`: the programme or the intake asked for closed,
    or the start is now inside the lead time (start < today + lead time, exactly when that last day is
    before today)."""
    intake_closed = Intake.objects.filter(
        programme=OuterRef("programme"),
        starts_on=OuterRef("start_date"),
        ends_on=OuterRef("end_date"),
        applications_deadline__lt=today,
    )
    overdue = Q(programme__applications_close__lt=today) | Q(Exists(intake_closed))
    lead_times = (
        Programme.objects.filter(applications__status=ApplicationStatus.DRAFT)
        .order_by()
        .values_list("lead_time_months", flat=True)
        .distinct()
    )
    for months in lead_times:
        overdue |= Q(programme__lead_time_months=months, start_date__lt=today + relativedelta(months=months))
    return Application.objects.filter(overdue, status=ApplicationStatus.DRAFT)


def drafts_expire(*, today: date | None = None) -> int:
    """Expire every draft whose last day to submit has passed, each with a timeline event; returns how many."""
    today = today or timezone.localdate()
    expired = 0
    for pk in _past_deadline(today).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            # Read again under the lock: the applicant may have submitted, changed the dates or left since.
            draft = Application.objects.select_for_update().select_related("programme").filter(pk=pk).first()
            if draft is None or draft.status != ApplicationStatus.DRAFT:
                continue
            deadline = last_day_to_submit(draft)
            if deadline is None or deadline >= today:
                continue
            workflow.transition(
                application=draft,
                name="expire_draft",
                by=None,
                message=_("The last day to submit this application was %(day)s.") % {"day": human_date(deadline)},
            )
        expired += 1
    return expired
