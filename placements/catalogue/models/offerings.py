"""What an applicant can combine within a programme: groups of offerings and their patterns."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from placements.catalogue.models.catalogue import Department, Programme


class OfferingGroup(models.Model):
    """Offerings chosen together under one rule, e.g. "exactly one specialization"."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="offering_groups")
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    min_choices = models.PositiveSmallIntegerField(default=1, help_text="0 makes the whole group optional.")
    max_choices = models.PositiveSmallIntegerField(default=1)
    accepts_proposals = models.BooleanField(
        default=False,
        help_text="Applicants may propose another recognized hospital for this group (name, city, department, "
        "contact); a coordinator approves it, which adds it to the group, or refuses it with a reason.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.title} ({self.programme})"

    def clean(self):
        if self.min_choices > self.max_choices:
            raise ValidationError({"max_choices": "The maximum must not be below the minimum."})


class RotationPattern(models.Model):
    """One accepted shape of a group's choice, e.g. "all 8 sections, 1 week each".

    A group with patterns accepts a choice only when it matches at least one of them.
    """

    group = models.ForeignKey(OfferingGroup, on_delete=models.CASCADE, related_name="patterns")
    label = models.CharField(max_length=150)
    min_offerings = models.PositiveSmallIntegerField()
    max_offerings = models.PositiveSmallIntegerField()
    min_weeks_each = models.PositiveSmallIntegerField(default=1)
    max_weeks_each = models.PositiveSmallIntegerField(default=52)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.label

    def clean(self):
        # A limit left empty is the form's error already; compare only the two that were given.
        errors = {}
        if None not in (self.min_offerings, self.max_offerings) and self.min_offerings > self.max_offerings:
            errors["max_offerings"] = "The maximum must not be below the minimum."
        if None not in (self.min_weeks_each, self.max_weeks_each) and self.min_weeks_each > self.max_weeks_each:
            errors["max_weeks_each"] = "The maximum must not be below the minimum."
        if errors:
            raise ValidationError(errors)

    def matches(self, weeks: list[int]) -> bool:
        return self.min_offerings <= len(weeks) <= self.max_offerings and all(
            self.min_weeks_each <= w <= self.max_weeks_each for w in weeks
        )


class Offering(models.Model):
    """A department (or section) that a programme offers, with how long one may stay there."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="offerings")
    group = models.ForeignKey(OfferingGroup, on_delete=models.CASCADE, related_name="offerings")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="offerings")
    weeks_min = models.PositiveSmallIntegerField(default=1)
    weeks_max = models.PositiveSmallIntegerField(default=52)
    may_stand_alone = models.BooleanField(
        default=True, help_text="Off: this offering must be combined with at least one other."
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
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
            errors["weeks_max"] = "The maximum must not be below the minimum."
        if self.group_id and self.programme_id and self.group.programme_id != self.programme_id:
            errors["group"] = "The group belongs to another programme."
        if errors:
            raise ValidationError(errors)
