"""A stored private file as a download: opened or a 404, and locked down so that nothing in it runs in
the portal's origin or stays in a shared cache. Used by every download of the portal (documents,
dossiers, data exports, yearly reports, certificates)."""

import logging

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def open_or_404(field: FieldFile):
    """The stored file opened for reading; a file gone from the disk is a 404, not a 500."""
    if not field or not field.name:
        raise Http404("No such file.")
    try:
        return field.storage.open(field.name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        logger.warning("Stored file %s is missing", field.name)
        raise Http404("No such file.") from None


def locked_down(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def private_download(field: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """`field`'s file as an attachment named `filename`, locked down; a 404 when it is not stored."""
    handle = open_or_404(field)
    return locked_down(FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type))
