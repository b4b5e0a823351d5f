"""The planner against the database: a run reads the accepted applications and the free seats, writes
its proposal as placements and its figures on the run, and replaces the programme's earlier proposal.

The checks here are written from the database, independently of the planner: seats per department
and week counted from the placements, stability counted pair by pair, the rules through
`placement_conflicts` (the same check as the manual assignment page).
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from applicants.enums import ApplicationStatus
from placements.allocation.enums import SEAT_HOLDING_STATES, PlacementStatus, PlanRunStatus
from placements.allocation.models import CapacityOverride, Placement, PlanRun
from placements.allocation.services.capacity import Segment, placement_conflicts, seats, week_range
from placements.allocation.services.planning import plan_run_execute, plan_run_start
from tests.factories import make_staff
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus

LEUVEN = ["uzl-radiology", "uzl-radiotherapy", "uzl-nuclear-medicine", "azg-radiotherapy", "azg-radiology"]
EIGHT = (
    ("umcg-neuro-head-neck", 1),
    ("umcg-thoracic", 1),
    ("umcg-abdominal", 1),
    ("umcg-musculoskeletal", 1),
    ("umcg-cardiovascular", 1),
    ("umcg-interventional", 1),
    ("umcg-paediatric", 1),
    ("umcg-breast", 1),
)


def run_planner(programme, *, time_limit: float = 20) -> PlanRun:
    run = PlanRun.objects.create(programme=programme, created_by=make_staff(f"planner{PlanRun.objects.count()}"))
    assert plan_run_execute(run_id=run.pk, time_limit=time_limit) == "done"
    run.refresh_from_db()
    return run


def proposed(run) -> list[Placement]:
    return list(Placement.objects.filter(plan_run=run, status=P.PROPOSED).select_related("department"))


def seats_used(placements) -> Counter:
    used = Counter()
    for placement in placements:
        for week in placement.week_list():
            used[(placement.department_id, week)] += 1
    return used


def assert_within_capacity(run):
    """Proposed plus held seats never pass a department's seats in any week."""
    held = Placement.objects.filter(status__in=SEAT_HOLDING_STATES)
    used = seats_used([*proposed(run), *held])
    capacity = seats({d for d, _ in used}, sorted({w for _, w in used}))
    over = {key: count for key, count in used.items() if count > capacity[key]}
    assert over == {}


# --- cohort: one department each, stable ---------------------------------------------------------


def test_cohort_proposal_is_stable_within_the_seats_left_and_saved(cohort):
    start = weeks_ahead(12)
    # Eleven candidates for 11 seats, but the popular departments are short: 3 + 4 + 2 + 1 + 1,
    # and one UZ radiotherapy seat is held by last year's confirmed trainee still there.
    holder = make_application(cohort, status=S.CONFIRMED, start=start, weeks=30, components=(("uzl-radiotherapy", 30),))
    place(holder, "uzl-radiotherapy", start, weeks=30, status=P.CONFIRMED)
    wishes = [
        (("azg-radiotherapy", "uzl-radiotherapy", "uzl-radiology"), "4.80"),
        (("azg-radiotherapy", "uzl-radiotherapy"), "4.50"),
        (("azg-radiotherapy", "uzl-radiotherapy", "azg-radiology"), "4.20"),
        (("uzl-radiotherapy", "azg-radiotherapy"), "3.90"),
        (("uzl-radiotherapy",), "3.70"),
        (("uzl-radiotherapy", "uzl-nuclear-medicine"), "3.50"),
        (("uzl-nuclear-medicine", "uzl-radiology"), "4.10"),
        (("uzl-nuclear-medicine",), "3.30"),
        (("uzl-nuclear-medicine", "uzl-radiology"), "3.00"),
        (("azg-radiology", "uzl-radiology"), "2.50"),
        (("azg-radiology",), "2.40"),
    ]
    applications = [
        make_application(cohort, start=start, weeks=30, components=tuple((d, 30) for d in wish), score=score)
        for wish, score in wishes
    ]

    run = run_planner(cohort)

    placements = proposed(run)
    assigned = {p.application_id: p.department.slug for p in placements}
    assert run.status == PlanRunStatus.DONE and run.progress == 100
    assert run.summary["blocking_pairs"] == 0
    assert run.summary["placed"] == len(assigned) == len(placements)
    assert run.summary["unplaced"] == len(run.unplaced) == len(applications) - len(assigned)
    assert_within_capacity(run)
    for placement in placements:  # one stay covering the whole requested period
        assert (placement.start_week, placement.weeks) == (start, 30)
    # Stability, counted pair by pair: nobody prefers a department that has a free seat or holds
    # someone with a lower score.
    free = {slug: department(slug).weekly_capacity for slug in LEUVEN}
    free["uzl-radiotherapy"] -= 1
    holders = {slug: [a for a in applications if assigned.get(a.pk) == slug] for slug in LEUVEN}
    blocking = []
    for application, (wish, _) in zip(applications, wishes, strict=True):
        for slug in wish:
            if slug == assigned.get(application.pk):
                break
            weakest = min((a.review_score for a in holders[slug]), default=None)
            if len(holders[slug]) < free[slug] or weakest < application.review_score:
                blocking.append((application.reference, slug))
    assert blocking == []
    assert {u["reference"] for u in run.unplaced} == {a.reference for a in applications if a.pk not in assigned}


