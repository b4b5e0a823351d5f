"""The certificate at the end of a trainee's placements: a PDF built by a worker, with a public
verification page reached by an unguessable code (printed with a QR code on the certificate)."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from applicants.storage import private_storage
from placements.training.enums import CertificateKind, CertificateStatus
from portal.jobs.models import BackgroundJob, JobStates


def new_code() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def random_certificate_path(instance, filename: str) -> str:
    return f"certificates/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class Certificate(BackgroundJob):
    states = JobStates(
        queued=CertificateStatus.QUEUED,
        running=CertificateStatus.RUNNING,
        done=CertificateStatus.READY,
        failed=CertificateStatus.FAILED,
    )
    task_name = "training.build_certificate"
    task_argument = "certificate_id"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField("applicants.Application", on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=64, unique=True, default=new_code, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=CertificateKind.choices)
    status = models.CharField(max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.QUEUED)
    file = models.FileField(storage=private_storage, upload_to=random_certificate_path, blank=True, max_length=200)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("why it was revoked"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.get_kind_display()} of {self.application}"

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.READY and self.revoked_at is None
