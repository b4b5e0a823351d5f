"""The entry point: a greedy start, the exact model when the instance is small, neighbourhood search
otherwise, one more try for whoever is still out, and the result with its reasons."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from placements.allocation.planner.explain import default_week_label
from placements.allocation.planner.rotation.bound import weekly_seat_bound
from placements.allocation.planner.rotation.clock import Clock
from placements.allocation.planner.rotation.greedy import greedy_start, place_greedily
from placements.allocation.planner.rotation.instance import Applicant, Context, Option, objective_of, usage
from placements.allocation.planner.rotation.reasons import plans_of
from placements.allocation.planner.rotation.search import improve
from placements.allocation.planner.rotation.solve import solve
from placements.allocation.planner.rotation.types import Cell, RotationRequest, RotationResult, SectionId
from placements.allocation.planner.rules import RotationRules


def plan_rotations(
    requests: Sequence[RotationRequest],
    capacity: Mapping[Cell, int],
    rules: RotationRules,
    *,
    names: Mapping[SectionId, str] | None = None,
    week_label: Callable[[int], str] = default_week_label,
    time_limit: float = 10.0,
    workers: int = 1,
    seed: int = 0,
    exact_limit: int = 12_000,
    neighbours: int = 40,
    clock: str = "wall",
) -> RotationResult:
    """Week-by-week rotations for all requests at once; see the package docstring for the model.

    `capacity[(section, week)]` is the number of free seats (seats already held by offered or
    confirmed placements taken off); a missing key means no seat. `names` gives section display
    names and `week_label` turns a week index into text for the reasons. `time_limit` bounds the
    whole run in seconds of `clock`: "wall" (elapsed time) or "cpu" (the process's CPU time, so
    that a busy machine does not cut the search short; with one worker the two agree on an idle one).
    """
    now = Clock(clock)
    started, cpu_started = time.perf_counter(), time.process_time()
    deadline = now() + time_limit
    ctx = Context(requests, capacity, rules, names)
    usable = [a.index for a in ctx.applicants if a.length]
    full_estimate = sum(_full_size(ctx, ctx.applicants[i]) for i in usable)
    bound, packed = weekly_seat_bound(ctx, usable)
    stats: dict[str, object] = {"full_model_estimate": full_estimate, "bounds": {"weekly_seats": bound}}
    reserve = min(1.0, 0.1 * time_limit)
    # Those who fit the weekly seats together go first: a set of the largest size sections aside.
    blocks = greedy_start(ctx, usable, _wall_deadline(now, deadline - reserve), stats, first=packed)
    proven = False
    if full_estimate <= exact_limit:
        # A quarter of the time for the exact model (half of it was mostly spent without a better plan on
        # the medium instances); if it cannot prove the optimum, improve by neighbourhoods.
        share = 0.25 if full_estimate > exact_limit / 4 else 1.0
        until = now() + (deadline - reserve - now()) * share
        blocks, proven = _solve_whole(ctx, usable, blocks, now, until, workers, seed, stats)
    if not proven:
        blocks, proven = improve(ctx, usable, blocks, deadline - reserve, now, workers, seed, neighbours, stats)
    used, repaired, proven_unfit = _repair(ctx, usable, blocks, _wall_deadline(now, deadline - reserve / 3), stats)
    plans = plans_of(ctx, blocks, used, week_label, proven_unfit)
    stats["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
    return _result(ctx, blocks, plans, proven and not repaired, started, stats)


def _wall_deadline(now: Clock, deadline: float) -> float:
    """A deadline on `now`'s clock as a wall-clock deadline (for the phases that read the wall clock)."""
    return time.perf_counter() + (deadline - now())


def _full_size(ctx: Context, a: Applicant) -> int:
    """Block variables the full model would give this applicant (before pruning)."""
    return sum(a.length - length + 1 for s in ctx.sections for length in ctx.allowed_lengths(s, a.length))


def _solve_whole(
    ctx: Context,
    usable: list[int],
    blocks: dict[int, list[Option]],
    now: Clock,
    until: float,
    workers: int,
    seed: int,
    stats: dict,
) -> tuple[dict[int, list[Option]], bool]:
    """One full model for everybody, the greedy plan as hint, until `until` (on `now`); returns the
    better of the two plans and whether the model's plan is proven optimal."""
    solution = solve(ctx, dict.fromkeys(usable, True), until - now(), workers, seed, hint=blocks, clock=now)
    stats["model"] = solution.stats
    if solution.stats.get("placed_bound") is not None:
        stats["bounds"]["exact_model"] = solution.stats["placed_bound"]
    if objective_of(ctx, solution.blocks).as_tuple() >= objective_of(ctx, blocks).as_tuple():
        blocks = dict(solution.blocks)
    return blocks, solution.proven_optimal


def _repair(
    ctx: Context, usable: list[int], blocks: dict[int, list[Option]], deadline: float, stats: dict
) -> tuple[dict[Cell, int], int, set[int]]:
    """Try whoever is still unplaced once more in the seats left (best score first); returns the seats
    used, how many were placed and who is shown not to fit at all."""
    applicants = ctx.applicants
    used = usage(blocks)
    waiting = sorted((applicants[i] for i in usable if i not in blocks), key=lambda a: (-a.score_points, a.index))
    started = time.perf_counter()
    repaired, proven_unfit = place_greedily(ctx, blocks, used, waiting, full=True, deadline=deadline)
    stats["repair"] = {
        "tried": len(waiting),
        "placed": repaired,
        "proven_unfit": len(proven_unfit),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return used, repaired, proven_unfit


def _result(ctx: Context, blocks, plans, proven: bool, started: float, stats: dict) -> RotationResult:
    applicants = ctx.applicants
    objective = objective_of(ctx, blocks)
    w1, w2, w3 = ctx.weights
    bound = objective.placed if proven else max(objective.placed, min(stats["bounds"].values()))
    stats.update(
        placed_upper_bound=bound,
        gap=round((bound - objective.placed) / bound, 4) if bound else 0.0,
        weeks_requested=sum(a.length or len(a.request.weeks) for a in applicants),
        weeks_uncovered=sum(a.length or len(a.request.weeks) for a in applicants if a.index not in blocks),
        components_requested=sum(len(a.request.components) for a in applicants),
    )
    return RotationResult(
        plans=plans,
        objective=objective,
        objective_value=w1 * objective.placed + w2 * objective.honour_points + w3 * objective.score_points,
        weights=ctx.weights,
        status="empty" if not applicants else ("optimal" if proven else "feasible"),
        proven_optimal=proven,
        seconds=time.perf_counter() - started,
        stats=stats,
    )
