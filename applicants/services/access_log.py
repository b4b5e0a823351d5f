"""Staff opening applicants' documents, noted on the application's timeline."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from applicants.enums import EventKind
from applicants.models import Document, Event

# Previews load as thumbnails on every visit of the staff page: one entry per person, document, way
# of viewing and hour keeps the timeline readable while still showing who looked, and when.
VIEW_LOG_WINDOW = timedelta(hours=1)


def document_view_record(*, document: Document, by, how: str) -> Event | None:
    """Note on the application's timeline (staff only) that `by` opened `document` ("download" or "preview").

    The applicant opening their own file is not noted; nor a repeat within VIEW_LOG_WINDOW.
    """
    application = document.application
    if by is None or by.pk == application.applicant_id:
        return None
    # A document is the only one of its type on its application, so the type names it.
    way = pgettext("opened a document", "download") if how == "download" else pgettext("opened a document", "preview")
    message = _("Viewed %(document)s (%(way)s)") % {"document": document.document_type.name, "way": way}
    recent = Event.objects.filter(
        application=application,
        kind=EventKind.DOCUMENT_VIEWED,
        actor=by,
        message=message,
        created_at__gte=timezone.now() - VIEW_LOG_WINDOW,
    )
    if recent.exists():
        return None
    return Event.objects.create(
        application=application, actor=by, kind=EventKind.DOCUMENT_VIEWED, message=message, internal=True
    )
