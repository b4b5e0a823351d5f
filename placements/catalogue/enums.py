"""Choices of the catalogue: intake modes, file kinds, automatic checks, question kinds."""

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
