"""Rotation planning: hard constraints on random instances, optimality against brute force, and the
UMCG observership shape (eight radiology sections a week each, nuclear medicine never alone).

The schedule checker and the brute force here are written independently of the planner: a schedule
is checked week by week against the rules as `placements.catalogue.validation` states them, and the optimum
is found by enumerating every week-to-section assignment of every applicant.
"""

from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placements.allocation.planner import (
    GroupRule,
    Pattern,
    RequestedComponent,
    RotationRequest,
    RotationRules,
    SectionRule,
    plan_rotations,
)

SETTINGS = settings(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- an independent checker and brute force ---------------------------------------------------


def schedule_is_valid(schedule: dict, weeks: list[int], rules: RotationRules) -> bool:
    if sorted(schedule) != sorted(weeks):
        return False
    by_section = {}
    for week in sorted(schedule):
        by_section.setdefault(schedule[week], []).append(week)
    for section, section_weeks in by_section.items():
        if section not in rules.sections:
            return False
        if section_weeks != list(range(section_weeks[0], section_weeks[0] + len(section_weeks))):
            return False  # one block per section
        rule = rules.sections[section]
        if not rule.weeks_min <= len(section_weeks) <= rule.weeks_max:
            return False
    if not any(rules.sections[s].may_stand_alone for s in by_section):
        return False
    for group_id, group in rules.groups.items():
        lengths = [len(w) for s, w in by_section.items() if rules.sections[s].group == group_id]
        if not group.min_choices <= len(lengths) <= group.max_choices:
            return False
        if (
            lengths
            and group.patterns
            and not any(
                p.min_offerings <= len(lengths) <= p.max_offerings
                and all(p.min_weeks_each <= n <= p.max_weeks_each for n in lengths)
                for p in group.patterns
            )
        ):
            return False
    return True


def adds_nothing_unasked(schedule: dict, request: RotationRequest, rules: RotationRules) -> bool:
    """A section that cannot stand alone (an add-on such as nuclear medicine) only for those who asked for it."""
    asked = {c.section_id for c in request.components}
    return all(rules.sections[s].may_stand_alone or s in asked for s in schedule.values())


def all_valid_schedules(weeks: list[int], rules: RotationRules) -> list[dict]:
    sections = list(rules.sections)
    found = []
    for combo in product(sections, repeat=len(weeks)):
        schedule = dict(zip(weeks, combo, strict=True))
        if schedule_is_valid(schedule, weeks, rules):
            found.append(schedule)
    return found


def objective_of(requests, schedules: dict) -> tuple[int, int, int]:
    """The documented objective, computed from the schedules: (placed, honour points, score points).

    Honour points: max_rank + 1 - rank for each component given exactly (that section, that many
    weeks). Score points: 100 x (score - lowest score), times (1 + the applicant's honour points).
    """
    max_rank = max([c.rank for r in requests for c in r.components] or [1])
    low = min([r.score for r in requests] or [0])
    placed = honour = score = 0
    for request in requests:
        schedule = schedules.get(request.id)
        if not schedule:
            continue
        weeks_in = {}
        for section in schedule.values():
            weeks_in[section] = weeks_in.get(section, 0) + 1
        points = sum(max(1, max_rank + 1 - c.rank) for c in request.components if weeks_in.get(c.section_id) == c.weeks)
        placed += 1
        honour += points
        score += round(100 * (request.score - low)) * (1 + points)
    return (placed, honour, score)


def brute_force_optimum(requests, capacity, rules) -> tuple[int, int, int]:
    choices = []
    for request in requests:
        weeks = sorted(request.weeks)
        consecutive = weeks and weeks == list(range(weeks[0], weeks[0] + len(weeks)))
        options = all_valid_schedules(weeks, rules) if consecutive else []
        options = [s for s in options if all(capacity.get((sec, w), 0) > 0 for w, sec in s.items())]
        options = [s for s in options if adds_nothing_unasked(s, request, rules)]
        choices.append([None, *options])
    best = (0, 0, 0)
    used = {}
    chosen = {}

    def walk(i):
        nonlocal best
        if i == len(requests):
            best = max(best, objective_of(requests, chosen))
            return
        for schedule in choices[i]:
            cells = [(sec, w) for w, sec in (schedule or {}).items()]
            if any(used.get(c, 0) >= capacity.get(c, 0) for c in cells):
                continue
            for c in cells:
                used[c] = used.get(c, 0) + 1
            chosen[requests[i].id] = schedule
            walk(i + 1)
            for c in cells:
                used[c] -= 1
        chosen.pop(requests[i].id, None)

    walk(0)
    return best


def assert_hard_constraints(requests, capacity, rules, result):
    used = {}
    by_id = {r.id: r for r in requests}
    assert set(result.plans) == set(by_id)
    for applicant_id, schedule in result.schedules.items():
        request = by_id[applicant_id]
        assert sorted(schedule) == sorted(request.weeks), "covers exactly the requested weeks"
        assert schedule_is_valid(schedule, list(request.weeks), rules), schedule
        assert adds_nothing_unasked(schedule, request, rules), schedule
        for week, section in schedule.items():
            used[(section, week)] = used.get((section, week), 0) + 1
    for cell, count in used.items():
        assert count <= capacity.get(cell, 0), f"{cell} over capacity"
    for applicant_id, reason in result.unplaced_reasons.items():
        assert reason and reason.strip() and reason.endswith("."), (applicant_id, reason)
    for plan in result.plans.values():
        schedule = plan.schedule
        counts = {}
        for section in schedule.values():
            counts[section] = counts.get(section, 0) + 1
        assert plan.honoured == sorted(
            [c for c in by_id[plan.request_id].components if counts.get(c.section_id) == c.weeks], key=lambda c: c.rank
        )
    assert result.objective.as_tuple() == objective_of(requests, result.schedules)
    assert result.weeks_uncovered == sum(len(r.weeks) for r in requests if r.id not in result.schedules)


# --- random instances ---------------------------------------------------------------------------


@st.composite
def rule_sets(draw, max_sections):
    sections = [f"s{i}" for i in range(draw(st.integers(1, max_sections)))]
    grouped = draw(st.booleans())
    section_rules = {}
    for section in sections:
        low = draw(st.sampled_from([1, 1, 1, 2]))
        section_rules[section] = SectionRule(
            weeks_min=low,
            weeks_max=draw(st.integers(low, 4)),
            may_stand_alone=draw(st.booleans()) or section == sections[0],
            group=draw(st.sampled_from(["g1", "g2"])) if grouped else None,
        )
    groups = {}
    for group_id in sorted({r.group for r in section_rules.values() if r.group}):
        members = sum(1 for r in section_rules.values() if r.group == group_id)
        patterns = []
        for _ in range(draw(st.integers(0, 2))):
            low_count = draw(st.sampled_from([1, 1, 2]))
            low_weeks = draw(st.sampled_from([1, 1, 2]))
            patterns.append(
                Pattern(low_count, draw(st.integers(low_count, 3)), low_weeks, draw(st.integers(low_weeks, 4)))
            )
        low_choice = draw(st.sampled_from([0, 0, 1]))
        groups[group_id] = GroupRule(low_choice, draw(st.integers(max(1, low_choice), members)), tuple(patterns))
    return RotationRules(section_rules, groups)


@st.composite
def rotation_instances(draw, max_applicants, max_sections, horizon, max_length):
    rules = draw(rule_sets(max_sections))
    sections = list(rules.sections)
    capacity = {(s, w): draw(st.sampled_from([0, 1, 1, 1, 1, 2])) for s in sections for w in range(horizon)}
    requests = []
    for i in range(draw(st.integers(min(2, max_applicants), max_applicants))):
        length = draw(st.integers(1, min(max_length, horizon)))
        start = draw(st.integers(0, horizon - length))
        weeks = list(range(start, start + length))
        valid = all_valid_schedules(weeks, rules) if length <= 4 else []
        if valid and draw(st.sampled_from([True, True, True, False])):
            schedule = valid[draw(st.integers(0, len(valid) - 1))]  # a request that fits the rules
            asked = {}
            for section in schedule.values():
                asked[section] = asked.get(section, 0) + 1
        else:
            chosen = draw(st.lists(st.sampled_from(sections), unique=True, min_size=1, max_size=len(sections)))
            asked = {s: draw(st.integers(1, 4)) for s in chosen}
        ranks = draw(st.permutations(range(1, len(asked) + 1)))
        components = [RequestedComponent(s, k, r) for (s, k), r in zip(asked.items(), ranks, strict=True)]
        score = draw(st.sampled_from([1.0, 2.0, 2.0, 3.5]))
        requests.append(RotationRequest(f"A{i}", weeks, components, score))
    return requests, capacity, rules


@settings(SETTINGS, max_examples=200)
@given(rotation_instances(max_applicants=3, max_sections=3, horizon=4, max_length=4))
def test_tiny_instances_are_solved_to_the_brute_force_optimum(instance):
    requests, capacity, rules = instance
    result = plan_rotations(requests, capacity, rules, time_limit=20, workers=1, seed=0)
    assert_hard_constraints(requests, capacity, rules, result)
    assert result.proven_optimal
    assert result.objective.as_tuple() == brute_force_optimum(requests, capacity, rules)


@settings(SETTINGS, max_examples=60)
@given(rotation_instances(max_applicants=8, max_sections=4, horizon=10, max_length=6))
def test_random_instances_keep_capacity_weeks_and_rules(instance):
    requests, capacity, rules = instance
    result = plan_rotations(requests, capacity, rules, time_limit=20, workers=1, seed=0)
    assert_hard_constraints(requests, capacity, rules, result)


@settings(SETTINGS, max_examples=15)
@given(rotation_instances(max_applicants=40, max_sections=4, horizon=16, max_length=6))
def test_the_large_instance_path_keeps_the_hard_constraints(instance):
    requests, capacity, rules = instance
    # exact_limit=0 forces the decomposition used for big instances: greedy start, then neighbourhoods.
    result = plan_rotations(requests, capacity, rules, time_limit=0.5, workers=1, seed=0, exact_limit=0, neighbours=8)
    assert_hard_constraints(requests, capacity, rules, result)


@settings(SETTINGS, max_examples=25)
@given(rotation_instances(max_applicants=5, max_sections=3, horizon=6, max_length=4), st.randoms(use_true_random=False))
def test_same_input_same_plan(instance, rnd):
    requests, capacity, rules = instance
    first = plan_rotations(requests, capacity, rules, time_limit=20, workers=1, seed=0)
    again = plan_rotations(requests, capacity, rules, time_limit=20, workers=1, seed=0)
    assert first.schedules == again.schedules
    assert first.unplaced_reasons == again.unplaced_reasons
    shuffled = list(requests)
    rnd.shuffle(shuffled)
    reordered = plan_rotations(shuffled, capacity, rules, time_limit=20, workers=1, seed=0)
    assert reordered.objective == first.objective  # the optimum does not depend on the order


# --- the UMCG observership ----------------------------------------------------------------------

SECTIONS = {
    "neuro": "Neuroradiology and head & neck",
    "thoracic": "Thoracic radiology",
    "abdominal": "Abdominal radiology",
    "msk": "Musculoskeletal radiology",
    "cardio": "Cardiovascular radiology",
    "interventional": "Interventional radiology",
    "paediatric": "Paediatric radiology",
    "breast": "Breast imaging",
}
NM = "nm"
NAMES = {**SECTIONS, NM: "Nuclear medicine and molecular imaging"}


def umcg_rules() -> RotationRules:
    sections = {s: SectionRule(1, 8, True, "radiology") for s in SECTIONS}
    sections[NM] = SectionRule(1, 2, False, "nm")
    return RotationRules(
        sections,
        {
            "radiology": GroupRule(0, 8, (Pattern(8, 8, 1, 1), Pattern(1, 2, 2, 8)), "Radiology sections"),
            "nm": GroupRule(0, 1, (), "Nuclear medicine"),
        },
    )


def seats(value: int, weeks=range(52), sections=NAMES) -> dict:
    return {(s, w): value for s in sections for w in weeks}


def tour(applicant_id: str, start: int, nm_weeks: int = 1, score: float = 3.0) -> RotationRequest:
    components = [RequestedComponent(s, 1, rank) for rank, s in enumerate(SECTIONS, start=1)]
    if nm_weeks:
        components.append(RequestedComponent(NM, nm_weeks, 9))
    return RotationRequest(applicant_id, list(range(start, start + 8 + nm_weeks)), components, score)


def test_a_week_in_each_section_plus_nuclear_medicine():
    rules = umcg_rules()
    result = plan_rotations([tour("UMCG-1", 10)], seats(1), rules, names=NAMES)
    plan = result.plans["UMCG-1"]
    assert sorted(plan.schedule) == list(range(10, 19))
    assert sorted(plan.schedule.values()) == sorted(NAMES)
    assert len(plan.honoured) == 9
    assert result.proven_optimal


def test_nine_tours_over_the_same_weeks_share_single_seats():
    """One seat per section and week: nine identical tours fit only as a Latin square of block orders."""
    requests = [tour(f"UMCG-{i}", 20, score=1.0 + i / 10) for i in range(9)]
    result = plan_rotations(requests, seats(1, range(20, 29)), umcg_rules(), names=NAMES, workers=1)
    assert_hard_constraints(requests, seats(1, range(20, 29)), umcg_rules(), result)
    assert result.placed_count == 9
    assert result.components_honoured == 81
    for week in range(20, 29):
        assert sorted(result.schedules[a][week] for a in result.schedules) == sorted(NAMES)


def test_nuclear_medicine_is_never_alone():
    rules = umcg_rules()
    alone = RotationRequest("UMCG-2", [5, 6], [RequestedComponent(NM, 2, 1)], 4.0)
    result = plan_rotations([alone], seats(1), rules, names=NAMES)
    schedule = result.schedules["UMCG-2"]
    assert NM not in schedule.values()  # placed in one radiology section for the two weeks instead
    assert len(set(schedule.values())) == 1
    assert result.plans["UMCG-2"].honoured == []

    only_nm_open = {(NM, w): 1 for w in range(52)}
    result = plan_rotations([alone], only_nm_open, rules, names=NAMES)
    assert result.placed_count == 0
    assert result.unplaced_reasons["UMCG-2"] == (
        "The request does not fit the programme rules: Nuclear medicine and molecular imaging cannot be done without "
        "another section. No rotation that fits the rules has a free seat for every week of weeks 5–6."
    )


def test_nuclear_medicine_is_added_only_for_those_who_asked_for_it():
    """Four weeks of cardiovascular radiology, which has room in the first two only: nuclear medicine
    is free all along, yet the stay goes to another radiology section or stays unplaced."""
    rules = umcg_rules()
    request = RotationRequest("C", [10, 11, 12, 13], [RequestedComponent("cardio", 4, 1)], 3.0)
    capacity = {**seats(0), **{("cardio", w): 1 for w in (10, 11)}, **{(NM, w): 1 for w in range(52)}}

    result = plan_rotations([request], capacity, rules, names=NAMES)

    assert result.schedules == {}
    capacity.update({("paediatric", 12): 1, ("paediatric", 13): 1})
    result = plan_rotations([request], capacity, rules, names=NAMES)
    assert result.schedules == {"C": {10: "cardio", 11: "cardio", 12: "paediatric", 13: "paediatric"}}


def test_a_longer_stay_with_nuclear_medicine_in_between_or_at_an_end():
    rules = umcg_rules()
    request = RotationRequest(
        "UMCG-3",
        list(range(7)),
        [RequestedComponent("thoracic", 3, 1), RequestedComponent("abdominal", 2, 2), RequestedComponent(NM, 2, 3)],
        3.0,
    )
    capacity = seats(1, range(7))
    capacity[("thoracic", 0)] = capacity[("thoracic", 1)] = 0  # thoracic only from week 2
    result = plan_rotations([request], capacity, rules, names=NAMES)
    schedule = result.schedules["UMCG-3"]
    assert [schedule[w] for w in range(2, 5)] == ["thoracic"] * 3 or [schedule[w] for w in range(4, 7)] == [
        "thoracic"
    ] * 3
    assert len(result.plans["UMCG-3"].honoured) == 3


def test_reason_names_the_full_section_and_the_nearest_free_weeks():
    rules = umcg_rules()
    capacity = {("thoracic", w): 1 for w in range(12, 21) if w != 14}
    first = RotationRequest("UMCG-4", [12, 13], [RequestedComponent("thoracic", 2, 1)], 4.5)
    second = RotationRequest("UMCG-5", [12, 13], [RequestedComponent("thoracic", 2, 1)], 3.0)
    result = plan_rotations([second, first], capacity, rules, names=NAMES)
    assert result.schedules == {"UMCG-4": {12: "thoracic", 13: "thoracic"}}  # the higher score wins the seat
    assert result.unplaced_reasons["UMCG-5"] == (
        "Thoracic radiology is full in weeks 12–13; nearest free weeks: 15–16. "
        "No other combination of sections allowed by the programme fits the seats left in these weeks either."
    )


def test_an_applicant_is_moved_to_another_section_rather_than_left_out():
    rules = umcg_rules()
    capacity = {**seats(0), **{("thoracic", w): 1 for w in range(52)}, **{("abdominal", w): 1 for w in range(52)}}
    requests = [
        RotationRequest("A", [3, 4, 5], [RequestedComponent("thoracic", 3, 1)], 4.0),
        RotationRequest("B", [3, 4, 5], [RequestedComponent("thoracic", 3, 1)], 3.0),
    ]
    result = plan_rotations(requests, capacity, rules, names=NAMES)
    assert result.placed_count == 2
    assert result.schedules["A"] == {3: "thoracic", 4: "thoracic", 5: "thoracic"}  # the higher score is honoured
    assert set(result.schedules["B"].values()) == {"abdominal"}


def test_unusable_weeks_are_explained():
    rules = umcg_rules()
    gap = RotationRequest("G", [1, 3], [RequestedComponent("thoracic", 2, 1)], 1.0)
    none = RotationRequest("N", [], [RequestedComponent("thoracic", 2, 1)], 1.0)
    result = plan_rotations([gap, none], seats(1), rules)
    assert result.unplaced_reasons == {
        "G": "The requested weeks are not one consecutive period.",
        "N": "No weeks were requested.",
    }


def test_duplicate_request_ids_are_refused():
    with pytest.raises(ValueError, match="twice"):
        plan_rotations([tour("X", 0), tour("X", 20)], seats(1), umcg_rules())


def test_many_umcg_applicants_keep_every_rule():
    import random

    rng = random.Random(11)
    rules = umcg_rules()
    requests = []
    for i in range(60):
        if rng.random() < 0.3:
            requests.append(tour(f"T{i}", rng.randint(0, 40), rng.choice([0, 1, 2]), rng.uniform(1, 5)))
            continue
        length = rng.randint(2, 8)
        start = rng.randint(0, 52 - length)
        first = rng.choice(list(SECTIONS))
        requests.append(
            RotationRequest(f"L{i}", list(range(start, start + length)), [RequestedComponent(first, length, 1)], 2.0)
        )
    capacity = {(s, w): rng.choice([0, 1, 1, 2]) for s in NAMES for w in range(52)}
    result = plan_rotations(requests, capacity, rules, names=NAMES, time_limit=3, workers=1)
    assert_hard_constraints(requests, capacity, rules, result)
    assert result.placed_count > 0


def test_the_planner_benchmark_runs_in_its_tiny_form(tmp_path):
    """`benchmarks/planner.py --tiny` is the seconds-long version of the planner benchmark."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "planner.py"
    out = tmp_path / "planner.json"
    subprocess.run(
        [sys.executable, str(script), "--tiny", "--time-limit", "1", "--json", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    figures = json.loads(out.read_text())
    assert figures["cohort"]["applicant_scores"]["blocking_pairs"] == 0
    assert figures["cohort"]["department_scores"]["blocking_pairs"] == 0
    assert figures["rotation"]["seats_over_capacity"] == 0
    assert figures["rotation"]["schedules_breaking_rules"] == 0
    assert figures["rotation"]["placed"] <= figures["rotation"]["placed_upper_bound"]
