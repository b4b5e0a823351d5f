"""Large-neighbourhood search: re-plan groups of applicants exactly while everybody else keeps their
seats, again and again until the time is up or the plan is shown to be the best there is.

Each round takes a neighbourhood (see `neighbourhoods`: around an applicant left out, around full
weeks and sections, or at random), frees the seats its members hold and solves their plan against
the seats everybody else leaves with an exact CP-SAT model, warm-started from their current blocks.
A plan at least as good replaces theirs (an equal one too, so that the search can walk across
plans of the same worth), and whoever now fits in the seats freed is placed at once. The plan never
gets worse, so more time never gives a worse plan. The search stops early only with a proof: every
applicant placed and given their request, or a neighbourhood holding everybody solved to optimality.
"""

from __future__ import annotations

import random

from placements.allocation.planner.rotation.clock import Clock
from placements.allocation.planner.rotation.greedy import place_greedily
from placements.allocation.planner.rotation.instance import Blocks, Context, Option, fully_honoured, objective_of
from placements.allocation.planner.rotation.neighbourhoods import Chooser, Neighbourhood, PlanState
from placements.allocation.planner.rotation.solve import Seats, solve

SECONDS_PER_NEIGHBOURHOOD = 0.5
SECONDS_TO_SPARE = 0.05  # no new neighbourhood this close to the deadline
INSERT_NODE_LIMIT = 2_000


def improve(
    ctx: Context,
    usable: list[int],
    blocks: Blocks,
    deadline: float,
    clock: Clock,
    workers: int,
    seed: int,
    neighbours: int,
    stats: dict,
) -> tuple[dict[int, list[Option]], bool]:
    """Improve `blocks` by neighbourhoods until `deadline` (on `clock`); returns the plan and whether
    it is proven optimal."""
    started = clock()
    state = PlanState(ctx, usable, {i: list(chosen) for i, chosen in blocks.items()})
    chooser = Chooser(state, random.Random(seed), neighbours + 1)
    figures = {"tried": 0, "improved": 0, "proven_optimal": 0, "placed_after": 0, "by_kind": {}, "last_optimal": False}
    proven = _everything_given(ctx, state)
    while not proven and deadline - clock() > SECONDS_TO_SPARE:
        hood = chooser.next()
        if hood is None:
            break
        seconds = min(deadline - clock(), SECONDS_PER_NEIGHBOURHOOD * hood.effort)
        better, settled = _replan(ctx, state, hood, seconds, clock, workers, seed + figures["tried"], figures)
        chooser.feedback(hood, settled, better)
        kind = figures["by_kind"].setdefault(hood.kind, [0, 0])
        kind[0] += 1
        kind[1] += better
        whole = hood.kind == "whole"
        proven = (whole and settled and figures["last_optimal"]) or _everything_given(ctx, state)
    stats["neighbourhoods"] = {
        **figures,
        "size_mixed": chooser.size["mixed"],
        "size_full": chooser.size["full"],
        "seconds": round(clock() - started, 3),
    }
    return state.blocks, proven


def _everything_given(ctx: Context, state: PlanState) -> bool:
    """Every applicant placed and given exactly what they asked for: no plan can be better."""
    return all(i in state.blocks and fully_honoured(ctx, i, state.blocks[i]) for i in state.usable)


def _replan(
    ctx: Context,
    state: PlanState,
    hood: Neighbourhood,
    limit: float,
    clock: Clock,
    workers: int,
    seed: int,
    figures: dict,
) -> tuple[bool, bool]:
    """Solve the neighbourhood exactly and keep its plan when it is no worse; returns (better, proven)."""
    members = hood.members
    hint = {i: state.blocks[i] for i in members if i in state.blocks}
    solution = solve(
        ctx,
        hood.modes,
        limit,
        workers,
        seed,
        hint=hint,
        seats=_seats_left(ctx, state, members),
        must_place=hood.must_place,
        at_least=hood.at_least,
        clock=clock,
    )
    figures["tried"] += 1
    figures["proven_optimal"] += solution.proven_optimal
    figures["last_optimal"] = solution.proven_optimal
    before, after = objective_of(ctx, hint).as_tuple(), objective_of(ctx, solution.blocks).as_tuple()
    settled = solution.proven_optimal or solution.stats.get("solver_status") == "INFEASIBLE" or after > before
    if after < before or (after == before and solution.blocks == hint):
        return False, settled
    for i in members:
        state.vacate(i)
    for i, chosen in solution.blocks.items():
        state.occupy(i, chosen)
    figures["improved"] += after > before
    figures["placed_after"] += _place_waiting(ctx, state, members)
    return after > before, settled


def _seats_left(ctx: Context, state: PlanState, members: list[int]) -> Seats:
    """The seats of each cell less those held by applicants outside the neighbourhood."""
    fixed = dict(state.used)
    for i in members:
        for s, length, t in state.blocks.get(i, ()):
            for w in range(t, t + length):
                fixed[(s, w)] -= 1

    def seats(s, w):
        return ctx.seats(s, w) - fixed.get((s, w), 0)

    return seats


def _place_waiting(ctx: Context, state: PlanState, members: list[int]) -> int:
    """Place whoever is left out in the members' weeks and now fits in the seats left."""
    applicants = ctx.applicants
    spans = [(applicants[i].t0, applicants[i].end) for i in members]
    waiting = [
        applicants[i]
        for i in state.left_out()
        if any(applicants[i].t0 < end and applicants[i].end > start for start, end in spans)
    ]
    placed_now: dict[int, list[Option]] = {}
    used = dict(state.used)
    count = place_greedily(ctx, placed_now, used, waiting, full=True, node_limit=INSERT_NODE_LIMIT)[0]
    for i, chosen in placed_now.items():
        state.occupy(i, chosen)
    return count
