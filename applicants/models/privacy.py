import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applicants.enums import ExportStatus
from applicants.storage import private_storage
from portal.jobs.models import BackgroundJob, JobStates


def random_export_path(instance, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.zip"


class PrivacyNotice(models.Model):
    """One version of the privacy notice; applicants consent to the latest published one."""

    version = models.CharField(
        _("version"), max_length=20, unique=True, help_text=_("Recorded with each consent, e.g. 2026-11.")
    )
    text = models.TextField(_("text"), help_text=_("Plain text; a blank line starts a new paragraph."))
    text_nl = models.TextField(
        _("text in Dutch"),
        blank=True,
        help_text=_(
            "The same notice in Dutch, for those who read the portal in Dutch; left empty, they read the English text."
        ),
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("From this moment on the notice is shown; leave empty for a draft."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return _("Privacy notice %(version)s") % {"version": self.version}

    @property
    def localized_text(self) -> str:
        """The text in the language of the page: the Dutch one for a Dutch page, where there is one."""
        if self.text_nl and (get_language() or "").startswith("nl"):
            return self.text_nl
        return self.text


class DataExport(BackgroundJob):
    """A ZIP with everything the portal holds about one applicant, built by a worker on request."""

    states = JobStates(
        queued=ExportStatus.PENDING,
        running=ExportStatus.RUNNING,
        done=ExportStatus.READY,
        failed=ExportStatus.FAILED,
    )
    task_name = "applicants.build_data_export"
    task_argument = "export_id"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports", verbose_name=_("applicant")
    )
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=random_export_path, blank=True, max_length=200
    )
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return _("Data export %(id)s (%(status)s)") % {"id": self.uuid, "status": self.get_status_display()}

    def get_absolute_url(self):
        return reverse("applicants:data_export", kwargs={"uuid": self.uuid})
