"""Cohort matching: stable, capacity-respecting, deterministic, and applicant-optimal.

Random small instances are checked against brute force: every matching within the seats is
enumerated, the stable ones are kept (by a stability check written here, independent of the
planner's own `blocking_pairs`), and the planner's matching must be the applicant-optimal one.
"""

import random
from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placements.allocation.planner import CohortApplicant, Tie, blocking_pairs, match_cohort

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cohort_instances(draw, max_applicants=7, max_departments=4):
    departments = [f"d{i}" for i in range(draw(st.integers(1, max_departments)))]
    capacities = {d: draw(st.integers(0, 3)) for d in departments}
    count = draw(st.integers(0, max_applicants))
    ids = draw(st.permutations(range(100, 100 + count)))  # ids not in input order
    timed = draw(st.booleans())
    applicants = []
    for applicant_id in ids:
        chosen = draw(st.lists(st.sampled_from(departments), unique=True, max_size=len(departments)))
        score = draw(st.sampled_from([1.0, 2.5, 2.5, 4.0]))  # ties on purpose
        submitted = draw(st.sampled_from([None, 3, 5, 5, 9])) if timed else None  # equal times too
        applicants.append(CohortApplicant(applicant_id, chosen, score, submitted))
    department_scores = None
    if draw(st.booleans()):
        department_scores = {
            (d, a.id): draw(st.sampled_from([1.0, 3.0, 3.0, 5.0]))
            for a in applicants
            for d in a.preferences
            if draw(st.booleans())  # some pairs fall back to the applicant's score
        }
    return applicants, capacities, department_scores


def department_key(applicant, dept, department_scores):
    """How a department ranks an applicant (the larger key first): higher score, then the earlier
    submission (none counts as the latest), then the smaller id."""
    score = applicant.score
    if department_scores and (dept, applicant.id) in department_scores:
        score = department_scores[(dept, applicant.id)]
    submitted = float("inf") if applicant.submitted_at is None else applicant.submitted_at
    return (score, -submitted, -applicant.id)


def is_stable(applicants, capacities, assignment, department_scores) -> bool:
    held = {}
    for applicant in applicants:
        dept = assignment[applicant.id]
        if dept is not None:
            held.setdefault(dept, []).append(applicant)
    for applicant in applicants:
        current = assignment[applicant.id]
        better = (
            applicant.preferences if current is None else applicant.preferences[: applicant.preferences.index(current)]
        )
        for dept in better:
            members = held.get(dept, [])
            if len(members) < capacities.get(dept, 0):
                return False
            mine = department_key(applicant, dept, department_scores)
            if any(department_key(m, dept, department_scores) < mine for m in members):
                return False
    return True


def all_matchings(applicants, capacities):
    """Every assignment of applicants to one of their preferences (or none) within the seats."""
    used = dict.fromkeys(capacities, 0)
    current = {}

    def walk(i):
        if i == len(applicants):
            yield dict(current)
            return
        applicant = applicants[i]
        for dept in [None, *applicant.preferences]:
            if dept is not None:
                if used[dept] >= capacities[dept]:
                    continue
                used[dept] += 1
            current[applicant.id] = dept
            yield from walk(i + 1)
            if dept is not None:
                used[dept] -= 1

    yield from walk(0)


def rank_of(applicant, dept):
    return len(applicant.preferences) if dept is None else applicant.preferences.index(dept)


@SETTINGS
@given(cohort_instances())
def test_matching_is_the_applicant_optimal_stable_matching(instance):
    applicants, capacities, department_scores = instance
    result = match_cohort(applicants, capacities, department_scores=department_scores)
    assignment = result.assignment

    assert set(assignment) == {a.id for a in applicants}
    for applicant in applicants:
        dept = assignment[applicant.id]
        assert dept is None or dept in applicant.preferences
    for dept, seats in capacities.items():
        assert sum(1 for d in assignment.values() if d == dept) <= seats
    assert is_stable(applicants, capacities, assignment, department_scores)
    assert blocking_pairs(applicants, capacities, assignment, department_scores=department_scores) == []

    stable = [
        m for m in all_matchings(applicants, capacities) if is_stable(applicants, capacities, m, department_scores)
    ]
    assert assignment in stable
    for applicant in applicants:  # nobody does better in any stable matching
        best = min(rank_of(applicant, m[applicant.id]) for m in stable)
        assert rank_of(applicant, assignment[applicant.id]) == best

    assert set(result.unplaced_reasons) == {a.id for a in applicants if assignment[a.id] is None}
    assert all(reason.strip() for reason in result.unplaced_reasons.values())


@SETTINGS
@given(cohort_instances(), st.randoms(use_true_random=False))
def test_matching_is_deterministic_and_independent_of_input_order(instance, rnd):
    applicants, capacities, department_scores = instance
    first = match_cohort(applicants, capacities, department_scores=department_scores)
    again = match_cohort(applicants, capacities, department_scores=department_scores)
    shuffled = list(applicants)
    rnd.shuffle(shuffled)
    reordered = match_cohort(shuffled, dict(reversed(list(capacities.items()))), department_scores=department_scores)
    assert first.assignment == again.assignment == reordered.assignment
    assert first.unplaced_reasons == reordered.unplaced_reasons


def test_blocking_pairs_finds_a_pair_that_would_rather_be_together():
    applicants = [CohortApplicant(1, ["a", "b"], 5.0), CohortApplicant(2, ["a"], 3.0)]
    capacities = {"a": 1, "b": 1}
    assert blocking_pairs(applicants, capacities, {1: "b", 2: "a"}) == [(1, "a")]
    assert blocking_pairs(applicants, capacities, {1: "b", 2: None}) == [(1, "a"), (2, "a")]
    assert blocking_pairs(applicants, capacities, {1: "a", 2: None}) == []


