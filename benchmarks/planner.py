"""Planner benchmark: cohort matching and rotation planning on large generated instances.

    .venv/bin/python benchmarks/planner.py            # the full sizes (about half a minute)
    .venv/bin/python benchmarks/planner.py --tiny     # a seconds-long run, so the script cannot rot
    .venv/bin/python benchmarks/planner.py --json out.json

Cohort: 5,000 applicants x 200 departments, 10 preferences each (popularity skewed), department
seats 8-32, review scores 1-5; time is the best of 3 runs of `match_cohort`, with and without
department-specific scores. Rotation: 2,000 applicants x 9 sections (8 radiology sections + nuclear
medicine with the UMCG rules) x 52 weeks; each asks for 2-10 consecutive weeks; seats per section
and week are set near the average demand (some weeks short, a holiday fortnight at half capacity and
one closed week), so that the planner has to move people around. Its time limit is in CPU seconds
(a busy machine does not hide a weaker search); the gap is placed against the best upper bound known
(the weekly seats, computed here with CP-SAT, or the planner's own). Peak memory is the tracemalloc
peak of Python allocations during the run (the solver's C++ memory is in the process's max RSS,
printed too). The instances come from a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import threading
import time
import tracemalloc
from pathlib import Path

from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from placements.allocation.planner import (
    CohortApplicant,
    GroupRule,
    Pattern,
    RequestedComponent,
    RotationRequest,
    RotationRules,
    SectionRule,
    blocking_pairs,
    match_cohort,
    plan_rotations,
    schedule_problems,
)

RADIOLOGY = [f"radiology-{i}" for i in range(1, 9)]
NM = "nuclear-medicine"


def umcg_rules() -> RotationRules:
    sections = {s: SectionRule(1, 8, True, "radiology") for s in RADIOLOGY}
    sections[NM] = SectionRule(1, 2, False, "nm")
    groups = {
        "radiology": GroupRule(0, 8, (Pattern(8, 8, 1, 1), Pattern(1, 2, 2, 8)), "Radiology sections"),
        "nm": GroupRule(0, 1, (), "Nuclear medicine"),
    }
    return RotationRules(sections, groups)


def cohort_instance(applicants: int, departments: int, preferences: int, seed: int = 2027):
    rng = random.Random(seed)
    depts = [f"dept-{i:03d}" for i in range(departments)]
    popularity = [1.0 / (i + 1) ** 0.6 for i in range(departments)]
    people = []
    for i in range(applicants):
        prefs: list[str] = []
        while len(prefs) < min(preferences, departments):
            d = rng.choices(depts, popularity)[0]
            if d not in prefs:
                prefs.append(d)
        people.append(CohortApplicant(i, prefs, round(rng.uniform(1, 5), 2)))
    capacities = {d: rng.randint(8, 32) for d in depts}
    dept_scores = {
        (d, a.id): round(min(5.0, max(1.0, a.score + rng.gauss(0, 0.5))), 2) for a in people for d in a.preferences
    }
    return people, capacities, dept_scores


def rotation_instance(applicants: int, horizon: int = 52, seed: int = 2027, tightness: float = 1.0):
    rng = random.Random(seed)
    popularity = [1.6, 1.4, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6]
    requests = []
    for i in range(applicants):
        length = rng.randint(2, 10)
        start = rng.randint(0, horizon - length)
        components: list[tuple[str, int]] = []
        if length >= 8 and rng.random() < 0.35:
            order = RADIOLOGY[:]
            rng.shuffle(order)
            components = [(s, 1) for s in order]
            if length > 8:
                components.append((NM, length - 8))
        else:
            nm = rng.choices([0, 1, 2], [0.5, 0.3, 0.2])[0]
            while length - nm < 2:
                nm -= 1
            rest = length - nm
            if rest > 8 or (rest >= 4 and rng.random() < 0.5):
                first = rng.randint(max(2, rest - 8), min(8, rest - 2))
                picked = []
                while len(picked) < 2:
                    s = rng.choices(RADIOLOGY, popularity)[0]
                    if s not in picked:
                        picked.append(s)
                components = [(picked[0], first), (picked[1], rest - first)]
            else:
                components = [(rng.choices(RADIOLOGY, popularity)[0], rest)]
            if nm:
                components.append((NM, nm))
        ranks = list(range(1, len(components) + 1))
        if len(components) <= 3:
            rng.shuffle(ranks)
        requests.append(
            RotationRequest(
                id=f"UMCG-{i:05d}",
                weeks=list(range(start, start + length)),
                components=[RequestedComponent(s, k, r) for (s, k), r in zip(components, ranks, strict=True)],
                score=round(rng.uniform(1, 5), 2),
            )
        )
    # Seats near the average demand of each section, some weeks short, a holiday and a closed week.
    demand: dict[str, float] = {}
    for r in requests:
        for c in r.components:
            demand[c.section_id] = demand.get(c.section_id, 0) + c.weeks / horizon
    capacity = {}
    for s in [*RADIOLOGY, NM]:
        for w in range(horizon):
            seats = demand.get(s, 0) * tightness * rng.uniform(0.85, 1.25)
            if w in (29, 30):
                seats *= 0.5
            if w == 51:
                seats = 0
            capacity[(s, w)] = max(0, round(seats))
    return requests, capacity


class PeakRss:
    """Samples the process's resident memory every few milliseconds: the peak growth over a run,
    including memory the C++ solver allocates (tracemalloc only sees Python objects, and slows
    Python code down several times, so the timed runs do not use it)."""

    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.peak = self.base = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self.page

    def _run(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._rss())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.base) / 2**20, 1)


def python_peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def bench_cohort(applicants: int, departments: int, preferences: int, repeats: int) -> dict:
    people, capacities, dept_scores = cohort_instance(applicants, departments, preferences)
    figures = {"applicants": applicants, "departments": departments, "preferences": preferences}
    for label, scores in (("applicant_scores", None), ("department_scores", dept_scores)):
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            result = match_cohort(people, capacities, department_scores=scores)
            best = min(best, time.perf_counter() - started)
        peak = python_peak_mb(lambda scores=scores: match_cohort(people, capacities, department_scores=scores))
        started = time.perf_counter()
        pairs = blocking_pairs(people, capacities, result.assignment, department_scores=scores)
        check = time.perf_counter() - started
        figures[label] = {
            "seconds_best_of_3": round(best, 4),
            "peak_python_memory_mb": peak,
            "placed": result.placed_count,
            "unplaced": len(result.unplaced_reasons),
            "proposals": result.proposals,
            "blocking_pairs": len(pairs),
            "blocking_pair_check_seconds": round(check, 4),
        }
    return figures


def placement_upper_bound(requests, capacity, seconds: float = 60.0) -> int | None:
    """No plan can place more applicants than fit in the total seats of each week (a relaxation
    without sections; its constraint matrix is an interval matrix, so it solves quickly)."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in requests]
    by_week: dict[int, list] = {}
    for var, request in zip(chosen, requests, strict=True):
        for week in request.weeks:
            by_week.setdefault(week, []).append(var)
    for week, variables in by_week.items():
        seats = sum(n for (_, w), n in capacity.items() if w == week)
        model.add(sum(variables) <= seats)
    model.maximize(sum(chosen))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None  # no bound within the time (a busy machine)
    return int(solver.best_objective_bound + 1e-6)


