"""Choices of allocation: placement, planner run and seat proposal states, and the state groups."""

from django.db import models


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    OFFERED = "offered", "Offered"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


# Only these hold a seat in the department's weekly capacity.
SEAT_HOLDING_STATES = (PlacementStatus.OFFERED, PlacementStatus.CONFIRMED)
# A proposal is shown on the calendar but holds nothing until it is offered.
ACTIVE_STATES = (PlacementStatus.PROPOSED, *SEAT_HOLDING_STATES)
# Declined or lapsed: the seats are free again and may be proposed to an application that waits.
FREED_STATES = (PlacementStatus.DECLINED, PlacementStatus.EXPIRED)


class PlanRunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SeatProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    USED = "used", "Used"
    DISMISSED = "dismissed", "Dismissed"
