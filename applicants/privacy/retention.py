"""The retention rule: documents of a finished application are deleted some months after it finished.

An application is finished when it reaches a final state (rejected, declined, withdrawn, expired),
or, once confirmed, when its stay is over. The months come from its programme (retention_months).
"""

import logging
from calendar import monthrange
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from applicants.enums import FINAL_STATES, ApplicationStatus, EventKind
from applicants.models import Application, Document, Event
from applicants.storage import private_storage
from placements.allocation.enums import FINISHED_STATES, RUNNING_STATES
from placements.allocation.models import Placement

logger = logging.getLogger(__name__)

PURGE_MESSAGE = gettext_lazy("Documents removed after the retention period")


@dataclass(frozen=True)
class PurgeSummary:
    documents: int
    applications: int


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    years, month = divmod(moment.month - 1 + months, 12)
    year = moment.year + years
    return moment.replace(year=year, month=month + 1, day=min(moment.day, monthrange(year, month + 1)[1]))


def _end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _finished_at(row: dict, now: datetime) -> datetime | None:
    """When the application finished (None: it has not, or not yet)."""
    decided = row["decision_at"]
    if row["status"] in FINAL_STATES:
        return decided
    # Confirmed: finished when the last confirmed week is over (the requested end without placements).
    stay_end = row["stay_end"] + timedelta(days=4) if row["stay_end"] else row["end_date"]
    if stay_end is None:
        return None
    finished = max(decided, _end_of_day(stay_end))
    return finished if finished <= now else None


def applications_due_for_purge(*, now: datetime | None = None) -> list[int]:
    """Ids of the finished applications that still hold documents and whose retention period is over."""
    now = now or timezone.now()
    # The final decision: the last status change (a final state is never left), else decided_at.
    last_change = Event.objects.filter(application=OuterRef("pk"), kind=EventKind.STATUS_CHANGED).order_by(
        "-created_at", "-id"
    )
    # The stay: its accepted placements, also once they started, ended or were interrupted.
    stay_end = Placement.objects.filter(
        application=OuterRef("pk"), status__in=(*RUNNING_STATES, *FINISHED_STATES)
    ).order_by("-end_week")
    rows = (
        Application.objects.filter(status__in=[*FINAL_STATES, ApplicationStatus.CONFIRMED])
        .filter(Exists(Document.objects.filter(application=OuterRef("pk"))))
        .annotate(
            decision_at=Coalesce(Subquery(last_change.values("created_at")[:1]), "decided_at", "updated_at"),
            stay_end=Subquery(stay_end.values("end_week")[:1]),
        )
        .values("pk", "status", "end_date", "decision_at", "stay_end", "programme__retention_months")
        .order_by("pk")
    )
    due = []
    for row in rows:
        finished = _finished_at(row, now)
        if finished is not None and add_months(finished, row["programme__retention_months"]) <= now:
            due.append(row["pk"])
    return due


def _delete_stored(names: list[str]) -> None:
    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.exception("Could not delete stored file %s", name)


def _purge_application(application_id: int) -> int:
    """Delete one application's documents (rows now, files after commit); returns how many."""
    with transaction.atomic():
        # The lock makes a second run that overlaps this one find nothing left to delete.
        application = Application.objects.select_for_update().get(pk=application_id)
        documents = list(Document.objects.filter(application=application))
        if not documents:
            return 0
        names = [f.name for d in documents for f in (d.file, d.preview) if f and f.name]
        Document.objects.filter(pk__in=[d.pk for d in documents]).delete()  # their checks cascade
        Event.objects.create(application=application, kind=EventKind.DOCUMENT_DELETED, message=PURGE_MESSAGE)
        transaction.on_commit(lambda: _delete_stored(names))
    return len(documents)


def documents_purge_expired(*, now: datetime | None = None) -> PurgeSummary:
    """Delete the documents whose retention period is over, record it per application and log a summary."""
    documents = applications = 0
    for application_id in applications_due_for_purge(now=now):
        purged = _purge_application(application_id)
        if purged:
            documents += purged
            applications += 1
    logger.info("Purged %s documents of %s applications", documents, applications)
    return PurgeSummary(documents=documents, applications=applications)
