"""The life of a job row (see models.BackgroundJob): requested and queued after commit, claimed by one
worker with a conditional UPDATE, reporting progress, then finished or failed.

Every write after the request is conditional on the row still running, so a job withdrawn or
taken over meanwhile is never overwritten, and a second delivery of its task finds nothing to do.
"""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.jobs.models import BackgroundJob
from portal.jobs.queue import queue_after_commit
from portal.outbox import Source

J = TypeVar("J", bound=BackgroundJob)


def job_queue(job: BackgroundJob) -> None:
    """Send the task of `job` once the current transaction commits (the outbox sweeper covers a lost one)."""
    queue_after_commit(job.task_name, **{job.task_argument: job.pk})


def lost_jobs(model: type[BackgroundJob], *, now: datetime | None = None) -> Q:
    """The rows of `model` no worker will finish: queued too long, or running without a sign of life."""
    now = now or timezone.now()
    states = model.states
    return Q(status=states.queued, created_at__lt=now - model.queue_patience) | Q(
        status=states.running, updated_at__lt=now - model.stale_after
    )


def job_is_lost(job: BackgroundJob, *, now: datetime | None = None) -> bool:
    """Whether `job` waits or runs far longer than it can: no worker will finish it."""
    now = now or timezone.now()
    if job.status == job.states.queued:
        return job.created_at < now - job.queue_patience
    return job.status == job.states.running and job.updated_at < now - job.stale_after


def jobs_under_way(queryset: QuerySet[J], *, now: datetime | None = None) -> QuerySet[J]:
    """The jobs of `queryset` that are queued or running and not lost."""
    model = queryset.model
    return queryset.filter(status__in=model.states.active).exclude(lost_jobs(model, now=now))


def job_request(queryset: QuerySet[J], *, create: Callable[[], J]) -> tuple[J, bool]:
    """The job of `queryset` under way (queued again when it seems lost), or a new one from `create`,
    queued after commit; returns (job, whether it is new).

    Run it in a transaction holding a lock that keeps two requests for the same thing apart.
    """
    job = queryset.filter(status__in=queryset.model.states.active).first()
    if job is not None:
        if job_is_lost(job):
            job_queue(job)
        return job, False
    job = create()
    job_queue(job)
    return job, True


def job_claim(queryset: QuerySet[J], *, pk: int, stage: str = "", **reset) -> J | None:
    """Take job `pk` on for this worker: a queued one, or a running one whose worker was lost.

    One conditional UPDATE, so of two workers only one gets the job; the other (and a second
    delivery of a job that is running or over) gets None. `reset` clears results of a lost attempt.
    Returns the job, loaded through `queryset`.
    """
    model = queryset.model
    states = model.states
    now = timezone.now()
    claimable = Q(status=states.queued) | Q(status=states.running, updated_at__lt=now - model.stale_after)
    fields = {
        "status": states.running,
        "progress": 0,
        "stage": stage,
        "error": "",
        "claimed_at": now,
        "updated_at": now,
        **reset,
    }
    if not model.objects.filter(claimable, pk=pk).update(**fields):
        return None
    return queryset.filter(pk=pk).first()


def job_progress(model: type[BackgroundJob], *, pk: int, done: int, total: int = 100, stage: str | None = None) -> bool:
    """Record that `done` of `total` steps are done (and the `stage`), with a sign of life.

    Never 100 per cent before the job is finished: 100 means done. False when it no longer runs.
    """
    fields = {"progress": min(99, max(0, done * 100 // max(total, 1))), "updated_at": timezone.now()}
    if stage is not None:
        fields["stage"] = stage[: model._meta.get_field("stage").max_length]
    return bool(model.objects.filter(pk=pk, status=model.states.running).update(**fields))


def job_finish(model: type[BackgroundJob], *, pk: int, **results) -> bool:
    """Mark running job `pk` done with its `results` (fields of the row); False when it no longer runs."""
    now = timezone.now()
    fields = {"status": model.states.done, "progress": 100, "stage": "", "updated_at": now, "finished_at": now}
    return bool(model.objects.filter(pk=pk, status=model.states.running).update(**{**fields, **results}))


def job_fail(model: type[BackgroundJob], *, pk: int, error: str) -> bool:
    """Mark running job `pk` failed, with `error` for the person who asked; False when it no longer runs."""
    now = timezone.now()
    return bool(
        model.objects.filter(pk=pk, status=model.states.running).update(
            status=model.states.failed, error=error[:300], updated_at=now, finished_at=now
        )
    )


def jobs_abandon(queryset: QuerySet[BackgroundJob], *, error: str) -> int:
    """Mark failed every queued or running job of `queryset` (they waited in vain); returns how many."""
    model = queryset.model
    now = timezone.now()
    return queryset.filter(status__in=model.states.active).update(
        status=model.states.failed, error=error[:300], updated_at=now, finished_at=now
    )


def job_source(name: str, model: type[BackgroundJob]) -> Source:
    """The outbox source of `model`'s jobs: queued ones whose task never reached a worker."""

    def waiting(cutoff: datetime) -> QuerySet:
        rows = model.objects.filter(status=model.states.queued, created_at__lt=cutoff)
        return rows.order_by("created_at").values_list("pk", flat=True)

    return Source(name, waiting, model.task_name, model.task_argument)
