"""Rotation planner quality: the placed count on medium UMCG instances against an exact optimum.

    .venv/bin/python benchmarks/planner_quality.py               # 60 medium instances, default limit
    .venv/bin/python benchmarks/planner_quality.py --count 10    # the first ten only

Medium instances: 20-60 applicants over 14-26 weeks, 9 sections with the UMCG rules, seats near the
demand (the same generator as the large bench instance, smaller). Each is planned with the
planner's default time limit, counted in CPU seconds (two instances at a time), and compared with
the exact optimum of the placed count, worked out by an independent CP-SAT model (written apart
from the planner's, maximising the placed count alone) given ample time. The optima are computed
once and cached in var/bench/, keyed by the instance generator's version; a later run only reads
them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ortools.sat.python import cp_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.planner import placement_upper_bound, rotation_instance, umcg_rules  # noqa: E402
from placements.allocation.planner import plan_rotations, schedule_problems  # noqa: E402

GENERATOR = "umcg-medium-v2"  # change when the instances change: the cached optima are keyed by it
CACHE = ROOT / "var" / "bench" / "planner_medium_optima.json"
MEDIUM_COUNT = 60
REFERENCE_SECONDS = 900.0  # ample: the hardest of the 60 took about 400 s on a busy machine
TARGET_OPTIMAL_RATE = 0.99
DEFAULT_TIME_LIMIT = 10.0  # plan_rotations' default


def medium_instance(number: int):
    """Instance `number`: 20-60 applicants, 14-26 weeks, seats near the demand."""
    rng = random.Random(1000 + number)
    applicants, horizon = rng.randint(20, 60), rng.randint(14, 26)
    requests, capacity = rotation_instance(applicants, horizon=horizon, seed=5000 + number)
    return requests, capacity, horizon


def reference_optimum(requests, capacity, rules, seconds: float = REFERENCE_SECONDS) -> dict:
    """The most applicants any plan can place, by a model written here apart from the planner's (one
    boolean per section, length and first week; the rules as linear constraints) and nothing but
    the placed count to maximise: `proven` says whether CP-SAT closed the gap within `seconds`.

    The count is capped by the bench's own weekly-seat bound (`placement_upper_bound`, the stays
    that fit the total seats of each week, sections aside): a valid cut, with which the solver stops
    as soon as it finds a plan that places that many instead of closing its own weaker bound."""
    model = cp_model.CpModel()
    placed, cells = [], {}
    for request in requests:
        placed.append(_add_applicant(model, request, capacity, rules, cells))
    for cell, variables in cells.items():
        model.add(sum(variables) <= capacity.get(cell, 0))
    weekly = placement_upper_bound(requests, capacity)
    if weekly is not None:
        model.add(sum(placed) <= weekly)
    model.maximize(sum(placed))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1  # one worker with the stronger relaxation proves these fastest
    solver.parameters.linearization_level = 2
    status = solver.solve(model)
    return {
        "placed": int(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
        "bound": int(solver.best_objective_bound + 1e-6),
        "proven": status == cp_model.OPTIMAL,
        "seconds": round(solver.wall_time, 1),
    }


def _add_applicant(model: cp_model.CpModel, request, capacity, rules, cells: dict):
    """One applicant's blocks (section, length, first week) on open seats, with the rules; returns placed."""
    weeks = sorted(request.weeks)
    first, total = weeks[0], len(weeks)
    placed = model.new_bool_var("")
    asked = {c.section_id for c in request.components}
    blocks = {}  # (section, length, first week) -> variable
    for s, rule in rules.sections.items():
        if not rule.may_stand_alone and s not in asked:
            continue  # a section that cannot stand alone is only given to those who ask for it
        for length in range(rule.weeks_min, min(rule.weeks_max, total) + 1):
            for t in range(first, first + total - length + 1):
                if all(capacity.get((s, w), 0) > 0 for w in range(t, t + length)):
                    blocks[(s, length, t)] = model.new_bool_var("")
    for w in weeks:
        model.add(sum(x for (s, length, t), x in blocks.items() if t <= w < t + length) == placed)
    for (s, length, t), x in blocks.items():
        for w in range(t, t + length):
            cells.setdefault((s, w), []).append(x)
    in_section = {s: [x for (b, _, _), x in blocks.items() if b == s] for s in rules.sections}
    for variables in in_section.values():
        model.add(sum(variables) <= 1)
    model.add(sum(x for s, r in rules.sections.items() if r.may_stand_alone for x in in_section[s]) >= placed)
    for group_id, group in rules.groups.items():
        members = [(key, x) for key, x in blocks.items() if rules.sections[key[0]].group == group_id]
        count = sum(x for _, x in members)
        model.add(count >= group.min_choices * placed)
        model.add(count <= group.max_choices)
        if group.patterns:
            _add_patterns(model, group, members, count)
    return placed


