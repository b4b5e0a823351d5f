"""Queue a Celery task by its name, after the current transaction commits, without ever failing the caller.

The row that asks for the work is saved first and is the outbox: when the broker is away at
commit, the failure is logged and the row waits for `portal.sweep_outbox` to send its task again.
With `task_always_eager` (no broker, as in `make run`) the task runs here and now instead.
"""

import logging

from django.db import transaction

from portal.celery import TASK_PACKAGES, app

logger = logging.getLogger(__name__)


def _registered(name: str):
    """The task `name` in this process; the task modules are imported when a worker starts, or here."""
    if name not in app.tasks:
        app.loader.autodiscover_tasks(TASK_PACKAGES)
    return app.tasks[name]


def send(name: str, **kwargs) -> bool:
    """Send task `name` with keyword arguments `kwargs` to the broker now; False, logged, when it cannot.

    No broker trouble (Redis unreachable, a timeout, the result store away) is raised: the work is
    saved in its row and the outbox sweeper sends it later. Eagerly, the task runs here and its
    errors are its own.
    """
    if app.conf.task_always_eager:
        _registered(name).delay(**kwargs)
        return True
    try:
        app.send_task(name, kwargs=kwargs)
    except Exception as error:  # whatever failed, the row waits and the sweeper sends it later
        logger.warning(
            "Task %s %s not queued (%s: %s); the outbox sweeper will send it",
            name,
            kwargs,
            type(error).__name__,
            " ".join(str(error).split()),
        )
        return False
    return True


def queue_after_commit(name: str, **kwargs) -> None:
    """Send task `name` once the current transaction commits (at once outside one); nothing on a rollback.

    Robust: the caller's action is saved, so nothing that happens while sending may undo it or turn
    it into an error page.
    """

    def send_after_commit() -> None:
        send(name, **kwargs)

    transaction.on_commit(send_after_commit, robust=True)
