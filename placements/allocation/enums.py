"""Choices of allocation: placement, planner run and seat proposal states, and the state groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    OFFERED = "offered", _("Offered")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    INTERRUPTED = "interrupted", _("Interrupted")


# Only these hold a seat in the department's weekly capacity. A completed placement keeps its (past)
# weeks so that the calendar keeps its history; an interrupted one frees them: its weeks still to come
# are free again, and the ones gone by are history that no one can be assigned to any more.
SEAT_HOLDING_STATES = (
    PlacementStatus.OFFERED,
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_PROGRESS,
    PlacementStatus.COMPLETED,
)
# The trainee is (or is about to be) in the department: what a supervisor acts on.
RUNNING_STATES = (PlacementStatus.CONFIRMED, PlacementStatus.IN_PROGRESS)
# Over: the placement's own history.
FINISHED_STATES = (PlacementStatus.COMPLETED, PlacementStatus.INTERRUPTED)
# Withdrawing the application cancels these.
OPEN_STATES = (PlacementStatus.PROPOSED, PlacementStatus.OFFERED, *RUNNING_STATES)
# A proposal is shown on the calendar but holds nothing until it is offered.
ACTIVE_STATES = (PlacementStatus.PROPOSED, *SEAT_HOLDING_STATES)
# Declined or lapsed: the seats are free again and may be proposed to an application that waits.
FREED_STATES = (PlacementStatus.DECLINED, PlacementStatus.EXPIRED)


class PlanRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SeatProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    USED = "used", _("Used")
    DISMISSED = "dismissed", _("Dismissed")
