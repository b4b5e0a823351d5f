"""Private documents leave the server only here: after the permission check, never from a public URL."""

import logging

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from applicants import access
from applicants.enums import DocumentState
from applicants.models import Document
from applicants.services.access_log import document_view_record
from placements.catalogue.enums import FileKind

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}


def _open_or_404(field: FieldFile):
    """The stored file opened for reading; a file gone from the disk is a 404, not a 500."""
    if not field or not field.name:
        raise Http404("No such file.")
    try:
        return field.storage.open(field.name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        logger.warning("Stored file %s is missing", field.name)
        raise Http404("No such file.") from None


# The type names the document in the staff timeline's "Viewed …" entry.
WITH_TYPE = Document.objects.select_related("application", "document_type")


def _locked_down(response: FileResponse) -> FileResponse:
    # Nothing from a document may run in the portal's origin, nor stay in a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def document_download(request, uuid):
    document = access.document_for_user(request.user, uuid, queryset=WITH_TYPE)
    if document.state != DocumentState.READY:
        # Until it is checked, the file is the upload as it came (a PDF not yet rebuilt); a refused one is gone.
        raise Http404("The file is not available.")
    handle = _open_or_404(document.file)
    document_view_record(document=document, by=request.user, how="download")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=CONTENT_TYPES.get(document.content_kind, "application/octet-stream"),
    )
    return _locked_down(response)


@login_required
@require_GET
def document_preview(request, uuid):
    document = access.document_for_user(request.user, uuid, queryset=WITH_TYPE)
    handle = _open_or_404(document.preview)
    document_view_record(document=document, by=request.user, how="preview")
    return _locked_down(FileResponse(handle, content_type="image/png"))
