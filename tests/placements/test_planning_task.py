"""The planner through a real worker on the real broker: a started run goes to done with its proposal,
and a second delivery of the same run changes nothing."""

from datetime import timedelta

import pytest

from placements.allocation.enums import PlacementStatus, PlanRunStatus
from placements.allocation.models import Placement, PlanRun
from placements.allocation.services.planning import plan_run_start
from placements.allocation.tasks import run_planner
from tests.placements.helpers import make_application, weeks_ahead
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
FINISHED = (PlanRunStatus.DONE, PlanRunStatus.FAILED)


def wait_for_run(run: PlanRun) -> PlanRun:
    return wait_for(
        lambda: PlanRun.objects.filter(pk=run.pk, status__in=FINISHED).first(),
        timeout=180,
        what=f"run {run.pk} to finish",
    )


def requests(rotation, count: int = 4):
    start = weeks_ahead(16)
    return [
        make_application(
            rotation,
            start=start + timedelta(weeks=i),
            weeks=3,
            components=(("umcg-thoracic", 2), ("umcg-nuclear-medicine", 1)),
            score=f"{4 - i / 10:.2f}",
        )
        for i in range(count)
    ]


def test_a_started_run_is_planned_by_the_worker_and_ends_done(rotation, carol, celery_worker):
    applications = requests(rotation)

    run, started = plan_run_start(programme=rotation, by=carol)  # queued when its transaction commits
    run = wait_for_run(run)

    assert started is True
    assert (run.status, run.progress, run.stage) == (PlanRunStatus.DONE, 100, "Done")
    assert run.finished_at is not None
    assert run.summary["placed"] == len(applications)
    proposed = Placement.objects.filter(plan_run=run, status=PlacementStatus.PROPOSED)
    assert set(proposed.values_list("application", flat=True)) == {a.pk for a in applications}


def test_a_second_delivery_of_a_finished_run_does_nothing(rotation, carol, celery_worker):
    requests(rotation, 2)
    run = PlanRun.objects.create(programme=rotation, created_by=carol)
    assert run_planner.delay(run_id=run.pk).get(timeout=180) == "done"
    run.refresh_from_db()
    placements = list(Placement.objects.filter(plan_run=run).values_list("pk", "status"))

    second = run_planner.delay(run_id=run.pk).get(timeout=60)

    assert second == "skipped"
    again = PlanRun.objects.get(pk=run.pk)
    assert (again.status, again.progress, again.finished_at, again.summary) == (
        PlanRunStatus.DONE,
        100,
        run.finished_at,
        run.summary,
    )
    assert list(Placement.objects.filter(plan_run=run).values_list("pk", "status")) == placements
    assert Placement.objects.filter(status=PlacementStatus.PROPOSED).count() == 4  # two sections each
