"""Uploading, replacing, deleting and processing an application's documents."""

import logging
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applicants.enums import ApplicationStatus, DocumentState, EventKind
from applicants.errors import DomainError
from applicants.files import PreviewError
from applicants.files.checks import check_proof_of_english, check_states_dates
from applicants.files.disarm import RULES_VERSION, describe_removed, disarm_pdf_file
from applicants.files.images import render_image_preview, sanitize_image
from applicants.files.pdf import render_pdf_preview
from applicants.files.types import check_upload, sha256_of
from applicants.models import Application, Document, DocumentCheck, Event
from placements.catalogue.enums import AutomaticCheck, FileKind
from placements.catalogue.models import DocumentType
from portal.jobs.queue import queue_after_commit

logger = logging.getLogger(__name__)
EDITABLE_STATES = (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED)


def _remove_files(*fields) -> None:
    for field in fields:
        if field and field.name:
            field.storage.delete(field.name)


def document_upload(*, application: Application, document_type: DocumentType, upload, by) -> Document:
    """Check and store an upload privately (replacing an earlier file of that type); queue its processing.

    Raises DomainError with the reason when the file is refused; nothing else of the draft changes.
    """
    if application.status not in EDITABLE_STATES:
        raise DomainError(_("Documents can no longer be changed for this application."))
    if not application.programme.programme_documents.filter(document_type=document_type).exists():
        raise DomainError(_("This programme does not ask for that document."))
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    verdict = check_upload(
        name=upload.name or "",
        size=upload.size,
        head=head,
        allowed_kinds=document_type.allowed_kinds,
        max_bytes=settings.DOCUMENT_MAX_BYTES,
    )
    if not verdict.ok:
        raise DomainError(verdict.reason)
    digest = sha256_of(upload)
    upload.seek(0)
    with transaction.atomic():
        previous = Document.objects.select_for_update().filter(application=application, document_type=document_type)
        old = previous.first()
        old_files = (old.file, old.preview) if old else ()
        if old:
            old.delete()
        document = Document(
            application=application,
            document_type=document_type,
            original_name=verdict.safe_name,
            size=upload.size,
            sha256=digest,
            content_kind=verdict.kind,
        )
        document.file.save(verdict.safe_name, upload, save=False)
        document.save()
        Event.objects.create(
            application=application,
            actor=by,
            kind=EventKind.DOCUMENT_UPLOADED,
            message=(_("%(document)s: %(file)s (replaces the earlier file)") if old else _("%(document)s: %(file)s"))
            % {"document": document_type.name, "file": verdict.safe_name},
        )
        transaction.on_commit(lambda: _remove_files(*old_files))
        # With Redis away the document stays pending and the outbox sweeper queues it later.
        queue_after_commit("applicants.process_document", document_id=document.pk)
    return document


def documents_waiting(cutoff: datetime) -> QuerySet:
    """Ids of the documents uploaded before `cutoff` and still waiting to be checked, oldest first (the outbox)."""
    rows = Document.objects.filter(state=DocumentState.PENDING, uploaded_at__lt=cutoff)
    return rows.order_by("uploaded_at").values_list("pk", flat=True)


def document_delete(*, document: Document, by) -> None:
    if document.application.status != ApplicationStatus.DRAFT:
        raise DomainError(_("Documents of a submitted application cannot be deleted."))
    files = (document.file, document.preview)
    with transaction.atomic():
        Event.objects.create(
            application=document.application,
            actor=by,
            kind=EventKind.DOCUMENT_DELETED,
            message=_("%(document)s: %(file)s")
            % {"document": document.document_type.name, "file": document.original_name},
        )
        document.delete()
        transaction.on_commit(lambda: _remove_files(*files))


def _preview(render, path: Path, preview_path: Path) -> None:
    """A preview is a convenience: a file that passed its checks stays acceptable without one."""
    try:
        render(path, preview_path)
    except PreviewError:
        logger.warning("No preview for %s", path.name)


