"""The fields of a job row: work a person asked for, done by a worker while a page shows its progress."""

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class JobStates:
    """A job model's own values for the four states every job goes through."""

    queued: str
    running: str
    done: str
    failed: str

    @property
    def active(self) -> tuple[str, str]:
        return (self.queued, self.running)


class BackgroundJob(models.Model):
    """A row that asks a worker for one piece of work and follows it: queued -> running -> done or failed.

    A concrete model declares its `status` field (with its own choices, which `states` names), the
    task that does the work (`task_name`, called with `task_argument`=the row's id) and how long a
    job may wait or keep silent before it counts as lost. The writes are in portal.jobs.services.
    """

    states: ClassVar[JobStates]
    task_name: ClassVar[str]
    task_argument: ClassVar[str]
    # Queued this long without a worker taking it up: its task was lost (or no worker runs).
    queue_patience: ClassVar[timedelta] = timedelta(minutes=10)
    # Running without a sign of life this long: its worker was lost, and another may take it on.
    stale_after: ClassVar[timedelta] = timedelta(minutes=10)

    progress = models.PositiveSmallIntegerField(_("progress"), default=0, help_text=_("Per cent done."))
    stage = models.CharField(
        _("stage"), max_length=200, blank=True, help_text=_("What the worker is doing, in plain words.")
    )
    error = models.CharField(
        _("error"), max_length=300, blank=True, help_text=_("Why it failed, for the person who asked.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(
        _("claimed at"), null=True, blank=True, help_text=_("When a worker last took it on.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now_add=True, help_text=_("Last sign of life from the worker.")
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        """Waiting for a worker or being worked on (the page keeps polling)."""
        return self.status in self.states.active
