"""Phase 4: the planner, through benchmarks/planner.py's own functions and instances."""

from benchmarks.planner import bench_cohort, bench_rotation
from benchmarks.planner_quality import DEFAULT_TIME_LIMIT, MEDIUM_COUNT, bench_medium

# The sizes: 5,000 applicants x 200 departments with 10 preferences each; 2,000 applicants x
# 9 sections x 52 weeks. The rotation solver gets 9 CPU seconds (its target is 10 s) and one CP-SAT
# worker. Medium instances: all of them with the planner's default limit; the tiny run plans two
# small ones for a second each (their optima take a second to prove).
FULL = {
    "cohort": (5000, 200, 10, 3),
    "rotation": (2000, 9.0, 1),
    "medium": (range(MEDIUM_COUNT), DEFAULT_TIME_LIMIT),
}
TINY = {"cohort": (300, 20, 5, 1), "rotation": (120, 1.0, 1), "medium": ((1, 7), 1.0)}


def run(*, tiny: bool) -> dict:
    sizes = TINY if tiny else FULL
    applicants, departments, preferences, repeats = sizes["cohort"]
    cohort = bench_cohort(applicants, departments, preferences, repeats=repeats)
    best = cohort["applicant_scores"]
    print(f"  cohort {applicants} x {departments}: {best['seconds_best_of_3'] * 1000:.0f} ms", flush=True)
    applicants, time_limit, workers = sizes["rotation"]
    rotation = bench_rotation(applicants, time_limit, workers)
    print(
        f"  rotation {applicants} x 9 x 52: {rotation['cpu_seconds']} s CPU, placed {rotation['placed']}, "
        f"gap {rotation['gap']:.2%}",
        flush=True,
    )
    numbers, time_limit = sizes["medium"]
    medium = bench_medium(numbers, time_limit)
    print(f"  medium instances: {medium['at_optimum']}/{medium['with_proven_optimum']} at the optimum", flush=True)
    return {"cohort": cohort, "rotation": rotation, "medium": medium}
