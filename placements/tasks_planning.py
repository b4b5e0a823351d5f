"""The planner as a task: one run for one programme, with its progress on the run's row.

Registered through placements/tasks.py (which imports this module) so that autodiscovery finds it.
"""

from celery import shared_task

from placements.services.planning import plan_run_execute


@shared_task(name="placements.run_planner", acks_late=True)
def run_planner(*, run_id: int) -> str:
    """Plan run `run_id`; returns "done", "failed", or "skipped" for a run that is not waiting (a second delivery)."""
    return plan_run_execute(run_id=run_id)
