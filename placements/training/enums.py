"""Choices of training: competency levels, logbook entry and evaluation states, certificate states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpectedLevel(models.TextChoices):
    OBSERVED = "observed", _("Observed")
    ASSISTED = "assisted", _("Assisted")
    INDEPENDENT = "independent", _("Independent")


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for sign-off")
    RETURNED = "returned", _("Sent back")
    SIGNED = "signed", _("Signed off")


# Entries the trainee may still change: only one sent back.
EDITABLE_ENTRY_STATES = (EntryStatus.RETURNED,)


class EvaluationKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ItemKind(models.TextChoices):
    SCALE = "scale", _("A score on the form's scale")
    TEXT = "text", _("A written answer")


class CertificateStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class CertificateKind(models.TextChoices):
    COMPLETION = "completion", _("Certificate of completion")
    ATTENDANCE = "attendance", _("Certificate of attendance")
