"""A cohort programme's intakes: one per academic year, with its last day to apply and the period of
the internship that every admitted applicant of that year follows."""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from placements.catalogue.models.catalogue import Programme


class Intake(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="intakes", verbose_name=_("programme")
    )
    academic_year = models.CharField(
        _("academic year"), max_length=20, help_text=_("How applicants know it, e.g. 2027–2028.")
    )
    applications_deadline = models.DateField(
        _("applications deadline"), help_text=_("The last day an application for this intake is accepted.")
    )
    starts_on = models.DateField(_("first day of the internship"), help_text=_("A working day, usually a Monday."))
    ends_on = models.DateField(_("last day of the internship"), help_text=_("A working day, usually a Friday."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "academic_year"], name="intake_unique_year_per_programme")
        ]

    def __str__(self):
        return f"{self.academic_year} ({self.programme})"

    @property
    def weeks(self) -> int:
        """Weeks the internship covers, a started week counted whole (as placements.catalogue.validation does)."""
        return math.ceil(((self.ends_on - self.starts_on).days + 1) / 7)

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The internship cannot end before it starts.")
        if self.applications_deadline and self.starts_on and self.applications_deadline >= self.starts_on:
            errors["applications_deadline"] = _("The deadline must come before the internship starts.")
        for field in ("starts_on", "ends_on"):
            day = getattr(self, field)
            if day and day.weekday() >= 5:
                errors[field] = _("Choose a working day (Monday to Friday).")
        if errors:
            raise ValidationError(errors)
