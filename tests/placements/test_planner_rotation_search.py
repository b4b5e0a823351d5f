"""The rotation planner's search until the time limit or a proof, its bounds, and the reasons that name
the real cause. No assertion here depends on how fast the machine is: a time limit only bounds a
search that is expected to end with a proof long before it.
"""

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from placements.allocation.planner import (
    RequestedComponent,
    RotationRequest,
    RotationRules,
    SectionRule,
    plan_rotations,
)
from placements.allocation.planner.rotation.clock import Clock
from placements.allocation.planner.rotation.exchange import ExchangeGuide
from placements.allocation.planner.rotation.instance import Context
from tests.placements.test_planner_rotation import (
    NAMES,
    SETTINGS,
    assert_hard_constraints,
    brute_force_optimum,
    rotation_instances,
    seats,
    umcg_rules,
)


def one_pass_reproducer():
    """Seven applicants, three sections, six weeks. The greedy start places five; one pass over those
    left out, each re-planned with the one applicant holding most of the seats they want, places no
    one more (the earlier planner stopped there, at 5, whatever time it had); the optimum places six.
    """
    free = {"A": [2, 1, 2, 1, 1, 1], "B": [1, 0, 1, 1, 0, 2], "C": [2, 1, 1, 1, 2, 1]}
    capacity = {(s, w): n for s, row in free.items() for w, n in enumerate(row)}
    rules = RotationRules({s: SectionRule(1, 4, True, None) for s in free})

    def ask(applicant_id, first, last, score, *components):
        parts = [RequestedComponent(s, k, rank) for rank, (s, k) in enumerate(components, start=1)]
        return RotationRequest(applicant_id, list(range(first, last + 1)), parts, score)

    requests = [
        ask("R0", 2, 5, 1.0, ("C", 4)),
        ask("R1", 1, 2, 2.0, ("C", 1), ("B", 1)),
        ask("R2", 4, 5, 3.0, ("C", 1), ("B", 1)),
        ask("R3", 5, 5, 2.0, ("A", 1)),
        ask("R4", 2, 4, 2.0, ("B", 3)),
        ask("R5", 0, 1, 1.0, ("B", 2)),
        ask("R6", 1, 4, 1.0, ("A", 4)),
    ]
    return requests, capacity, rules


def test_the_neighbourhood_search_goes_on_until_it_places_the_last_applicant():
    requests, capacity, rules = one_pass_reproducer()
    exact = plan_rotations(requests, capacity, rules, time_limit=60, workers=1, seed=0)

    # exact_limit=0 forces the neighbourhood path; neighbours=1 starts it with the smallest neighbourhoods.
    result = plan_rotations(
        requests, capacity, rules, time_limit=120, workers=1, seed=0, exact_limit=0, neighbours=1, clock="cpu"
    )

    assert exact.proven_optimal
    assert exact.objective.as_tuple() == (6, 10, 1600)
    assert result.stats["greedy"]["placed"] == 5
    assert result.stats["neighbourhoods"]["tried"] > 1
    assert_hard_constraints(requests, capacity, rules, result)
    assert result.objective == exact.objective
    assert result.proven_optimal  # the neighbourhoods grew to everybody and the solver closed the gap
    assert (result.placed_upper_bound, result.gap) == (6, 0.0)


@settings(SETTINGS, max_examples=40)
@given(rotation_instances(max_applicants=3, max_sections=3, horizon=4, max_length=4), st.sampled_from([0, 12_000]))
def test_the_bound_is_never_below_the_optimum(instance, exact_limit):
    requests, capacity, rules = instance
    result = plan_rotations(requests, capacity, rules, time_limit=20, workers=1, seed=0, exact_limit=exact_limit)
    optimum = brute_force_optimum(requests, capacity, rules)
    assert_hard_constraints(requests, capacity, rules, result)
    assert result.placed_count <= optimum[0] <= result.placed_upper_bound
    assert result.gap == (
        round((result.placed_upper_bound - result.placed_count) / result.placed_upper_bound, 4)
        if result.placed_upper_bound
        else 0.0
    )


@settings(SETTINGS, max_examples=10)
@given(rotation_instances(max_applicants=30, max_sections=4, horizon=12, max_length=6))
def test_the_search_never_loses_what_the_greedy_start_placed(instance):
    requests, capacity, rules = instance
    result = plan_rotations(requests, capacity, rules, time_limit=2, workers=1, seed=0, exact_limit=0, neighbours=4)
    assert_hard_constraints(requests, capacity, rules, result)
    assert result.stats["greedy"]["placed"] <= result.placed_count <= result.placed_upper_bound


