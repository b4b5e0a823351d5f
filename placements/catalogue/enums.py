"""Choices of the catalogue: intake modes, file kinds, automatic checks and what their findings do, question kinds."""

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


class CheckFailure(models.TextChoices):
    """What a programme does when a document's automatic check finds a problem."""

    WARN = "warn", "Warn the coordinator only"
    BLOCK = "block", "Block submitting until the file is replaced or the applicant confirms it is right"


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Free text"