def _add_patterns(model, group, members, count) -> None:
    """A group with patterns: when any of its sections is chosen, one pattern fits all of them."""
    chosen = [model.new_bool_var("") for _ in group.patterns]
    model.add(sum(chosen) <= 1)
    for (_, length, _), x in members:
        model.add(
            x
            <= sum(
                q for q, p in zip(chosen, group.patterns, strict=True) if p.min_weeks_each <= length <= p.max_weeks_each
            )
        )
    model.add(count >= sum(p.min_offerings * q for q, p in zip(chosen, group.patterns, strict=True)))
    model.add(count <= sum(p.max_offerings * q for q, p in zip(chosen, group.patterns, strict=True)))


def cached_optima(numbers, rules) -> dict[str, dict]:
    """The reference optimum of the medium instances `numbers`, computed once and kept in var/bench/."""
    stored = json.loads(CACHE.read_text(encoding="utf-8")) if CACHE.exists() else {}
    optima = stored.get(GENERATOR, {})
    for number in (n for n in numbers if str(n) not in optima):
        requests, capacity, _ = medium_instance(number)
        optima[str(number)] = reference_optimum(requests, capacity, rules)
        print(f"  reference optimum of medium instance {number}: {optima[str(number)]}", flush=True)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps({**stored, GENERATOR: optima}, indent=1), encoding="utf-8")
    return optima


def plan_medium(number: int, time_limit: float, workers: int = 1) -> dict:
    """Plan medium instance `number` with `time_limit` seconds of CPU time; the figures of the plan."""
    rules = umcg_rules()
    requests, capacity, horizon = medium_instance(number)
    cpu = time.process_time()
    result = plan_rotations(requests, capacity, rules, time_limit=time_limit, workers=workers, seed=1, clock="cpu")
    cpu = time.process_time() - cpu
    by_id = {r.id: r for r in requests}
    broken = sum(1 for a, s in result.schedules.items() if schedule_problems(s, by_id[a].weeks, rules))
    over = sum(1 for cell, n in result.seats_used().items() if n > capacity.get(cell, 0))
    return {
        "instance": number,
        "applicants": len(requests),
        "weeks": horizon,
        "placed": result.placed_count,
        "planner_bound": result.placed_upper_bound,
        "honour_points": result.objective.honour_points,
        "status": result.status,
        "cpu_seconds": round(cpu, 2),
        "invalid": broken + over,
    }


def bench_medium(numbers=range(MEDIUM_COUNT), time_limit: float = DEFAULT_TIME_LIMIT, processes: int = 2) -> dict:
    """Plan each medium instance (`processes` at a time, each timed in its own CPU seconds) and count
    those that place as many as the reference optimum."""
    numbers = list(numbers)
    optima = cached_optima(numbers, umcg_rules())
    with ProcessPoolExecutor(max_workers=processes) as pool:
        rows = list(pool.map(plan_medium, numbers, [time_limit] * len(numbers)))
    for row in rows:
        reference = optima[str(row["instance"])]
        row["optimum"] = reference["placed"] if reference["proven"] else None
    judged = [r for r in rows if r["optimum"] is not None]
    at_optimum = sum(1 for r in judged if r["placed"] >= r["optimum"])
    return {
        "instances": len(rows),
        "time_limit": time_limit,
        "with_proven_optimum": len(judged),
        "at_optimum": at_optimum,
        "optimal_rate": round(at_optimum / len(judged), 4) if judged else None,
        "target_rate": TARGET_OPTIMAL_RATE,
        "short": [r for r in judged if r["placed"] < r["optimum"]],
        "invalid_plans": sum(1 for r in rows if r["invalid"]),
        "cpu_seconds_total": round(sum(r["cpu_seconds"] for r in rows), 1),
        "cpu_seconds_max": max((r["cpu_seconds"] for r in rows), default=0),
        "rows": rows,
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=MEDIUM_COUNT, help="medium instances to plan")
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, help="planner CPU seconds each")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = bench_medium(range(args.count), args.time_limit)
    for row in figures["rows"]:
        print(row, flush=True)
    print(
        f"Medium instances: {figures['at_optimum']}/{figures['with_proven_optimum']} at the optimum "
        f"({figures['optimal_rate'] or 0:.1%}, target ≥ {TARGET_OPTIMAL_RATE:.0%}), "
        f"{figures['invalid_plans']} invalid plans, CPU {figures['cpu_seconds_total']} s in all"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
