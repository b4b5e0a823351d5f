"""The applicant's answer to an automatic check that blocks submitting: "my document is right"."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.enums import ApplicationStatus, EventKind
from applicants.errors import DomainError
from applicants.guards import blocking_checks, check_claim
from applicants.models import DocumentCheck, Event


@transaction.atomic
def document_check_confirm(*, check: DocumentCheck, by) -> DocumentCheck:
    """Record that the applicant confirms a blocking finding is mistaken (the letter does state the
    dates); it is on the timeline, for the coordinator, and submitting is no longer blocked by it."""
    check = (
        DocumentCheck.objects.select_for_update().select_related("document__application__programme").get(pk=check.pk)
    )
    document = check.document
    application = document.application
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(_("A submitted application can no longer be changed."))
    item = application.programme.programme_documents.get(document_type_id=document.document_type_id)
    if check not in blocking_checks(item, document):
        raise DomainError(_("There is nothing to confirm: this check does not stop you from submitting."))
    check.confirmed_message, check.confirmed_at = check.message, timezone.now()
    check.save(update_fields=["confirmed_message", "confirmed_at"])
    Event.objects.create(
        application=application,
        actor=by,
        kind=EventKind.CHECK_CONFIRMED,
        message=_("%(document)s: the applicant confirms that it %(claim)s; the automatic check said: %(finding)s")
        % {"document": item.document_type.name, "claim": check_claim(check), "finding": check.message},
    )
    return check