def _inspect(document: Document, path: Path) -> tuple[str, dict]:
    """Run the file checks; return a refusal reason ("" if fine) and fields to store."""
    preview_path = path.with_suffix(".preview.png")
    if document.content_kind == FileKind.PDF:
        report = disarm_pdf_file(path)  # the stored copy becomes the rebuilt one, without active content
        if not report.ok:
            return report.reason, {}
        _preview(render_pdf_preview, path, preview_path)
        found = {"pages": report.pages, "text": report.text, "disarm_version": RULES_VERSION}
        return "", found | {"preview_path": preview_path, "removed": describe_removed(report.removed)}
    clean_path = path.with_suffix(".clean")
    report = sanitize_image(path, clean_path, kind=document.content_kind)
    if not report.ok:
        return report.reason, {}
    clean_path.replace(path)  # the stored copy is the re-encoded one, without metadata
    _preview(render_image_preview, path, preview_path)
    return "", {"pages": 1, "text": "", "preview_path": preview_path}


def _automatic_checks(document: Document) -> list[tuple[str, str, str]]:
    check = document.document_type.automatic_check
    application = document.application
    if check == AutomaticCheck.STATES_REQUESTED_DATES and application.start_date and application.end_date:
        result = check_states_dates(document.text, application.start_date, application.end_date)
        return [(check, result.status, result.message)]
    if check == AutomaticCheck.PROOF_OF_ENGLISH:
        result = check_proof_of_english(True, document.text)
        return [(check, result.status, result.message)]
    return []


def _processed_message(name: str, *, reason: str, removed: str) -> str:
    if reason:
        return _("%(document)s: refused. %(reason)s") % {"document": name, "reason": reason}
    if removed:
        return _("%(document)s: ready. Removed from the PDF: %(removed)s.") % {"document": name, "removed": removed}
    return _("%(document)s: ready.") % {"document": name}


def document_process(*, document_id: int) -> str | None:
    """Check one pending document and settle it as ready or refused; a second run does nothing.

    Returns the new state, or None when the document is gone or was already settled.
    """
    document = (
        Document.objects.select_related("application__applicant", "document_type")
        .filter(pk=document_id, state=DocumentState.PENDING)
        .first()
    )
    if document is None:
        return None
    # The refusal, the checks' findings and the timeline entry are the applicant's to read first.
    with translation.override(document.application.applicant.language or None):
        return _document_settle(document)


def _document_settle(document: Document) -> str | None:
    document_id = document.pk
    path = Path(document.file.path)
    try:
        reason, found = _inspect(document, path)
    except Exception:
        logger.exception("Document %s could not be processed", document_id)
        reason, found = _("The file could not be read."), {}
    preview_path = found.pop("preview_path", None)
    removed = found.pop("removed", "")
    with transaction.atomic():
        # Claim the document: only the run that moves it out of "pending" stores its results.
        claimed = Document.objects.select_for_update().filter(pk=document_id, state=DocumentState.PENDING).first()
        if claimed is None:
            return None
        claimed.state = DocumentState.REJECTED if reason else DocumentState.READY
        claimed.reason = reason
        claimed.processed_at = timezone.now()
        claimed.pages = found.get("pages")
        claimed.text = found.get("text", "")
        claimed.disarm_version = found.get("disarm_version", 0)
        claimed.size = path.stat().st_size
        with path.open("rb") as stored:
            claimed.sha256 = sha256_of(stored)
        if preview_path and preview_path.exists():
            claimed.preview.save("preview.png", ContentFile(preview_path.read_bytes()), save=False)
        if reason:
            document_file_discard(claimed)
        claimed.save()
        if not reason:
            for code, status, message in _automatic_checks(claimed):
                DocumentCheck.objects.update_or_create(
                    document=claimed, code=code, defaults={"status": status, "message": message}
                )
        Event.objects.create(
            application=claimed.application,
            kind=EventKind.DOCUMENT_PROCESSED,
            message=_processed_message(claimed.document_type.name, reason=reason, removed=removed),
        )
    if preview_path:
        preview_path.unlink(missing_ok=True)
    return claimed.state


def document_file_discard(document: Document) -> None:
    """Forget a refused document's file (deleted once the transaction commits): nobody can download it."""
    stale = document.file.name
    storage = document.file.storage
    document.file = ""
    transaction.on_commit(lambda: storage.delete(stale))


def document_checks_rerun(*, application: Application) -> None:
    """Re-run the automatic checks of ready documents (the requested dates may have changed)."""
    for document in application.documents.select_related("document_type").filter(state=DocumentState.READY):
        document.application = application
        for code, status, message in _automatic_checks(document):
            DocumentCheck.objects.update_or_create(
                document=document, code=code, defaults={"status": status, "message": message}
            )
