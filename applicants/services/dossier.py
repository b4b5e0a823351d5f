"""The PDF dossier of one application: a summary, then every accepted document, in one file for staff.

Built by a worker (applicants.build_dossier) so that the coordinator's page stays quick and can show
the progress. Refused documents are listed on the summary but not merged.
"""

import io
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from applicants.enums import DocumentState, EventKind
from applicants.models import Application, Document, Dossier, Event
from applicants.services.dossier_summary import SUMMARY_QUERYSET, summary_pdf
from applicants.storage import private_storage
from portal.jobs.services import job_claim, job_fail, job_finish, job_progress, job_request

logger = logging.getLogger(__name__)

# Images larger than this (in pixels) are not drawn: a decompression bomb must not stop the worker.
MAX_IMAGE_PIXELS = 60_000_000


UNEXPECTED = gettext_lazy("Something went wrong while putting the dossier together. Please try again.")


class DossierError(Exception):
    """Something a coordinator can read: why the dossier could not be made."""


def dossier_request(*, application: Application, by) -> Dossier:
    """Start a dossier of `application`, or return the one already under way (queued again if it seems lost).

    With the broker away the request still succeeds; the outbox sweeper sends its task later.
    """
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()  # one request at a time
        dossier, _new = job_request(
            Dossier.objects.filter(application=application),
            create=lambda: Dossier.objects.create(
                application=application, requested_by=by, stage=_("Waiting for its turn")
            ),
        )
    return dossier


# --- the documents -------------------------------------------------------------------------------


def image_pdf(handle, *, caption: str) -> bytes:
    """One A4 page with the image fitted inside the margins and a caption, as PDF bytes."""
    with Image.open(handle) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise DossierError(_("The image “%(caption)s” is too large to include.") % {"caption": caption})
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
        raise DossierError(_("The file of the %(document)s is missing from storage.") % {"document": name}) from None
    with handle:
        data = io.BytesIO(handle.read())
    try:
        if document.content_kind == "pdf":
            reader = PdfReader(data)
            if reader.is_encrypted:
                raise DossierError(_("The %(document)s is encrypted and cannot be merged.") % {"document": name})
            writer.append(reader, outline_item=name, import_outline=False)
        elif document.content_kind in ("jpeg", "png"):
            page = io.BytesIO(image_pdf(data, caption=f"{name}: {document.original_name}"))
            writer.append(PdfReader(page), outline_item=name)
        else:
            raise DossierError(_("The %(document)s is of a kind that cannot be put in a PDF.") % {"document": name})
    except DossierError:
        raise
    except Exception as error:
        logger.warning("Dossier: document %s could not be merged: %r", document.pk, error)
        raise DossierError(
            _("The %(document)s could not be read as a %(kind)s.")
            % {"document": name, "kind": document.content_kind.upper()}
        ) from error


# --- building ------------------------------------------------------------------------------------


def dossier_build(*, dossier_id: int) -> str:
    """Build dossier `dossier_id`: "ready", "failed", or "skipped" when it is not waiting (or gone).

    In the language of the coordinator who asked for it: the summary, the progress and the errors."""
    requester = Dossier.objects.filter(pk=dossier_id).values_list("requested_by__language", flat=True).first()
    with translation.override(requester or settings.LANGUAGE_CODE):
        return _dossier_build(dossier_id)


def _dossier_build(dossier_id: int) -> str:
    dossier = job_claim(Dossier.objects.select_related("requested_by"), pk=dossier_id, stage=_("Writing the summary"))
    if dossier is None:
        logger.info("Dossier %s is not waiting to be built; nothing to do", dossier_id)
        return "skipped"
    try:
        application = SUMMARY_QUERYSET.get(pk=dossier.application_id)
        merged = [d for d in application.documents.all() if d.state == DocumentState.READY]
        total = len(merged) + 2
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(summary_pdf(application, dossier=dossier))), outline_item=_("Summary"))
        for done, document in enumerate(merged, start=1):
            stage = _("Adding the %(document)s") % {"document": document.document_type.name}
            job_progress(Dossier, pk=dossier_id, done=done, total=total, stage=stage)
            _append_document(writer, document)
        job_progress(Dossier, pk=dossier_id, done=total - 1, total=total, stage=_("Saving the file"))
        title = _("Application dossier %(reference)s") % {"reference": application.reference or _("draft")}
        writer.add_metadata({"/Title": title})
        pages = len(writer.pages)
        with tempfile.TemporaryFile(suffix=".pdf") as handle:
            writer.write(handle)
            handle.seek(0)
            name = private_storage.save(dossier.file.field.generate_filename(dossier, "dossier.pdf"), File(handle))
    except DossierError as error:
        logger.info("Dossier %s failed: %s", dossier_id, error)
        job_fail(Dossier, pk=dossier_id, error=str(error))
        return "failed"
    except Exception:
        logger.exception("Dossier %s failed", dossier_id)
        job_fail(Dossier, pk=dossier_id, error=str(UNEXPECTED))
        return "failed"
    if not job_finish(Dossier, pk=dossier_id, file=name, pages=pages):  # the row went meanwhile: delete its file
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
        message=_("Downloaded the PDF dossier"),
        internal=True,
    )
