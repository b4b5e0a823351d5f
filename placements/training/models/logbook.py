"""The trainee's logbook: activities logged against a competency, signed off by a supervisor."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from placements.allocation.models import Placement
from placements.training.enums import EntryStatus
from placements.training.models.competencies import Competency


class LogbookEntry(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="logbook_entries")
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="entries", verbose_name=_("competency")
    )
    date = models.DateField(_("date"))
    activity = models.TextField(_("what was done"), max_length=2000)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(24)],
    )
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("sent for sign-off"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("supervisor's comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        indexes = [models.Index(fields=["placement", "status"]), models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.competency} on {self.date}"
