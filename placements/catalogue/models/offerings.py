"""What an applicant can combine within a programme: groups of offerings and their patterns."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from placements.catalogue.models.catalogue import Department, Programme


class OfferingGroup(models.Model):
    """Offerings chosen together under one rule, e.g. "exactly one specialization"."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="offering_groups", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    min_choices = models.PositiveSmallIntegerField(
        _("min choices"), default=1, help_text=_("0 makes the whole group optional.")
    )
    max_choices = models.PositiveSmallIntegerField(_("max choices"), default=1)
    accepts_proposals = models.BooleanField(
        _("accepts proposals"),
        default=False,
        help_text=_(
            "Applicants may propose another recognized hospital for this group (name, city, department, "
            "contact); a coordinator approves it, which adds it to the group, or refuses it with a reason."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("offering group")
        verbose_name_plural = _("offering groups")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.title} ({self.programme})"

    def clean(self):
        if self.min_choices > self.max_choices:
            raise ValidationError({"max_choices": _("The maximum must not be below the minimum.")})


class RotationPattern(models.Model):
    """One accepted shape of a group's choice, e.g. "all 8 sections, 1 week each".

    A group with patterns accepts a choice only when it matches at least one of them.
    """

    group = models.ForeignKey(OfferingGroup, on_delete=models.CASCADE, related_name="patterns", verbose_name=_("group"))
    label = models.CharField(_("label"), max_length=150)
    min_offerings = models.PositiveSmallIntegerField(_("min offerings"))
    max_offerings = models.PositiveSmallIntegerField(_("max offerings"))
    min_weeks_each = models.PositiveSmallIntegerField(_("min weeks each"), default=1)
    max_weeks_each = models.PositiveSmallIntegerField(_("max weeks each"), default=52)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rotation pattern")
        verbose_name_plural = _("rotation patterns")
        ordering = ["id"]

    def __str__(self):
        return self.label

    def clean(self):
        # A limit left empty is the form's error already; compare only the two that were given.
        errors = {}
        if None not in (self.min_offerings, self.max_offerings) and self.min_offerings > self.max_offerings:
            errors["max_offerings"] = _("The maximum must not be below the minimum.")
        if None not in (self.min_weeks_each, self.max_weeks_each) and self.min_weeks_each > self.max_weeks_each:
            errors["max_weeks_each"] = _("The maximum must not be below the minimum.")
        if errors:
            raise ValidationError(errors)

    def matches(self, weeks: list[int]) -> bool:
        return self.min_offerings <= len(weeks) <= self.max_offerings and all(
            self.min_weeks_each <= w <= self.max_weeks_each for w in weeks
        )


class Offering(models.Model):
    """A department (or section) that a programme offers, with how long one may stay there."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("programme")
    )
    group = models.ForeignKey(
        OfferingGroup, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("group")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("department")
    )
    weeks_min = models.PositiveSmallIntegerField(_("weeks min"), default=1)
    weeks_max = models.PositiveSmallIntegerField(_("weeks max"), default=52)
    may_stand_alone = models.BooleanField(
        _("may stand alone"),
        default=True,
        help_text=_("Off: this offering must be combined with at least one other."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["group__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "department"], name="offering_unique_department")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.department.name

    def clean(self):
        errors = {}
        if self.weeks_min > self.weeks_max:
            errors["weeks_max"] = _("The maximum must not be below the minimum.")
        if self.group_id and self.programme_id and self.group.programme_id != self.programme_id:
            errors["group"] = _("The group belongs to another programme.")
        if errors:
            raise ValidationError(errors)
