"""Who may do what in training, and when: plain predicates the views and services share."""

from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.training.enums import EntryStatus
from placements.training.models import LogbookEntry, ProgrammeTraining

P = PlacementStatus
# A trainee sees the training pages of a placement from its confirmation on, and keeps them afterwards.
TRAINEE_STATES = (P.CONFIRMED, P.IN_PROGRESS, P.COMPLETED, P.INTERRUPTED)
# The logbook is kept while the placement is about to start or running.
LOGGING_STATES = (P.CONFIRMED, P.IN_PROGRESS)
# The trainee evaluates the placement once it has begun.
FEEDBACK_STATES = (P.IN_PROGRESS, P.COMPLETED, P.INTERRUPTED)
# The supervisor evaluates a placement that runs or has just ended.
EVALUATING_STATES = (P.CONFIRMED, P.IN_PROGRESS, P.COMPLETED)


def keeps_logbook(programme) -> bool:
    """Whether the programme's trainees keep a competency logbook (its training settings say so)."""
    return ProgrammeTraining.objects.filter(programme=programme, keeps_logbook=True).exists()


def is_trainee(user, placement: Placement) -> bool:
    return user.is_authenticated and placement.application.applicant_id == user.pk


def can_log(user, placement: Placement) -> bool:
    return is_trainee(user, placement) and placement.status in LOGGING_STATES


def entry_date_problem(placement: Placement, day: date, *, today: date | None = None) -> str:
    """Why `day` cannot be logged for `placement` ("" when it can): within the placement, not ahead."""
    today = today or timezone.localdate()
    if day < placement.start_week or day > placement.end_date:
        return _("Choose a day within your placement, from %(first)s to %(last)s.") % {
            "first": date_format(placement.start_week, "j F Y"),
            "last": date_format(placement.end_date, "j F Y"),
        }
    if day > today:
        return _("You can log an activity only on or after the day it took place.")
    return ""


def can_edit_entry(user, entry: LogbookEntry) -> bool:
    return entry.status == EntryStatus.RETURNED and can_log(user, entry.placement)
