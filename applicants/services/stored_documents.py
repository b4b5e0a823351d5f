"""Rebuilding the PDFs stored before uploads were rebuilt, or under older rules, in batches by a worker.

Every ready PDF records the version of the rules it was rebuilt with (`Document.disarm_version`); the
task `applicants.disarm_stored_documents`, on the beat schedule, takes the ones below
`RULES_VERSION` a batch at a time until none is left, and is a cheap query from then on. Each
document is claimed under a row lock that parallel runs skip, and recorded when done, so the work
resumes where it stopped and a second run does nothing.
"""

import logging
import time
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.enums import DocumentState, EventKind
from applicants.files.disarm import RULES_VERSION, describe_removed, disarm_pdf_file
from applicants.files.types import sha256_of
from applicants.models import Document, Event
from applicants.services.documents import document_file_discard
from placements.catalogue.enums import FileKind

logger = logging.getLogger(__name__)

BATCH = 200
# Stop taking documents after this long, well inside the task's soft time limit (CELERY_SOFT_TIME_LIMIT).
TIME_BUDGET_SECONDS = 60.0


def stored_pdfs_to_disarm() -> QuerySet:
    """Ready PDFs whose stored file was not rebuilt under the current rules."""
    return Document.objects.filter(
        content_kind=FileKind.PDF, state=DocumentState.READY, disarm_version__lt=RULES_VERSION
    )


def documents_disarm_stored(*, batch: int = BATCH, time_budget: float = TIME_BUDGET_SECONDS) -> int:
    """Rebuild up to `batch` stored PDFs (fewer if `time_budget` seconds run out); returns how many were settled."""
    total = stored_pdfs_to_disarm().count()
    if not total:
        return 0
    deadline = time.monotonic() + time_budget
    done = refused = 0
    while done < batch and time.monotonic() < deadline:
        outcome = _disarm_next()
        if outcome is None:
            break
        done += 1
        refused += outcome == DocumentState.REJECTED
        if done % 20 == 0:
            logger.info("Disarmed %s of %s stored PDFs", f"{done:,}", f"{total:,}")
    logger.info(
        "Disarmed %s of %s stored PDFs (%s refused); %s left",
        f"{done:,}",
        f"{total:,}",
        refused,
        f"{max(total - done, 0):,}",
    )
    return done


def _disarm_next() -> str | None:
    """Claim one stored PDF to rebuild and settle it: rebuilt and recorded, or refused with its file discarded."""
    with transaction.atomic():
        document = (
            stored_pdfs_to_disarm()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("application", "document_type")
            .order_by("pk")
            .first()
        )
        if document is None:
            return None
        reason, removed = _rebuild(document)
        document.disarm_version = RULES_VERSION
        if reason:
            document.state = DocumentState.REJECTED
            document.reason = reason
            document.processed_at = timezone.now()
            document_file_discard(document)
            document.checks.all().delete()
            Event.objects.create(
                application=document.application,
                kind=EventKind.DOCUMENT_PROCESSED,
                message=_("%(document)s: refused when it was checked again. %(reason)s")
                % {"document": document.document_type.name, "reason": reason},
            )
            logger.warning("Stored document %s refused: %s", document.pk, reason)
        elif removed:
            logger.info("Stored document %s: removed %s", document.pk, removed)
        document.save()
    return document.state


def _rebuild(document: Document) -> tuple[str, str]:
    """Rebuild the stored file in place; returns (refusal reason or "", what was removed)."""
    try:
        path = Path(document.file.path)
        report = disarm_pdf_file(path)
    except Exception:
        logger.exception("Stored document %s could not be rebuilt", document.pk)
        return _("The file could not be read."), ""
    if not report.ok:
        return report.reason, ""
    document.size = path.stat().st_size
    with path.open("rb") as stored:
        document.sha256 = sha256_of(stored)
    return "", describe_removed(report.removed)
