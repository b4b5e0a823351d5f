"""The outbox: work whose task never reached a worker is sent again.

The rows are the outbox. An upload leaves its document "pending", an e-mail its EmailLog row
"queued", a job (planner run, data export, PDF dossier) its row queued; the task that does the
work is sent by name after the transaction commits (`portal.jobs.queue`). When Redis is away at
that moment the user's action is saved all the same, and the row waits.

Each app registers the kinds of rows it contributes in its `AppConfig.ready()` (`register(Source(...))`,
the task named, never imported). `outbox_sweep` (the beat task portal.sweep_outbox, every minute)
sends the task of every row still waiting OUTBOX_SWEEP_AFTER_MINUTES after it was written, at most
once per that period per row (a cache key remembers it).

Sending a task twice is harmless: each task claims its row (a document pending -> ready or
rejected, an e-mail queued -> sending, a job queued -> running) and a second run finds nothing to do.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from portal.jobs.queue import send

logger = logging.getLogger(__name__)

# Rows queued again per kind and sweep; the next sweep takes the rest.
BATCH = 200


@dataclass(frozen=True)
class Source:
    """One kind of row that waits for a task: which rows still wait, and the task that does the work."""

    name: str
    waiting: Callable[[datetime], QuerySet]  # ids of the rows written before the cut-off, oldest first
    task: str  # the Celery task's name
    argument: str  # the task's keyword argument that takes the row's id


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    """Let the sweeper look after `source` (from an app's `ready()`; registering a name again replaces it)."""
    _sources[source.name] = source


def sources() -> tuple[Source, ...]:
    """Every registered kind of row, in the order the apps registered them."""
    return tuple(_sources.values())


def outbox_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send again the task of every row waiting longer than OUTBOX_SWEEP_AFTER_MINUTES.

    Returns how many tasks were sent per kind. Stops at the first task that cannot be sent
    (the broker is away; the next sweep tries again).
    """
    now = now or timezone.now()
    after = timedelta(minutes=settings.OUTBOX_SWEEP_AFTER_MINUTES)
    registered = sources()
    sent = {source.name: 0 for source in registered}
    for source in registered:
        for pk in source.waiting(now - after)[:BATCH]:
            key = f"outbox:{source.name}:{pk}"
            if cache.get(key):
                continue  # sent again less than `after` ago; its task may still be in the queue
            if not send(source.task, **{source.argument: pk}):
                logger.warning("Outbox sweep stopped: the broker is unreachable (sent so far: %s)", sent)
                return sent
            cache.set(key, 1, timeout=int(after.total_seconds()))
            sent[source.name] += 1
    if any(sent.values()):
        logger.warning("Outbox sweep sent again the tasks of rows left waiting: %s", sent)
    return sent
