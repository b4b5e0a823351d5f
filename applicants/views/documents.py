"""Private documents leave the server only here: after the permission check, never from a public URL."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from applicants import access
from applicants.enums import DocumentState
from applicants.models import Document
from applicants.services.access_log import document_view_record
from placements.catalogue.enums import FileKind
from portal.downloads import locked_down, open_or_404

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}


# The type names the document in the staff timeline's "Viewed …" entry.
WITH_TYPE = Document.objects.select_related("application", "document_type")


@login_required
@require_GET
def document_download(request, uuid):
    document = access.document_for_user(request.user, uuid, queryset=WITH_TYPE)
    if document.state != DocumentState.READY:
        # Until it is checked, the file is the upload as it came (a PDF not yet rebuilt); a refused one is gone.
        raise Http404("The file is not available.")
    handle = open_or_404(document.file)
    document_view_record(document=document, by=request.user, how="download")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=CONTENT_TYPES.get(document.content_kind, "application/octet-stream"),
    )
    return locked_down(response)


@login_required
@require_GET
def document_preview(request, uuid):
    document = access.document_for_user(request.user, uuid, queryset=WITH_TYPE)
    handle = open_or_404(document.preview)
    document_view_record(document=document, by=request.user, how="preview")
    return locked_down(FileResponse(handle, content_type="image/png"))
