"""The PDF dossier of one application: a summary, then every accepted document, in one file for staff.

Built by a worker (applicants.build_dossier) so that the coordinator's page stays quick and can show
the progress. Refused documents are listed on the summary but not merged.
"""

import io
import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from applicants.enums import DocumentState, EventKind
from applicants.models import Application, Document, Dossier, DossierStatus, Event
from applicants.services.dossier_summary import SUMMARY_QUERYSET, summary_pdf
from applicants.storage import private_storage

logger = logging.getLogger(__name__)

# A running dossier without a sign of life for this long lost its worker and may be taken on again.
STALE_AFTER = timedelta(minutes=10)
ACTIVE = (DossierStatus.QUEUED, DossierStatus.RUNNING)
# Images larger than this (in pixels) are not drawn: a decompression bomb must not stop the worker.
MAX_IMAGE_PIXELS = 60_000_000


class DossierError(Exception):
    """Something a coordinator can read: why the dossier could not be made."""


def _queue(dossier_id: int) -> None:
    from applicants.tasks import build_dossier

    build_dossier.delay(dossier_id=dossier_id)


def dossier_request(*, application: Application, by) -> Dossier:
    """Start a dossier of `application`, or return the one already under way (queued again if it seems lost)."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()  # one request at a time
        dossier = Dossier.objects.filter(application=application, status__in=ACTIVE).first()
        if dossier is not None:
            if dossier.updated_at < timezone.now() - STALE_AFTER:
                transaction.on_commit(lambda: _queue(dossier.pk), robust=True)
            return dossier
        dossier = Dossier.objects.create(application=application, requested_by=by, stage="Waiting for its turn")
        # robust: with the broker away the request still succeeds; asking again later queues it again.
        transaction.on_commit(lambda: _queue(dossier.pk), robust=True)
    return dossier


# --- the documents -------------------------------------------------------------------------------


def image_pdf(handle, *, caption: str) -> bytes:
    """One A4 page with the image fitted inside the margins and a caption, as PDF bytes."""
    with Image.open(handle) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise DossierError(f"The image “{caption}” is too large to include.")
        picture = ImageOps.exif_transpose(image).convert("RGB")
    buffer = io.BytesIO()
    page_width, page_height = A4
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    margin = 15 * mm
    room_width, room_height = page_width - 2 * margin, page_height - 2 * margin - 8 * mm
    scale = min(room_width / picture.width, room_height / picture.height)
    width, height = picture.width * scale, picture.height * scale
    canvas.setFont("Helvetica", 9)
    canvas.drawString(margin, page_height - margin, caption)
    canvas.drawImage(ImageReader(picture), margin, page_height - margin - 8 * mm - height, width=width, height=height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _append_document(writer: PdfWriter, document: Document) -> None:
    name = document.document_type.name
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except (FileNotFoundError, IsADirectoryError, ValueError):
        raise DossierError(f"The file of the {name} is missing from storage.") from None
    with handle:
        data = io.BytesIO(handle.read())
    try:
        if document.content_kind == "pdf":
            reader = PdfReader(data)
            if reader.is_encrypted:
                raise DossierError(f"The {name} is encrypted and cannot be merged.")
            writer.append(reader, outline_item=name, import_outline=False)
        elif document.content_kind in ("jpeg", "png"):
            page = io.BytesIO(image_pdf(data, caption=f"{name}: {document.original_name}"))
            writer.append(PdfReader(page), outline_item=name)
        else:
            raise DossierError(f"The {name} is of a kind that cannot be put in a PDF.")
    except DossierError:
        raise
    except Exception as error:
        logger.warning("Dossier: document %s could not be merged: %r", document.pk, error)
        raise DossierError(f"The {name} could not be read as a {document.content_kind.upper()}.") from error


# --- building ------------------------------------------------------------------------------------


def _claim(dossier_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=DossierStatus.QUEUED) | Q(status=DossierStatus.RUNNING, updated_at__lt=now - STALE_AFTER)
    return bool(
        Dossier.objects.filter(claimable, pk=dossier_id).update(
            status=DossierStatus.RUNNING, progress=0, stage="Writing the summary", updated_at=now
        )
    )


def _progress(dossier_id: int, done: int, total: int, stage: str) -> None:
    # Never 100 before the file is saved: 100 means "ready".
    Dossier.objects.filter(pk=dossier_id, status=DossierStatus.RUNNING).update(
        progress=min(99, done * 100 // max(total, 1)), stage=stage[:200], updated_at=timezone.now()
    )


def _fail(dossier_id: int, message: str) -> None:
    now = timezone.now()
    Dossier.objects.filter(pk=dossier_id, status=DossierStatus.RUNNING).update(
        status=DossierStatus.FAILED, error=message[:300], stage="", updated_at=now, finished_at=now
    )


def dossier_build(*, dossier_id: int) -> str:
    """Build dossier `dossier_id`: "ready", "failed", or "skipped" when it is not waiting (or gone)."""
    if not _claim(dossier_id):
        logger.info("Dossier %s is not waiting to be built; nothing to do", dossier_id)
        return "skipped"
    dossier = Dossier.objects.select_related("requested_by").get(pk=dossier_id)
    try:
        application = SUMMARY_QUERYSET.get(pk=dossier.application_id)
        merged = [d for d in application.documents.all() if d.state == DocumentState.READY]
        total = len(merged) + 2
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(summary_pdf(application, dossier=dossier))), outline_item="Summary")
        for done, document in enumerate(merged, start=1):
            _progress(dossier_id, done, total, f"Adding the {document.document_type.name}")
            _append_document(writer, document)
        _progress(dossier_id, total - 1, total, "Saving the file")
        writer.add_metadata({"/Title": f"Application dossier {application.reference or 'draft'}"})
        pages = len(writer.pages)
        with tempfile.TemporaryFile(suffix=".pdf") as handle:
            writer.write(handle)
            handle.seek(0)
            name = private_storage.save(dossier.file.field.generate_filename(dossier, "dossier.pdf"), File(handle))
    except DossierError as error:
        logger.info("Dossier %s failed: %s", dossier_id, error)
        _fail(dossier_id, str(error))
        return "failed"
    except Exception:
        logger.exception("Dossier %s failed", dossier_id)
        _fail(dossier_id, "Something went wrong while putting the dossier together. Please try again.")
        return "failed"
    now = timezone.now()
    saved = Dossier.objects.filter(pk=dossier_id, status=DossierStatus.RUNNING).update(
        status=DossierStatus.READY, file=name, pages=pages, progress=100, stage="", updated_at=now, finished_at=now
    )
    if not saved:  # the row went meanwhile: the file must not outlive it
        private_storage.delete(name)
        return "skipped"
    logger.info("Dossier %s ready (%s pages)", dossier_id, pages)
    return "ready"


def dossier_download_record(*, dossier: Dossier, by) -> Event:
    """Note on the application's timeline (staff only) that `by` downloaded its dossier."""
    return Event.objects.create(
        application=dossier.application,
        actor=by,
        kind=EventKind.DOCUMENT_VIEWED,
        message="Downloaded the PDF dossier",
        internal=True,
    )
