"""The yearly report of a coordinator's programmes: a PDF of the year's intake, decisions and origins,
built by a worker (placements.build_insights_report) while the page shows its progress."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applicants.storage import private_storage
from portal.jobs.models import BackgroundJob, JobStates


def random_report_path(instance, filename: str) -> str:
    return f"reports/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being written")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")


class InsightsReport(BackgroundJob):
    """One calendar year of the programmes in `programme_ids` (those the requester coordinated when
    asking), for the person who asked; written in their language."""

    states = JobStates(
        queued=ReportStatus.QUEUED, running=ReportStatus.RUNNING, done=ReportStatus.READY, failed=ReportStatus.FAILED
    )
    task_name = "placements.build_insights_report"
    task_argument = "report_id"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    programme_ids = models.JSONField(default=list, verbose_name=_("programmes"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    language = models.CharField(max_length=10, default="en", verbose_name=_("language"))
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED, verbose_name=_("status")
    )
    file = models.FileField(storage=private_storage, upload_to=random_report_path, blank=True, max_length=200)
    pages = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "status"])]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")

    def __str__(self):
        return _("Yearly report %(year)s (%(status)s)") % {"year": self.year, "status": self.get_status_display()}

    def get_absolute_url(self):
        return reverse("staff_placements:report", kwargs={"uuid": self.uuid})
