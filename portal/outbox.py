"""The outbox: work whose task never reached a worker is sent again.

The rows are the outbox. An upload leaves its document "pending", an e-mail its EmailLog row
"queued", a planner start its PlanRun "queued", a data export request its DataExport "pending";
the task that does the work is sent after the transaction commits (`publish`, or a robust
on_commit). When Redis is away at that moment the user's action is saved all the same, and the
row waits.
`outbox_sweep` (the beat task portal.sweep_outbox, every minute) sends the task of every row still
waiting OUTBOX_SWEEP_AFTER_MINUTES after it was written, at most once per that period per row (a
cache key remembers it).

Sending a task twice is harmless: each task claims its row (a document pending -> ready or
rejected, an e-mail queued -> sending, a run queued -> running, an export pending -> running) and
a second run finds nothing to do.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

# Rows queued again per kind and sweep; the next sweep takes the rest.
BATCH = 200


def publish(task, **kwargs) -> bool:
    """Send `task` to the broker now; False, logged, when it cannot be sent.

    For after-commit callbacks: the action is saved and its row waits for the sweeper, so no broker
    trouble (Redis unreachable, a timeout, the result store away) may turn it into an error page.
    """
    if task.app.conf.task_always_eager:  # no broker: the task runs here, and its errors are its own
        task.delay(**kwargs)
        return True
    try:
        task.delay(**kwargs)
    except Exception as error:  # whatever failed, the row waits and the sweeper sends it later
        logger.warning(
            "Task %s %s not queued (%s: %s); the outbox sweeper will send it",
            task.name,
            kwargs,
            type(error).__name__,
            " ".join(str(error).split()),
        )
        return False
    return True


@dataclass(frozen=True)
class Source:
    """One kind of row that waits for a task: which rows still wait, and the task that does the work."""

    name: str
    waiting: Callable[[datetime], QuerySet]  # ids of the rows written before the cut-off, oldest first
    task: Callable[[], object]  # returns the Celery task (imported late: task modules import services)
    argument: str


def _pending_documents(cutoff: datetime) -> QuerySet:
    from applicants.enums import DocumentState
    from applicants.models import Document

    rows = Document.objects.filter(state=DocumentState.PENDING, uploaded_at__lt=cutoff)
    return rows.order_by("uploaded_at").values_list("pk", flat=True)


def _queued_emails(cutoff: datetime) -> QuerySet:
    # Never claimed: its first task was lost. A message that waits for a retry after a failed
    # attempt (claimed_at set) has its retry scheduled; portal.send_stuck_emails looks after it.
    from portal.mail.models import EmailLog, EmailStatus

    rows = EmailLog.objects.filter(status=EmailStatus.QUEUED, claimed_at__isnull=True, created_at__lt=cutoff)
    return rows.order_by("created_at").values_list("pk", flat=True)


def _queued_plan_runs(cutoff: datetime) -> QuerySet:
    from placements.allocation.enums import PlanRunStatus
    from placements.allocation.models import PlanRun

    rows = PlanRun.objects.filter(status=PlanRunStatus.QUEUED, created_at__lt=cutoff)
    return rows.order_by("created_at").values_list("pk", flat=True)


def _pending_data_exports(cutoff: datetime) -> QuerySet:
    from applicants.enums import ExportStatus
    from applicants.models import DataExport

    rows = DataExport.objects.filter(status=ExportStatus.PENDING, created_at__lt=cutoff)
    return rows.order_by("created_at").values_list("pk", flat=True)


def _process_document():
    from applicants.tasks import process_document

    return process_document


def _send_email():
    from portal.tasks import send_email

    return send_email


def _run_planner():
    from placements.allocation.tasks import run_planner

    return run_planner


def _build_data_export():
    from applicants.privacy.tasks import build_data_export

    return build_data_export


SOURCES = (
    Source("documents", _pending_documents, _process_document, "document_id"),
    Source("emails", _queued_emails, _send_email, "log_id"),
    Source("plan_runs", _queued_plan_runs, _run_planner, "run_id"),
    Source("data_exports", _pending_data_exports, _build_data_export, "export_id"),
)


def outbox_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send again the task of every row waiting longer than OUTBOX_SWEEP_AFTER_MINUTES.

    Returns how many tasks were sent per kind. Stops at the first task that cannot be sent
    (the broker is away; the next sweep tries again).
    """
    now = now or timezone.now()
    after = timedelta(minutes=settings.OUTBOX_SWEEP_AFTER_MINUTES)
    sent = {source.name: 0 for source in SOURCES}
    for source in SOURCES:
        task = source.task()
        for pk in source.waiting(now - after)[:BATCH]:
            key = f"outbox:{source.name}:{pk}"
            if cache.get(key):
                continue  # sent again less than `after` ago; its task may still be in the queue
            if not publish(task, **{source.argument: pk}):
                logger.warning("Outbox sweep stopped: the broker is unreachable (sent so far: %s)", sent)
                return sent
            cache.set(key, 1, timeout=int(after.total_seconds()))
            sent[source.name] += 1
    if any(sent.values()):
        logger.warning("Outbox sweep sent again the tasks of rows left waiting: %s", sent)
    return sent
