"""Choices of the catalogue: intake modes, file kinds, automatic checks and what their findings do, question kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeMode(models.TextChoices):
    COHORT = "cohort", _("Cohort (one intake per year)")
    ROLLING = "rolling", _("Rolling (apply any time for your own dates)")


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    JPEG = "jpeg", _("JPEG image")
    PNG = "png", _("PNG image")


class AutomaticCheck(models.TextChoices):
    NONE = "", _("No automatic check")
    STATES_REQUESTED_DATES = "states_requested_dates", _("States the requested start and end dates")
    PROOF_OF_ENGLISH = "proof_of_english", _("Proof of English is present")


class CheckFailure(models.TextChoices):
    """What a programme does when a document's automatic check finds a problem."""

    WARN = "warn", _("Warn the coordinator only")
    BLOCK = "block", _("Block submitting until the file is replaced or the applicant confirms it is right")


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")