def test_the_exchange_takes_out_a_stay_across_two_full_weeks_for_two_that_cross_one_each():
    # One seat a week for four weeks: the long stay fills all four; the two short ones fit instead.
    rules = RotationRules({"x": SectionRule(1, 4, True, None)})
    capacity = {("x", w): 1 for w in range(4)}
    requests = [
        RotationRequest("long", [0, 1, 2, 3], [RequestedComponent("x", 4, 1)], 5.0),
        RotationRequest("early", [0, 1], [RequestedComponent("x", 2, 1)], 1.0),
        RotationRequest("late", [2, 3], [RequestedComponent("x", 2, 1)], 1.0),
        RotationRequest("other", [4, 5], [RequestedComponent("x", 2, 1)], 1.0),  # no seats in its weeks
    ]
    guide = ExchangeGuide(Context(requests, capacity, rules, None), [0, 1, 2, 3], random.Random(0))

    [(leaving, newcomers)] = guide.groups({0}, full_weeks={0, 1, 2, 3})
    assert (leaving, sorted(newcomers)) == ([0], [1, 2])
    assert guide.groups({1, 2}, full_weeks={0, 1, 2, 3}) is None  # the weekly seats allow no more


# --- reasons that name the real cause -------------------------------------------------------------


def test_a_stay_shorter_than_any_rotation_is_explained_by_the_rules_not_the_seats():
    one_week = RotationRequest("S", [10], [RequestedComponent("thoracic", 1, 1)], 3.0)
    result = plan_rotations([one_week], seats(1), umcg_rules(), names=NAMES)
    assert result.unplaced_reasons["S"] == (
        "The request does not fit the programme rules: Radiology sections: 1 section with this many weeks "
        "matches none of the allowed shapes. The programme's rules allow no rotation as short as 1 week: "
        "the shortest is 2 weeks."
    )


def test_a_week_without_seats_in_any_section_is_named():
    capacity = seats(1)
    for section in NAMES:
        capacity[(section, 30)] = 0
    holiday = RotationRequest("H", [29, 30, 31], [RequestedComponent("thoracic", 3, 1)], 3.0)
    result = plan_rotations([holiday], capacity, umcg_rules(), names=NAMES)
    assert (
        result.unplaced_reasons["H"] == "Week 30 has no seats in any section, so no rotation can cover the whole stay."
    )


def test_weeks_full_in_every_section_are_named():
    rules = RotationRules({s: SectionRule(1, 4, True, None) for s in ("x", "y", "z")})
    capacity = {(s, w): 1 for s in ("x", "y", "z") for w in range(4)}
    holders = [RotationRequest(f"H{s}", [0, 1, 2], [RequestedComponent(s, 3, 1)], 4.0) for s in ("x", "y", "z")]
    late = RotationRequest("L", [1, 2, 3], [RequestedComponent("x", 3, 1)], 1.0)
    result = plan_rotations([*holders, late], capacity, rules, time_limit=20)
    assert result.proven_optimal
    assert result.unplaced_reasons == {
        "L": "Weeks 1–2 are full in every section, so no rotation can cover the whole stay."
    }


def test_counted_words_are_singular_for_one():
    rules = RotationRules({"x": SectionRule(1, 1, True, None)})
    request = RotationRequest("W", [0, 1], [RequestedComponent("x", 1, 1)], 1.0)
    result = plan_rotations([request], {("x", 0): 1, ("x", 1): 1}, rules)
    assert result.unplaced_reasons["W"].startswith(
        "The request does not fit the programme rules: The requested sections add up to 1 week, but the period "
        "is 2 weeks. The programme's rules allow no rotation as long as 2 weeks: the longest is 1 week."
    )


# --- the exact path and the solver calls on the processor's clock -----------------------------------


def test_the_exact_path_on_the_cpu_clock_proves_the_optimum():
    requests, capacity, rules = one_pass_reproducer()
    result = plan_rotations(requests, capacity, rules, time_limit=60, workers=1, seed=0, clock="cpu")
    assert result.proven_optimal
    assert result.objective.as_tuple() == (6, 10, 1600)
    assert result.stats["model"]["solver_status"] == "OPTIMAL"
    assert result.stats["bounds"]["exact_model"] == 6
    assert (result.placed_upper_bound, result.gap) == (6, 0.0)


def _hard_model():
    """Fourteen pigeons in thirteen holes: clause learning alone cannot settle it in minutes."""
    model = cp_model.CpModel()
    holes, pigeons = 13, 14
    x = [[model.new_bool_var("") for _ in range(holes)] for _ in range(pigeons)]
    for row in x:
        model.add_exactly_one(row)
    for h in range(holes):
        model.add_at_most_one(row[h] for row in x)
    return model


def test_a_solver_call_on_the_cpu_clock_stops_after_its_seconds_of_processor():
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 0  # the linear relaxation would see through it at once
    solver.parameters.symmetry_level = 0
    solver.parameters.max_time_in_seconds = 600
    clock = Clock("cpu")
    started = time.process_time()
    with clock.watch(solver, 0.3):
        status = solver.solve(_hard_model())
    assert status == cp_model.UNKNOWN  # stopped, not settled
    assert time.process_time() - started < 20  # far short of the 600 s elapsed-time limit


def test_on_the_wall_clock_the_solver_keeps_its_own_limit():
    assert Clock("wall").solver_limit(2.0) == 2.0
    assert Clock("cpu").solver_limit(2.0) > 2.0  # the watcher stops it, on the processor's clock
