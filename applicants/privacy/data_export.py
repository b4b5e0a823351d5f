"""The applicant's copy of their data: a ZIP with data.json and their original files, built by a worker."""

import json
import logging
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applicants.enums import ExportStatus
from applicants.models import ApplicantProfile, Application, DataExport, Document, Event, HospitalProposal
from applicants.presenters import event_title
from applicants.storage import private_storage
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.catalogue.models import EligibilityQuestion
from portal.jobs.services import job_claim, job_fail, job_finish, job_progress, job_request, jobs_abandon
from portal.mail.models import EmailLog

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
# An export neither finished nor failed a day after its last sign of life is given up.
GIVE_UP_AFTER = timedelta(days=1)


def data_export_request(*, user) -> DataExport:
    """Start an export for `user`, or return the one already under way (queued again if it seems lost).

    With the broker away the request still succeeds; the outbox sweeper sends its task later.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per person
        export, _new = job_request(
            DataExport.objects.filter(applicant=user), create=lambda: DataExport.objects.create(applicant=user)
        )
    return export


# --- what goes into data.json --------------------------------------------------------------------


def _actor(event: Event, applicant_id: int) -> str:
    if event.actor_id is None:
        return _("System")
    return _("You") if event.actor_id == applicant_id else _("Coordinator")


def archive_name(document: Document, taken: set[str]) -> str:
    """`documents/<type>-<original name>`, made safe as a path inside a ZIP and unique in it."""
    name = f"{document.document_type.code}-{document.original_name}"
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # controls, RTL overrides
    name = re.sub(r"[/\\:]+", "_", name).lstrip(".") or "document"
    path = f"documents/{name}"
    if path in taken:
        path = f"documents/{document.document_type.code}-{document.application.reference or document.pk}-{name}"
    taken.add(path)
    return path


def _document(document: Document, path: str | None) -> dict:
    return {
        "type": document.document_type.name,
        "original_name": document.original_name,
        "file_in_archive": path,
        "size": document.size,
        "sha256": document.sha256,
        "kind": document.content_kind,
        "state": document.get_state_display(),
        "reason_refused": document.reason,
        "pages": document.pages,
        "uploaded_at": document.uploaded_at,
        "checked_at": document.processed_at,
        "checks": [
            {"check": check.code, "outcome": check.get_status_display(), "message": check.message}
            for check in document.checks.all()
        ],
    }


def _answers(application: Application, questions: dict[int, str]) -> list[dict]:
    return [
        {"question": questions.get(int(key)) or _("Question %(number)s") % {"number": key}, "answer": value}
        for key, value in (application.answers or {}).items()
        if str(key).isdigit()
    ]


def _account(user) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.get_language_display(),
        "joined": user.date_joined,
        "last_sign_in": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def _profile(user) -> dict | None:
    profile = ApplicantProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "nationality": profile.nationality,
        "home_institution": profile.home_institution,
        "study_phase": profile.get_study_phase_display(),
        "degree": profile.degree,
        "english_level": profile.get_english_level_display(),
        "phone": profile.phone,
        "updated_at": profile.updated_at,
    }


@dataclass(frozen=True)
class _Related:
    """What the applications section needs besides the applications, fetched for all of them at once."""

    questions: dict[int, str]  # question id -> its text
    events: dict[int, list[Event]]  # application id -> its visible events
    placements: dict[int, list[Placement]]  # application id -> its placements past the proposal
    paths: dict[int, str | None]  # document id -> its file in the archive


def _related(applications: list[Application], paths: dict[int, str | None]) -> _Related:
    ids = [a.pk for a in applications]
    question_ids = {int(k) for a in applications for k in (a.answers or {}) if str(k).isdigit()}
    questions = dict(EligibilityQuestion.objects.filter(pk__in=question_ids).values_list("pk", "text"))
    events: dict[int, list[Event]] = {}
    for event in Event.objects.filter(application_id__in=ids, internal=False).order_by("created_at", "id"):
        events.setdefault(event.application_id, []).append(event)
    placements: dict[int, list[Placement]] = {}
    for placement in (
        Placement.objects.filter(application_id__in=ids)
        .exclude(status=PlacementStatus.PROPOSED)  # a proposal is the coordinators' draft
        .select_related("department__institution")
    ):
        placements.setdefault(placement.application_id, []).append(placement)
    return _Related(questions=questions, events=events, placements=placements, paths=paths)


def _placement(placement: Placement) -> dict:
    return {
        "department": str(placement.department),
        "first_week": placement.start_week,
        "weeks": placement.weeks,
        "status": placement.get_status_display(),
    }


def _history(event: Event, applicant_id: int) -> dict:
    return {
        "at": event.created_at,
        "what": event_title(event),
        "by": _actor(event, applicant_id),
        "message": event.message,
    }


def _proposal(proposal: HospitalProposal) -> dict:
    return {
        "hospital": proposal.hospital,
        "city": proposal.city,
        "country": proposal.country,
        "department": proposal.department,
        "specialization": proposal.specialization.name,
        "contact_name": proposal.contact_name,
        "contact_email": proposal.contact_email,
        "weeks": proposal.weeks,
        "status": proposal.get_status_display(),
        "refusal_reason": proposal.refusal_reason,
    }


def _application(application: Application, related: _Related) -> dict:
    return {
        "reference": application.reference,
        "programme": application.programme.title,
        "status": application.get_status_display(),
        "requested_start": application.start_date,
        "requested_end": application.end_date,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "components": [
            {"part": str(c.offering.department), "weeks": c.weeks, "preference": c.rank}
            for c in application.components.all()
        ],
        "answers": _answers(application, related.questions),
        "documents": [_document(d, related.paths.get(d.pk)) for d in application.documents.all()],
        "proposed_hospitals": [_proposal(p) for p in application.hospital_proposals.all()],
        "placements": [_placement(p) for p in related.placements.get(application.pk, [])],
        "history": [_history(e, application.applicant_id) for e in related.events.get(application.pk, [])],
    }


def _consents(applications: list[Application]) -> list[dict]:
    return [
        {
            "application": a.reference or _("Draft for %(programme)s") % {"programme": a.programme.title},
            "given_at": a.consent_given_at,
            "privacy_notice_version": a.privacy_notice_version,
        }
        for a in applications
        if a.consent_given_at
    ]


def _emails(user) -> list[dict]:
    email = user.email.lower()
    return [
        {
            "to": log.to,
            "subject": log.subject,
            "body": log.body,
            "status": log.get_status_display(),
            "queued_at": log.created_at,
            "sent_at": log.sent_at,
        }
        for log in EmailLog.objects.filter(to__icontains=email).order_by("created_at", "id")
        if email in (address.lower() for address in log.recipients)
    ]


def applicant_data(user, *, paths: dict[int, str | None]) -> dict:
    """Everything the portal holds about `user` that they may see, as plain JSON-able data.

    `paths` gives, per document id, where its file sits in the archive (None: the file is gone).
    Reviews and internal notes are staff working papers and are not included.
    """
    applications = list(
        Application.objects.filter(applicant=user)
        .select_related("programme")
        .prefetch_related(
            "components__offering__department__institution",
            "documents__document_type",
            "documents__checks",
            "hospital_proposals__specialization",
        )
        .order_by("created_at")
    )
    related = _related(applications, paths)
    return {
        "exported_at": timezone.now(),
        "account": _account(user),
        "profile": _profile(user),
        "applications": [_application(a, related) for a in applications],
        "consents": _consents(applications),
        "emails": _emails(user),
    }


# --- building ------------------------------------------------------------------------------------


def _write_archive(export: DataExport, handle) -> None:
    user = export.applicant
    documents = list(
        Document.objects.filter(application__applicant=user)
        .select_related("document_type", "application")
        .order_by("uploaded_at", "id")
    )
    total = len(documents) + 1
    paths: dict[int, str | None] = {}
    taken: set[str] = set()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, document in enumerate(documents, start=1):
            path = archive_name(document, taken)
            try:
                with (
                    document.file.storage.open(document.file.name, "rb") as source,
                    archive.open(path, "w", force_zip64=True) as target,
                ):
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
                paths[document.pk] = path
            except (FileNotFoundError, IsADirectoryError, ValueError):
                logger.warning("Export %s: file of document %s is missing", export.pk, document.pk)
                taken.discard(path)
                paths[document.pk] = None
            job_progress(DataExport, pk=export.pk, done=done, total=total)
        # The words in data.json (states, timeline titles, "You") in the language the person reads.
        with translation.override(user.language or None):
            data = applicant_data(user, paths=paths)
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))


def data_export_build(*, export_id: int) -> str:
    """Build export `export_id`: "ready", "failed", or "skipped" when it is not waiting (or gone)."""
    export = job_claim(DataExport.objects.select_related("applicant"), pk=export_id)
    if export is None:
        logger.info("Export %s is not waiting to be built; nothing to do", export_id)
        return "skipped"
    try:
        with tempfile.TemporaryFile(suffix=".zip") as handle:
            _write_archive(export, handle)
            size = handle.tell()
            handle.seek(0)
            name = private_storage.save(export.file.field.generate_filename(export, "export.zip"), File(handle))
    except Exception:
        logger.exception("Export %s failed", export_id)
        job_fail(DataExport, pk=export_id, error=_("Something went wrong while putting the data together."))
        return "failed"
    now = timezone.now()
    saved = job_finish(
        DataExport, pk=export_id, file=name, size=size, finished_at=now, expires_at=now + EXPORT_LIFETIME
    )
    if not saved:  # erased or expired meanwhile: the archive must not outlive its row
        private_storage.delete(name)
        logger.info("Export %s was withdrawn while it was built; archive deleted", export_id)
        return "skipped"
    logger.info("Export %s ready (%s bytes)", export_id, size)
    return "ready"


def data_exports_expire(*, now=None) -> int:
    """Delete the archives of exports past their expiry, and give up on exports stuck for a day; returns how many."""
    now = now or timezone.now()
    expired = 0
    for export in DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now):
        with transaction.atomic():
            if DataExport.objects.filter(pk=export.pk, status=ExportStatus.READY).update(
                status=ExportStatus.EXPIRED, file="", updated_at=now
            ):
                name = export.file.name
                transaction.on_commit(lambda name=name: name and private_storage.delete(name))
                expired += 1
    jobs_abandon(
        DataExport.objects.filter(updated_at__lt=now - GIVE_UP_AFTER),
        error=_("The export did not finish within a day."),
    )
    logger.info("Deleted %s expired data export(s)", expired)
    return expired
