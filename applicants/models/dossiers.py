import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applicants.storage import private_storage
from portal.jobs.models import BackgroundJob, JobStates


def random_dossier_path(instance, filename: str) -> str:
    return f"dossiers/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class DossierStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being put together")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")


class Dossier(BackgroundJob):
    """One application as a single PDF (a summary page, then its documents), built by a worker for staff."""

    states = JobStates(
        queued=DossierStatus.QUEUED,
        running=DossierStatus.RUNNING,
        done=DossierStatus.READY,
        failed=DossierStatus.FAILED,
    )
    task_name = "applicants.build_dossier"
    task_argument = "dossier_id"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="dossiers", verbose_name=_("application")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=10, choices=DossierStatus.choices, default=DossierStatus.QUEUED)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=random_dossier_path, blank=True, max_length=200
    )
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["application", "status"])]

    def __str__(self):
        return _("Dossier %(id)s (%(status)s)") % {"id": self.uuid, "status": self.get_status_display()}

    def get_absolute_url(self):
        return reverse("staff:dossier", kwargs={"uuid": self.uuid})