def test_equal_scores_without_submission_times_go_to_the_smaller_id():
    applicants = [CohortApplicant(7, ["a"], 4.0), CohortApplicant(3, ["a"], 4.0)]
    result = match_cohort(applicants, {"a": 1})
    assert result.assignment == {7: None, 3: "a"}
    assert result.ties == [Tie("a", 3, 7)]


def test_equal_scores_go_to_the_earlier_application_not_the_smaller_id():
    submitted_first = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    applicants = [
        CohortApplicant("UMCG-10", ["a", "b"], 4.0, submitted_first),
        CohortApplicant("UMCG-9", ["a"], 4.0, submitted_first + timedelta(minutes=5)),
        CohortApplicant("UMCG-11", ["b"], 3.0, submitted_first - timedelta(days=1)),
    ]
    result = match_cohort(applicants, {"a": 1, "b": 1})
    assert result.assignment == {"UMCG-10": "a", "UMCG-9": None, "UMCG-11": "b"}
    assert result.unplaced_reasons["UMCG-9"] == (
        "The only preferred department is full with higher-scored applicants: "
        "a has 1 seat (lowest score placed: 4, equal scores go to the earlier application). The applicant's score is 4."
    )
    assert result.ties == [Tie("a", "UMCG-10", "UMCG-9")]  # b went by score, not by a tie
    assert blocking_pairs(applicants, {"a": 1, "b": 1}, result.assignment) == []


def test_department_scores_override_the_review_score():
    applicants = [CohortApplicant(1, ["a"], 5.0), CohortApplicant(2, ["a"], 1.0)]
    result = match_cohort(applicants, {"a": 1}, department_scores={("a", 2): 4.5, ("a", 1): 4.0})
    assert result.assignment == {1: None, 2: "a"}
    assert result.unplaced_reasons[1].startswith("The only preferred department is full with applicants the department")


LEUVEN = {
    "uzl-radiology": "Radiology physics (UZ Leuven)",
    "uzl-radiotherapy": "Radiotherapy physics (UZ Leuven)",
    "uzl-nuclear-medicine": "Nuclear medicine physics (UZ Leuven)",
    "azg-radiotherapy": "Radiotherapy physics (AZ Groeninge)",
    "azg-radiology": "Radiology physics (AZ Groeninge)",
}


def test_leuven_shape_reasons_name_the_departments_and_their_seats():
    capacities = {
        "uzl-radiology": 3,
        "uzl-radiotherapy": 4,
        "uzl-nuclear-medicine": 2,
        "azg-radiotherapy": 1,
        "azg-radiology": 1,
    }
    strong = [CohortApplicant(i, ["uzl-radiotherapy"], 4.0 + i / 10) for i in range(1, 5)]
    strong += [CohortApplicant(10, ["azg-radiotherapy"], 4.8), CohortApplicant(11, ["uzl-radiology"], 3.9)]
    strong += [CohortApplicant(12, ["uzl-radiology"], 3.7), CohortApplicant(13, ["uzl-radiology"], 3.6)]
    late = CohortApplicant(20, ["uzl-radiotherapy", "azg-radiotherapy", "uzl-radiology"], 3.5)
    closed = CohortApplicant(21, ["uzl-nuclear-medicine"], 2.0)
    nothing = CohortApplicant(22, [], 4.0)
    result = match_cohort([*strong, late, closed, nothing], {**capacities, "uzl-nuclear-medicine": 0}, names=LEUVEN)

    assert result.assignment[20] is None
    assert result.unplaced_reasons[20] == (
        "All 3 preferred departments are full with higher-scored applicants: "
        "Radiotherapy physics (UZ Leuven) has 4 seats (lowest score placed: 4.1); "
        "Radiotherapy physics (AZ Groeninge) has 1 seat (lowest score placed: 4.8); "
        "Radiology physics (UZ Leuven) has 3 seats (lowest score placed: 3.6). The applicant's score is 3.5."
    )
    assert result.unplaced_reasons[21] == (
        "The only preferred department takes no one: Nuclear medicine physics (UZ Leuven) takes no one in this intake."
    )
    assert result.unplaced_reasons[22] == "No preferred department was given."
    assert result.seats_used == {"uzl-radiotherapy": 4, "azg-radiotherapy": 1, "uzl-radiology": 3}


def test_full_size_instance_is_stable():
    rng = random.Random(5)
    departments = [f"d{i}" for i in range(200)]
    applicants = [CohortApplicant(i, rng.sample(departments, 10), round(rng.uniform(1, 5), 2)) for i in range(5000)]
    capacities = {d: rng.randint(5, 30) for d in departments}
    result = match_cohort(applicants, capacities)
    assert blocking_pairs(applicants, capacities, result.assignment) == []
    assert result.placed_count == sum(1 for d in result.assignment.values() if d is not None)
    assert len(result.unplaced_reasons) == 5000 - result.placed_count


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        match_cohort([CohortApplicant(1, ["a"]), CohortApplicant(1, ["a"])], {"a": 1})


def test_duplicate_preferences_count_once():
    result = match_cohort([CohortApplicant(1, ["a", "a", "b"], 1.0)], {"a": 0, "b": 1})
    assert result.assignment == {1: "b"}


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_proposal_order_does_not_matter(order):
    base = [CohortApplicant(1, ["x", "y"], 3.0), CohortApplicant(2, ["x", "y"], 3.0), CohortApplicant(3, ["y"], 5.0)]
    result = match_cohort([base[i] for i in order], {"x": 1, "y": 1})
    assert result.assignment == {1: "x", 2: None, 3: "y"}
