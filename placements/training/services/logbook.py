"""The logbook's business actions: the trainee logs and corrects activities; a supervisor signs them
off or sends them back with a comment. A signed entry is locked."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.errors import DomainError
from placements.allocation.models import Placement
from placements.hosting.access import placements_for_supervisor
from placements.training import rules
from placements.training.enums import EntryStatus
from placements.training.models import Competency, LogbookEntry


@dataclass(frozen=True)
class Activity:
    competency: Competency
    date: date
    activity: str
    hours: Decimal


def _check(placement: Placement, activity: Activity) -> None:
    if not rules.keeps_logbook(placement.application.programme):
        raise DomainError(_("This programme keeps no logbook."))
    if activity.competency.group.specialization_id != placement.department.specialization_id:
        raise DomainError(_("Choose a competency of your placement's specialization."))
    problem = rules.entry_date_problem(placement, activity.date)
    if problem:
        raise DomainError(problem)


def entry_add(*, placement: Placement, by, activity: Activity) -> LogbookEntry:
    """Log `activity` in the logbook of `placement`, sent for sign-off at once."""
    if not rules.can_log(by, placement):
        raise DomainError(_("The logbook of this placement is closed."))
    _check(placement, activity)
    return LogbookEntry.objects.create(
        placement=placement,
        competency=activity.competency,
        date=activity.date,
        activity=activity.activity,
        hours=activity.hours,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


def entry_resubmit(*, entry: LogbookEntry, by, activity: Activity) -> LogbookEntry:
    """Correct an entry that was sent back and send it for sign-off again."""
    with transaction.atomic():
        locked = LogbookEntry.objects.select_for_update().select_related("placement").get(pk=entry.pk)
        locked.placement = entry.placement
        if not rules.can_edit_entry(by, locked):
            raise DomainError(_("Only an entry that was sent back can be changed."))
        _check(locked.placement, activity)
        locked.competency, locked.date = activity.competency, activity.date
        locked.activity, locked.hours = activity.activity, activity.hours
        locked.status, locked.submitted_at = EntryStatus.SUBMITTED, timezone.now()
        locked.save(update_fields=["competency", "date", "activity", "hours", "status", "submitted_at"])
    return locked


def _review(entry: LogbookEntry, by, target: str, comment: str) -> LogbookEntry:
    if not placements_for_supervisor(by).filter(pk=entry.placement_id).exists():
        raise DomainError(_("You do not supervise this placement."))
    now = timezone.now()
    changed = LogbookEntry.objects.filter(pk=entry.pk, status=EntryStatus.SUBMITTED).update(
        status=target, reviewed_by=by, reviewed_at=now, comment=comment
    )
    if not changed:
        raise DomainError(_("This entry is no longer waiting for sign-off."))
    entry.status, entry.reviewed_by, entry.reviewed_at, entry.comment = target, by, now, comment
    return entry


def entry_sign(*, entry: LogbookEntry, by) -> LogbookEntry:
    """Sign the entry off (it is locked from now on)."""
    return _review(entry, by, EntryStatus.SIGNED, "")


def entry_return(*, entry: LogbookEntry, by, comment: str) -> LogbookEntry:
    """Send the entry back to the trainee with `comment`, to be corrected and sent again."""
    if not comment.strip():
        raise DomainError(_("Say what the trainee should change."))
    return _review(entry, by, EntryStatus.RETURNED, comment.strip())
