"""Where accepted applicants go, and when: weekly capacity, placements and planner runs."""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from placements.allocation.enums import PlacementStatus, PlanRunStatus
from placements.catalogue.models.catalogue import Department, Programme
from portal.jobs.models import BackgroundJob, JobStates


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class CapacityOverride(models.Model):
    """A week in which a department takes fewer (or no) trainees than usual, e.g. a holiday."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="capacity_overrides", verbose_name=_("department")
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week."))
    capacity = models.PositiveSmallIntegerField(_("capacity"), help_text=_("0 closes the department for that week."))
    reason = models.CharField(_("reason"), max_length=150, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capacity override")
        verbose_name_plural = _("capacity overrides")
        ordering = ["department", "week"]
        constraints = [models.UniqueConstraint(fields=["department", "week"], name="capacity_override_unique")]

    def __str__(self):
        return _("%(department)s, week of %(week)s: %(capacity)s") % {
            "department": self.department,
            "week": self.week,
            "capacity": self.capacity,
        }

    def clean(self):
        if self.week and self.week.weekday() != 0:
            raise ValidationError({"week": _("Give the Monday of the week.")})


class Placement(models.Model):
    """An application's stay in one department for a run of whole weeks."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="placements", verbose_name=_("application")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="placements", verbose_name=_("department")
    )
    start_week = models.DateField(_("start week"), help_text=_("The Monday of the first week."))
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    end_week = models.DateField(
        _("end week"), editable=False, help_text=_("The Monday of the last week (kept for range queries).")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlacementStatus.choices, default=PlacementStatus.PROPOSED
    )
    offer_deadline = models.DateTimeField(_("offer deadline"), null=True, blank=True)
    interruption_reason = models.TextField(
        _("interruption reason"), blank=True, help_text=_("Why the placement stopped early.")
    )
    plan_run = models.ForeignKey(
        "placements.PlanRun", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("plan run")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["start_week", "id"]
        indexes = [models.Index(fields=["department", "status", "start_week", "end_week"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(weeks__gte=1), name="placement_at_least_one_week"),
        ]

    def __str__(self):
        return ngettext(
            "%(department)s, %(count)s week from %(week)s", "%(department)s, %(count)s weeks from %(week)s", self.weeks
        ) % {"department": self.department.name, "count": self.weeks, "week": self.start_week}

    def save(self, *args, **kwargs):
        self.end_week = self.start_week + timedelta(weeks=self.weeks - 1)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "end_week"}
        super().save(*args, **kwargs)

    @property
    def end_date(self) -> date:
        """The Friday of the last week."""
        return self.end_week + timedelta(days=4)

    def week_list(self) -> list[date]:
        return [self.start_week + timedelta(weeks=i) for i in range(self.weeks)]


class PlanRun(BackgroundJob):
    """One run of the planner for a programme: its progress, and the proposal it produced."""

    states = JobStates(
        queued=PlanRunStatus.QUEUED,
        running=PlanRunStatus.RUNNING,
        done=PlanRunStatus.DONE,
        failed=PlanRunStatus.FAILED,
    )
    task_name = "placements.run_planner"
    task_argument = "run_id"
    # A run no worker has taken up in this time waits in vain (its message was lost, or no worker runs).
    queue_patience = timedelta(minutes=30)
    # A living run reports progress while it solves, and no run outlives the worker's hard time limit.
    stale_after = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="plan_runs", verbose_name=_("programme")
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanRunStatus.choices, default=PlanRunStatus.QUEUED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    unplaced = models.JSONField(
        _("unplaced"), default=list, blank=True, help_text=_("Applications not placed, with the reason.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("plan run")
        verbose_name_plural = _("plan runs")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Plan for %(programme)s (%(status)s)") % {
            "programme": self.programme,
            "status": self.get_status_display(),
        }