def test_cohort_candidate_left_out_gets_the_reason_in_plain_words(cohort):
    start = weeks_ahead(14)
    make_application(cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30),), score="4.20")
    second = make_application(cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30),), score="3.60")

    run = run_planner(cohort)

    assert run.unplaced == [
        {
            "application": str(second.uuid),
            "reference": second.reference,
            "name": "Ana Silva",
            "reason": "The only preferred department is full with higher-scored applicants: Radiotherapy physics"
            ", AZ Groeninge has 1 seat (lowest score placed: 4.2). The applicant's score is 3.6.",
        }
    ]


# --- rotation: week by week -----------------------------------------------------------------------


def umcg_requests(rotation, start):
    """Overlapping requests like the demo's: three eight-week rotations and longer stays."""
    wishes = [
        (0, EIGHT, "4.60"),
        (0, (*EIGHT, ("umcg-nuclear-medicine", 1)), "4.10"),
        (1, EIGHT, "3.90"),
        (0, (("umcg-thoracic", 4),), "4.30"),
        (2, (("umcg-neuro-head-neck", 4), ("umcg-nuclear-medicine", 2)), "3.70"),
        (0, (("umcg-abdominal", 3), ("umcg-musculoskeletal", 3)), "4.00"),
        (3, (("umcg-cardiovascular", 3), ("umcg-thoracic", 2)), "3.20"),
        (4, (("umcg-breast", 2), ("umcg-nuclear-medicine", 1)), "3.50"),
        (6, (("umcg-paediatric", 2), ("umcg-abdominal", 2)), "4.40"),
        (2, (("umcg-cardiovascular", 4),), "3.00"),
    ]
    return [
        make_application(
            rotation,
            start=start + timedelta(weeks=offset),
            weeks=sum(w for _, w in components),
            components=components,
            score=score,
        )
        for offset, components, score in wishes
    ]


def test_rotation_proposal_covers_the_requested_weeks_within_seats_and_rules(rotation):
    start = weeks_ahead(14)
    # Seats already held: a confirmed trainee in thoracic radiology and an offer in cardiovascular.
    holder = make_application(rotation, status=S.CONFIRMED, start=start, weeks=4)
    place(holder, "umcg-thoracic", start, weeks=4, status=P.CONFIRMED)
    offered = make_application(rotation, status=S.OFFERED, start=start + timedelta(weeks=5), weeks=2)
    place(offered, "umcg-cardiovascular", start + timedelta(weeks=5), weeks=2, status=P.OFFERED)
    applications = umcg_requests(rotation, start)

    run = run_planner(rotation)

    placements = proposed(run)
    by_application = {}
    for placement in placements:
        by_application.setdefault(placement.application_id, []).append(placement)
    assert run.status == PlanRunStatus.DONE
    assert run.summary["placed"] == len(by_application) == len(applications)
    assert run.summary["weeks_uncovered"] == 0
    assert set(by_application) == {a.pk for a in applications}  # the held ones are not planned again
    assert_within_capacity(run)
    for application in applications:
        mine = sorted(by_application[application.pk], key=lambda p: p.start_week)
        weeks = [w for p in mine for w in p.week_list()]
        assert weeks == week_range(application.start_date, application.end_date)
        segments = [Segment(p.department, p.start_week, p.weeks) for p in mine]
        assert placement_conflicts(application=application, segments=segments) == []


