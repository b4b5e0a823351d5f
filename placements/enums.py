from django.db import models


class IntakeMode(models.TextChoices):
    COHORT = "cohort", "Cohort (one intake per year)"
    ROLLING = "rolling", "Rolling (apply any time for your own dates)"


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG image"
    PNG = "png", "PNG image"


class AutomaticCheck(models.TextChoices):
    NONE = "", "No automatic check"
    STATES_REQUESTED_DATES = "states_requested_dates", "States the requested start and end dates"
    PROOF_OF_ENGLISH = "proof_of_english", "Proof of English is present"


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Free text"


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


class PlanRunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SeatProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    USED = "used", "Used"
    DISMISSED = "dismissed", "Dismissed"
