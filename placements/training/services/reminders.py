"""Reminders to supervisors, found and queued by celery beat (placements/training/tasks.py), each sent
once per occasion however often the task runs:
- an evaluation due: two weeks before its due day, and on the day (or in the week after, when the
  beat missed it) while it is not submitted; the occasion is the placement, the kind, the day and which notice;
- logbook entries waiting more than 7 days for sign-off: the occasion is the placement's oldest waiting
  entry, so a later wait gets its own reminder.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override

from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.hosting.access import supervisors_of
from placements.training.enums import EntryStatus
from placements.training.models import Evaluation, EvaluationForm, LogbookEntry
from placements.training.queries import due_on
from portal.mail.models import EmailCode, EmailLog
from portal.mail.services import NoTemplate, email_queue

logger = logging.getLogger(__name__)

EVALUATION_DUE = EmailCode.TRAINING_EVALUATION_DUE
LOGBOOK_WAITING = EmailCode.TRAINING_LOGBOOK_WAITING
NOTICE_DAYS = 14  # the first notice of an evaluation, before its due day
LATE_DAYS = 7  # the notice "due today" is still sent this many days late (the beat was down)
WAIT_DAYS = 7
# A final evaluation may still be due in the days after the placement was completed.
EVALUATED = (PlacementStatus.CONFIRMED, PlacementStatus.IN_PROGRESS, PlacementStatus.COMPLETED)


def _recipients(placement: Placement) -> tuple[list[str], str]:
    users = [s.user for s in supervisors_of(placement.department) if s.user.is_active]
    language = "nl" if users and all(user.language == "nl" for user in users) else "en"
    return [user.email for user in users], language


def _context(placement: Placement, *, url: str, deadline: date | None, message) -> dict:
    trainee = placement.application.applicant
    return {
        "applicant_name": trainee.get_full_name() or trainee.email,
        "reference": placement.application.reference,
        "programme": placement.application.programme.title,
        "start_date": placement.start_week,
        "end_date": placement.end_date,
        "deadline": deadline,
        "message": message,
        "dashboard_url": settings.SITE_URL + url,
    }


def _queue(placement: Placement, *, code: str, occasion: str, url: str, deadline, message) -> bool:
    if EmailLog.objects.filter(occasion=occasion).exists():
        return False  # sent on an earlier run
    to, language = _recipients(placement)
    if not to:
        logger.warning("Placement %s has no supervisor to remind", placement.pk)
        return False
    with override(language):
        context = _context(placement, url=url, deadline=deadline, message=str(message()))
    try:
        with transaction.atomic():
            email_queue(code=code, to=to, language=language, context=context, occasion=occasion)
    except NoTemplate as error:
        logger.warning("Reminder not sent: %s", error)
        return False
    return True


def _notice(today: date, due: date) -> str | None:
    if due - timedelta(days=NOTICE_DAYS) <= today < due:
        return "ahead"
    if due <= today <= due + timedelta(days=LATE_DAYS):
        return "due"
    return None


def remind_evaluations(*, today: date | None = None) -> int:
    """Remind the supervisors of each evaluation due soon or today and not submitted; returns how many."""
    today = today or timezone.localdate()
    forms = {}
    for form in EvaluationForm.objects.all():
        forms.setdefault(form.programme_id, []).append(form)
    placements = Placement.objects.filter(
        status__in=EVALUATED,
        application__programme_id__in=forms,
        end_week__gte=today - timedelta(days=LATE_DAYS + 7),
    ).select_related("department__institution", "application__applicant", "application__programme")
    submitted = set(
        Evaluation.objects.filter(placement__in=placements, status="submitted").values_list("placement_id", "kind")
    )
    queued = 0
    for placement in placements:
        for form in forms[placement.application.programme_id]:
            due = due_on(placement, form.kind)
            notice = _notice(today, due)
            if notice is None or (placement.pk, form.kind) in submitted:
                continue
            url = reverse("training:evaluation_fill", kwargs={"uuid": placement.uuid, "kind": form.kind})
            queued += _queue(
                placement,
                code=EVALUATION_DUE,
                occasion=f"{EVALUATION_DUE}:{placement.pk}:{form.kind}:{due}:{notice}",
                url=url,
                deadline=due,
                message=lambda form=form, placement=placement: f"{form.title} – {placement.department.label}",
            )
    return queued


def remind_logbooks(*, now=None) -> int:
    """Remind the supervisors of each placement with entries waiting over WAIT_DAYS; returns how many."""
    now = now or timezone.now()
    waiting = (
        LogbookEntry.objects.filter(status=EntryStatus.SUBMITTED, submitted_at__lt=now - timedelta(days=WAIT_DAYS))
        .order_by("placement_id", "submitted_at", "pk")
        .select_related("placement__department__institution", "placement__application__applicant")
        .select_related("placement__application__programme")
    )
    oldest = {}
    counts = {}
    for entry in waiting:
        oldest.setdefault(entry.placement_id, entry)
        counts[entry.placement_id] = counts.get(entry.placement_id, 0) + 1
    queued = 0
    for placement_id, entry in oldest.items():
        placement, count = entry.placement, counts[placement_id]
        queued += _queue(
            placement,
            code=LOGBOOK_WAITING,
            occasion=f"{LOGBOOK_WAITING}:{placement_id}:{entry.pk}",
            url=reverse("training:supervise", kwargs={"uuid": placement.uuid}),
            deadline=timezone.localdate(entry.submitted_at),
            message=lambda count=count, placement=placement: (
                ngettext(
                    "%(count)s logbook entry in %(department)s waits for your sign-off.",
                    "%(count)s logbook entries in %(department)s wait for your sign-off.",
                    count,
                )
                % {"count": count, "department": placement.department.label}
            ),
        )
    return queued