def test_rotation_request_that_cannot_fit_is_left_out_with_the_full_weeks_named(rotation):
    start = weeks_ahead(16)
    # Only thoracic radiology takes anyone in these two weeks, one trainee at a time.
    for slug in rotation.offerings.values_list("department__slug", flat=True):
        for week in (start, start + timedelta(weeks=1)):
            CapacityOverride.objects.create(
                department=department(slug), week=week, capacity=1 if slug == "umcg-thoracic" else 0
            )
    first = make_application(rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),), score="4.50")
    second = make_application(rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),), score="3.50")
    n = [(start + timedelta(weeks=i)).isocalendar().week for i in (-2, -1, 0, 1)]

    run = run_planner(rotation)

    assert [p.application_id for p in proposed(run)] == [first.pk]
    assert [u["reference"] for u in run.unplaced] == [second.reference]
    # Free weeks as near before as after: the earlier ones are named.
    assert run.unplaced[0]["reason"] == (
        f"Thoracic radiology is full in weeks {n[2]}–{n[3]}; nearest free weeks: {n[0]}–{n[1]}. "
        "No other combination of sections allowed by the programme fits the seats left in these weeks either."
    )
    assert run.summary["weeks_uncovered"] == 2


def test_a_new_run_replaces_the_previous_proposal(rotation):
    start = weeks_ahead(15)
    applications = umcg_requests(rotation, start)
    first = run_planner(rotation)
    late = make_application(rotation, start=start, weeks=2, components=(("umcg-breast", 2),), score="4.90")

    second = run_planner(rotation)

    assert Placement.objects.filter(plan_run=first).exclude(status=P.CANCELLED).count() == 0
    current = Placement.objects.filter(status=P.PROPOSED)
    assert set(current.values_list("plan_run", flat=True)) == {second.pk}
    assert set(current.values_list("application", flat=True)) == {a.pk for a in [*applications, late]}


def test_applications_not_waiting_or_already_begun_are_not_proposed(rotation):
    begun = make_application(rotation, start=weeks_ahead(-1), weeks=2, components=(("umcg-thoracic", 2),))
    make_application(rotation, status=S.WAITLISTED, start=weeks_ahead(20), weeks=2)
    make_application(rotation, status=S.IN_REVIEW, start=weeks_ahead(20), weeks=2)

    run = run_planner(rotation)

    assert proposed(run) == []
    assert run.summary["applications"] == 1
    assert run.unplaced == [
        {
            "application": str(begun.uuid),
            "reference": begun.reference,
            "name": "Ana Silva",
            "reason": "The requested period has already begun; assign it by hand if it still applies.",
        }
    ]


# --- claiming a run -------------------------------------------------------------------------------


def test_a_run_another_worker_is_working_on_is_left_alone(rotation):
    make_application(rotation, start=weeks_ahead(20), weeks=2, components=(("umcg-thoracic", 2),))
    run = PlanRun.objects.create(programme=rotation, status=PlanRunStatus.RUNNING, progress=30, stage="Solving")

    assert plan_run_execute(run_id=run.pk) == "skipped"

    run.refresh_from_db()
    assert (run.status, run.progress) == (PlanRunStatus.RUNNING, 30)
    assert Placement.objects.count() == 0


def test_a_run_lost_with_its_worker_is_taken_up_again(rotation):
    make_application(rotation, start=weeks_ahead(20), weeks=2, components=(("umcg-thoracic", 2),))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    run = PlanRun.objects.create(programme=rotation, status=PlanRunStatus.RUNNING, progress=30)
    PlanRun.objects.filter(pk=run.pk).update(claimed_at=an_hour_ago, updated_at=an_hour_ago)  # no sign of life since

    assert plan_run_execute(run_id=run.pk, time_limit=10) == "done"

    run.refresh_from_db()
    assert (run.status, run.progress, run.summary["placed"]) == (PlanRunStatus.DONE, 100, 1)


def test_a_missing_run_is_skipped():
    assert plan_run_execute(run_id=987654) == "skipped"


def test_a_run_no_worker_took_up_does_not_block_a_new_one(rotation, carol):
    waiting = PlanRun.objects.create(programme=rotation, created_by=carol)
    assert plan_run_start(programme=rotation, by=carol) == (waiting, False)
    PlanRun.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(hours=1))

    run, started = plan_run_start(programme=rotation, by=carol)

    assert started is True
    assert run.pk != waiting.pk and run.status == PlanRunStatus.QUEUED


def test_an_earlier_run_finishing_after_a_later_one_is_set_aside(rotation):
    application = make_application(rotation, start=weeks_ahead(20), weeks=2, components=(("umcg-thoracic", 2),))
    earlier = PlanRun.objects.create(programme=rotation)
    later = run_planner(rotation)

    assert plan_run_execute(run_id=earlier.pk, time_limit=10) == "failed"

    earlier.refresh_from_db()
    assert earlier.status == PlanRunStatus.FAILED
    assert earlier.error == "A later run of the planner finished first; its proposal stands and this one was set aside."
    proposed = Placement.objects.filter(status=P.PROPOSED)
    assert [(p.application_id, p.plan_run_id) for p in proposed] == [(application.pk, later.pk)]