def bench_rotation(applicants: int, time_limit: float, workers: int, bound: bool = True) -> dict:
    requests, capacity = rotation_instance(applicants)
    rules = umcg_rules()
    with PeakRss() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = plan_rotations(requests, capacity, rules, time_limit=time_limit, workers=workers, seed=1, clock="cpu")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    used = result.seats_used()
    over = sum(1 for cell, n in used.items() if n > capacity.get(cell, 0))
    by_id = {r.id: r for r in requests}
    broken = sum(1 for a, sched in result.schedules.items() if schedule_problems(sched, by_id[a].weeks, rules))
    figures = {
        "applicants": applicants,
        "sections": len(rules.sections),
        "weeks": 52,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "time_limit": time_limit,
        "workers": workers,
        "peak_memory_growth_mb": memory.growth_mb,
        "placed": result.placed_count,
        "unplaced": len(result.unplaced_reasons),
        "weeks_requested": result.weeks_requested,
        "weeks_uncovered": result.weeks_uncovered,
        "components_requested": result.components_requested,
        "components_honoured": result.components_honoured,
        "objective": result.objective.as_tuple(),
        "planner_bound": result.placed_upper_bound,
        "planner_gap": result.gap,
        "objective_value": result.objective_value,
        "status": result.status,
        "seats_over_capacity": over,
        "schedules_breaking_rules": broken,
        "phases": {k: v for k, v in result.stats.items() if isinstance(v, dict)},
        "example_reason": next(iter(result.unplaced_reasons.values()), None),
    }
    if bound:
        weekly = placement_upper_bound(requests, capacity)
        # Without an answer from CP-SAT in time, the planner's own bound (the same relaxation, solved exactly).
        figures["placed_upper_bound"] = result.placed_upper_bound if weekly is None else weekly
    best = min(figures.get("placed_upper_bound", result.placed_upper_bound), result.placed_upper_bound)
    figures["gap"] = round((best - result.placed_count) / best, 4) if best else 0.0
    return figures


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="small instances, a few seconds in all")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--time-limit", type=float, default=None, help="rotation solver limit in CPU seconds")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers per solve")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    if args.tiny:
        cohort = bench_cohort(300, 20, 5, repeats=1)
        rotation = bench_rotation(120, args.time_limit or 2.0, args.workers)
    else:
        cohort = bench_cohort(5000, 200, 10, repeats=3)
        rotation = bench_rotation(2000, args.time_limit or 9.0, args.workers)
    figures = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count(),
            "load_average_at_start": round(load_before, 2),
        },
        "cohort": cohort,
        "rotation": rotation,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    _print(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return figures


def _print(figures: dict) -> None:
    c, r, m = figures["cohort"], figures["rotation"], figures["machine"]
    print(f"Machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, load average {m['load_average_at_start']}")
    print(f"Cohort matching {c['applicants']} applicants x {c['departments']} departments x {c['preferences']} prefs")
    for label in ("applicant_scores", "department_scores"):
        f = c[label]
        print(
            f"  ranked by {label.replace('_', ' ')}: {f['seconds_best_of_3'] * 1000:.0f} ms (best of 3), "
            f"peak {f['peak_python_memory_mb']} MB (Python), placed {f['placed']}, unplaced {f['unplaced']}, "
            f"blocking pairs {f['blocking_pairs']} (checked in {f['blocking_pair_check_seconds'] * 1000:.0f} ms)"
        )
    print(f"Rotation planning {r['applicants']} applicants x {r['sections']} sections x {r['weeks']} weeks")
    print(
        f"  {r['seconds']} s wall, {r['cpu_seconds']} s CPU (limit {r['time_limit']} s, {r['workers']} worker(s)), "
        f"peak memory growth {r['peak_memory_growth_mb']} MB (RSS), status {r['status']}"
    )
    bound = f" (no plan can place more than {r['placed_upper_bound']})" if "placed_upper_bound" in r else ""
    uncovered = f"{r['weeks_uncovered']}/{r['weeks_requested']}"
    print(f"  placed {r['placed']}/{r['applicants']}{bound}, gap {r['gap']:.2%}, weeks uncovered {uncovered}")
    print(
        f"  components honoured {r['components_honoured']}/{r['components_requested']}, objective {r['objective']}, "
        f"seats over capacity {r['seats_over_capacity']}, schedules breaking rules {r['schedules_breaking_rules']}"
    )
    for phase, stats in r["phases"].items():
        print(f"  {phase}: {stats}")
    if r["example_reason"]:
        print(f"  e.g. unplaced because: {r['example_reason']}")
    print(f"Process max RSS {figures['max_rss_mb']} MB")


if __name__ == "__main__":
    main()
