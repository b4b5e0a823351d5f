"""Tasks of allocation: `placements.run_planner` (one planner run), and the periodic ones
(celery beat; the schedule is CELERY_BEAT_SCHEDULE in settings):

- placements.expire_offers, hourly: offers past their deadline lapse and their seats are proposed
  to the best waiting application;
- placements.propose_freed_seats, every 6 hours: seats of declined or lapsed placements without a
  proposal yet get one when an application that fits is waiting.

Both are idempotent: a second run, also a parallel one, finds nothing left to do.
"""

import logging

from celery import shared_task

from placements.allocation.services.lifecycle import offers_expire
from placements.allocation.services.offers import seat_proposals_sweep
from placements.allocation.services.planning import plan_run_execute
from placements.allocation.services.reports import report_build

logger = logging.getLogger(__name__)


@shared_task(name="placements.expire_offers", acks_late=True)
def expire_offers() -> int:
    """Let the offers past their deadline lapse; returns how many lapsed."""
    count = offers_expire()
    logger.info("%s offer(s) expired", count)
    return count


@shared_task(name="placements.propose_freed_seats", acks_late=True)
def propose_freed_seats() -> int:
    """Propose freed seats that have no proposal yet; returns how many proposals were made."""
    count = seat_proposals_sweep()
    logger.info("%s seat proposal(s) made", count)
    return count


@shared_task(name="placements.run_planner", acks_late=True)
def run_planner(*, run_id: int) -> str:
    """Plan run `run_id`; returns "done", "failed", or "skipped" for a run that is not waiting (a second delivery)."""
    return plan_run_execute(run_id=run_id)


@shared_task(name="placements.build_insights_report", acks_late=True)
def build_insights_report(*, report_id: int) -> str:
    """Write yearly report `report_id`; a second delivery of a written or running one does nothing."""
    return report_build(report_id=report_id)
