"""The certificate: asked for when the last placement is completed and its final evaluation submitted,
built by a worker (the job pattern of portal.jobs), verified on a public page by its code."""

import logging
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.storage import private_storage
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.training.enums import CertificateKind, CertificateStatus, EvaluationKind, EvaluationStatus
from placements.training.models import Certificate, Evaluation, EvaluationForm, ProgrammeTraining
from placements.training.pdf import certificate_pdf
from portal.jobs.services import job_claim, job_fail, job_finish, job_is_lost, job_progress, job_queue

logger = logging.getLogger(__name__)
P = PlacementStatus
# Placements still to come or running: no certificate before they are over.
NOT_OVER = (P.CONFIRMED, P.IN_PROGRESS)


def completed_placements(application: Application) -> list[Placement]:
    return list(
        application.placements.filter(status=P.COMPLETED)
        .select_related("department__institution", "department__specialization")
        .order_by("start_week", "pk")
    )


def certificate_problems(application: Application) -> list[str]:
    """Why the certificate cannot be made yet (empty when it can): every placement over, at least one
    completed, and each completed one with its final evaluation submitted (when the programme has one)."""
    if application.placements.filter(status__in=NOT_OVER).exists():
        return [_("Your placement is not completed yet.")]
    completed = completed_placements(application)
    if not completed:
        return [_("There is no completed placement to certify.")]
    if EvaluationForm.objects.filter(programme_id=application.programme_id, kind=EvaluationKind.FINAL).exists():
        evaluated = set(
            Evaluation.objects.filter(
                placement__in=completed, kind=EvaluationKind.FINAL, status=EvaluationStatus.SUBMITTED
            ).values_list("placement_id", flat=True)
        )
        if any(p.pk not in evaluated for p in completed):
            return [_("The final evaluation has not been submitted yet.")]
    return []


def _kind(application: Application) -> str:
    logbook = ProgrammeTraining.objects.filter(programme_id=application.programme_id, keeps_logbook=True).exists()
    return CertificateKind.COMPLETION if logbook else CertificateKind.ATTENDANCE


def certificate_request(*, application: Application) -> Certificate:
    """The application's certificate: made and queued the first time, queued again after a failure or
    when its job seems lost. The caller checked `certificate_problems`."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()  # one request at a time
        certificate = Certificate.objects.filter(application=application).first()
        if certificate is None:
            certificate = Certificate.objects.create(application=application, kind=_kind(application))
            job_queue(certificate)
        elif certificate.status == CertificateStatus.FAILED:
            Certificate.objects.filter(pk=certificate.pk).update(
                status=CertificateStatus.QUEUED, error="", progress=0, created_at=timezone.now()
            )
            certificate.refresh_from_db()
            job_queue(certificate)
        elif certificate.is_active and job_is_lost(certificate):
            job_queue(certificate)
    return certificate


def certificate_request_if_due(*, application: Application) -> Certificate | None:
    """Ask for the certificate when nothing stands in its way (and none exists yet)."""
    if Certificate.objects.filter(application=application).exists() or certificate_problems(application):
        return None
    return certificate_request(application=application)


def certificates_request_due() -> int:
    """Ask for every certificate that became due (a placement completed after its final evaluation); the
    beat runs it, so a second run finds nothing new. Returns how many were asked for."""
    candidates = (
        Application.objects.filter(placements__status=P.COMPLETED, certificate__isnull=True)
        .exclude(placements__status__in=NOT_OVER)
        .distinct()
    )
    asked = 0
    for application in candidates.select_related("programme"):
        asked += certificate_request_if_due(application=application) is not None
    return asked


def certificate_build(*, certificate_id: int, verify_url_for) -> str:
    """Build certificate `certificate_id`'s PDF: "ready", "failed" or "skipped" (not waiting, or gone).
    `verify_url_for(code)` is the address of its public verification page."""
    certificate = job_claim(
        Certificate.objects.select_related("application__applicant", "application__programme__provider"),
        pk=certificate_id,
        stage=_("Gathering the placement"),
    )
    if certificate is None:
        logger.info("Certificate %s is not waiting to be built; nothing to do", certificate_id)
        return "skipped"
    try:
        job_progress(Certificate, pk=certificate.pk, done=30, stage=_("Writing the certificate"))
        content = certificate_pdf(certificate, verify_url=verify_url_for(certificate.code))
        name = private_storage.save(
            certificate.file.field.generate_filename(certificate, "c.pdf"), ContentFile(content)
        )
    except Exception:
        logger.exception("Certificate %s failed", certificate_id)
        job_fail(Certificate, pk=certificate_id, error=_("Something went wrong while writing the certificate."))
        return "failed"
    if not job_finish(Certificate, pk=certificate_id, file=name, issued_on=timezone.localdate()):
        private_storage.delete(name)
        return "skipped"
    return "ready"


def certificate_revoke(*, certificate: Certificate, reason: str) -> bool:
    """Mark the certificate revoked: its verification page says so from now on."""
    return bool(
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason[:300]
        )
    )


@dataclass(frozen=True)
class CertificateVerification:
    name: str
    programme: str
    provider: str
    first_day: date | None
    last_day: date | None
    issued_on: date | None
    valid: bool


def certificate_verification(code: str) -> CertificateVerification | None:
    """What the public page shows of the certificate with `code`; None for an unknown or unfinished one."""
    certificate = (
        Certificate.objects.filter(code=code, status=CertificateStatus.READY)
        .select_related("application__applicant", "application__programme__provider")
        .first()
    )
    if certificate is None:
        return None
    placements = completed_placements(certificate.application)
    applicant = certificate.application.applicant
    return CertificateVerification(
        name=applicant.get_full_name() or _("(name not given)"),
        programme=certificate.application.programme.title,
        provider=certificate.application.programme.provider.name,
        first_day=placements[0].start_week if placements else None,
        last_day=max(p.end_date for p in placements) if placements else None,
        issued_on=certificate.issued_on,
        valid=certificate.revoked_at is None,
    )
