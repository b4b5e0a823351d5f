"""Erasing an applicant's account: open applications withdrawn, documents deleted, personal data erased.

The export lives in data_export.py and the retention purge in retention.py; the privacy notice and
the log of staff opening documents belong to applications (applicants/services/notices.py, access_log.py).
"""

import logging
from dataclasses import dataclass
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.enums import WITHDRAWABLE_STATES, EventKind
from applicants.errors import DomainError
from applicants.models import (
    ApplicantProfile,
    Application,
    DataExport,
    Document,
    Event,
    InternalNote,
    Review,
)
from applicants.storage import private_storage
from placements.allocation.services.lifecycle import application_withdraw
from portal.mail.models import EmailLog, EmailStatus

logger = logging.getLogger(__name__)

# --- erasure -------------------------------------------------------------------------------------

ERASED_NOTE = gettext_lazy("Erased with the applicant's account.")
# Session engines that keep sessions as rows of the database (the portal's own reads them through a cache).
DATABASE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
    "portal.session_store",
)


@dataclass(frozen=True)
class ErasureSummary:
    applications: int
    withdrawn: int
    documents: int
    files: int


def _stored_names(*fields) -> list[str]:
    return [field.name for field in fields if field and field.name]


def _delete_stored(names: list[str]) -> None:
    """Remove files after the erasure committed; one missing file does not stop the others."""
    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.exception("Could not delete stored file %s", name)


def erased_email(user) -> str:
    # .invalid is reserved (RFC 2606): nothing is ever delivered there.
    return f"erased-{user.pk}@invalid"


def account_erasable(user) -> bool:
    """Applicants delete their own account; staff and coordinators are closed by an administrator."""
    return not (user.is_staff or user.is_superuser or user.coordinated_programmes.exists())


def _erase_emails(*, email: str, application_ids: list[int]) -> None:
    """Blank what the e-mail log holds about the person; nothing still queued goes out afterwards."""
    to_them = [
        log.pk
        for log in EmailLog.objects.filter(to__icontains=email).only("pk", "to")
        if email in (address.lower() for address in log.recipients)
    ]
    about_them = Q(application_id__in=application_ids) | Q(pk__in=to_them)
    EmailLog.objects.filter(about_them, status__in=[EmailStatus.QUEUED, EmailStatus.SENDING]).update(
        status=EmailStatus.FAILED
    )
    EmailLog.objects.filter(about_them).update(subject="", body="", last_error="")
    EmailLog.objects.filter(pk__in=to_them).update(to="")


def _erase_sign_in_traces(*, user, email: str) -> None:
    EmailAddress.objects.filter(Q(user=user) | Q(email__iexact=email)).delete()  # confirmations cascade
    Authenticator.objects.filter(user=user).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES:
        # Sessions are not indexed by user: decode the live ones (an erasure is rare). Each is
        # deleted through the session store, which drops its cached copy too.
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                store(session.session_key).delete()


def _erase_admin_log(*, user, profile_ids, document_ids, email_log_ids) -> None:
    """The admin's history names the objects it changed; keep the entries, drop the names."""
    User = get_user_model()
    targets = Q()
    for model, ids in (
        (User, [user.pk]),
        (ApplicantProfile, profile_ids),
        (Document, document_ids),
        (EmailLog, email_log_ids),
    ):
        content_type = ContentType.objects.get_for_model(model)
        targets |= Q(content_type=content_type, object_id__in=[str(pk) for pk in ids])
    LogEntry.objects.filter(targets).update(object_repr="(erased)", change_message="")


def _withdraw_open(*, user, applications: list[Application]) -> int:
    """Withdraw the open applications through the workflow, with what goes with it (seats of placements
    given back); returns how many."""
    withdrawn = 0
    for application in applications:
        if application.status in WITHDRAWABLE_STATES:
            application_withdraw(application=application, by=user, reason=_("The applicant deleted their account."))
            withdrawn += 1
    return withdrawn


def _stored_files(*, user, documents: list[Document]) -> list[str]:
    """The stored files of the person's documents (with their previews) and of their data exports."""
    exports = list(DataExport.objects.filter(applicant=user))
    return _stored_names(*(f for d in documents for f in (d.file, d.preview)), *(e.file for e in exports))


def _erase_records(*, user, email: str, application_ids: list[int], documents: list[Document]) -> None:
    """Delete or blank every row that names or describes the person; the anonymous history stays."""
    profile_ids = list(ApplicantProfile.objects.filter(user=user).values_list("pk", flat=True))
    email_log_ids = list(
        EmailLog.objects.filter(Q(application_id__in=application_ids) | Q(to__icontains=email)).values_list(
            "pk", flat=True
        )
    )
    _erase_admin_log(
        user=user, profile_ids=profile_ids, document_ids=[d.pk for d in documents], email_log_ids=email_log_ids
    )

    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()  # their checks cascade
    DataExport.objects.filter(applicant=user).delete()
    ApplicantProfile.objects.filter(user=user).delete()
    Application.objects.filter(pk__in=application_ids).update(answers={})
    # Messages carry the applicant's own words, file names and e-mail subjects; kinds, statuses and
    # times stay as the anonymous history of each application.
    Event.objects.filter(application_id__in=application_ids).update(message="")
    InternalNote.objects.filter(application_id__in=application_ids).update(text=ERASED_NOTE)
    Review.objects.filter(application_id__in=application_ids).update(comment="")
    _erase_emails(email=email, application_ids=application_ids)
    _erase_sign_in_traces(user=user, email=email)


def _close_account(*, user, applications: list[Application]) -> None:
    """The account stays as an anonymous, inactive row; each application notes the erasure."""
    user.email = erased_email(user)
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
    for application in applications:
        Event.objects.create(
            application=application, kind=EventKind.NOTE, internal=True, message=_("Personal data erased.")
        )


def applicant_erase(*, user) -> ErasureSummary:
    """Delete an applicant's account as far as the law asks: personal data gone, anonymous figures kept.

    One transaction: open applications are withdrawn through the workflow, then everything that
    names or describes the person is deleted or blanked; stored files are removed after commit.
    Applications stay with programme, status, dates, components and scores, for statistics.
    """
    if not account_erasable(user):
        raise DomainError(_("Staff accounts are closed by an administrator, not from this page."))
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        email = user.email.lower()
        applications = list(Application.objects.filter(applicant=user).order_by("pk"))
        withdrawn = _withdraw_open(user=user, applications=applications)
        application_ids = [a.pk for a in applications]
        if user.email == erased_email(user):
            return ErasureSummary(applications=len(applications), withdrawn=0, documents=0, files=0)
        documents = list(Document.objects.filter(application_id__in=application_ids))
        files = _stored_files(user=user, documents=documents)
        _erase_records(user=user, email=email, application_ids=application_ids, documents=documents)
        _close_account(user=user, applications=applications)
        transaction.on_commit(lambda: _delete_stored(files))
    logger.info(
        "Erased user %s: %s application(s) kept anonymously, %s withdrawn, %s document(s), %s file(s)",
        user.pk,
        len(applications),
        withdrawn,
        len(documents),
        len(files),
    )
    return ErasureSummary(
        applications=len(applications), withdrawn=withdrawn, documents=len(documents), files=len(files)
    )
