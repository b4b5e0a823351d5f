"""One exact solve of a group of applicants against given seats: the search for those who cannot
compete for a seat, the CP-SAT model for the others."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from placements.allocation.planner.rotation.applicant_search import SEARCH_NODE_LIMIT, search_applicant
from placements.allocation.planner.rotation.clock import Clock
from placements.allocation.planner.rotation.instance import Context, Option
from placements.allocation.planner.rotation.model import RotationModel
from placements.allocation.planner.rotation.types import Cell, SectionId

Seats = Callable[[SectionId, int], int]


@dataclass
class Solution:
    blocks: dict[int, list[Option]]  # applicant index -> blocks, for placed applicants
    status: str
    proven_optimal: bool
    stats: dict[str, object]


def solve(
    ctx: Context,
    modes: Mapping[int, bool],  # applicant index -> full?
    time_limit: float,
    workers: int,
    seed: int,
    hint: Mapping[int, list[Option]] | None = None,
    seats: Seats | None = None,
    quick: bool = False,
    must_place: Collection[int] = (),
    at_least: int = 0,
    clock: Clock | None = None,
) -> Solution:
    """Plan the applicants in `modes` against `seats` (default: the instance's capacity).

    `hint` is a complete plan to start from. `quick` skips presolve and probing, so that a short
    re-solve of a large neighbourhood spends its time improving the hint; otherwise the solver
    presolves and adds the stronger linear relaxation that proves optimality on small instances.
    `must_place`: applicants every plan of this solve must place; `at_least`: how many of them every
    plan must place. With either, the solver stops at its first plan (a feasibility question, much
    quicker to settle than the optimum, and quickest without presolve or linear relaxation).
    `time_limit` is in seconds of `clock` (default: elapsed time).
    """
    started = time.perf_counter()
    clock = clock or Clock("wall")
    begun = clock()
    seats = seats or ctx.seats
    options = _options(ctx, modes, seats)
    touched, binding = _binding_cells(options, seats)
    blocks, in_model = _plan_alone(ctx, modes, options, touched, binding)
    stats: dict[str, object] = {
        "applicants": len(modes),
        "planned_alone": len(options) - len(in_model),
        "in_model": len(in_model),
        "binding_cells": len(binding),
    }
    if not in_model:
        stats["placed_bound"] = len(blocks)
        stats["seconds"] = round(time.perf_counter() - started, 3)
        return Solution(blocks, "optimal", True, stats)

    if at_least - len(blocks) > len(in_model):  # not that many can be placed at all
        stats.update(solver_status="INFEASIBLE", seconds=round(time.perf_counter() - started, 3))
        return Solution({}, "feasible", False, stats)
    model = RotationModel(ctx, binding, hint)
    for index in in_model:
        model.add_applicant(index, modes[index], options[index], must=index in must_place)
    cp = model.finish(seats, at_least - len(blocks))
    feasibility = bool(must_place) or at_least > 0
    seconds_left = max(0.05, time_limit - (clock() - begun))
    solver = _solver(clock.solver_limit(seconds_left), workers, seed, quick or feasibility)
    if feasibility:  # any plan will do: no presolve, no linear relaxation, straight to the search
        solver.parameters.stop_after_first_solution = True
        solver.parameters.linearization_level = 0
    with clock.watch(solver, seconds_left):
        return _run(ctx, model, cp, solver, blocks, stats, started)


def _run(ctx: Context, model: RotationModel, cp, solver, blocks, stats, started) -> Solution:
    """Solve the model; the plan of the applicants planned alone and of the model's, with the figures."""
    built = time.perf_counter()
    status = solver.solve(cp)
    stats.update(
        variables=model.writer.count,
        constraints=len(model.writer.proto.constraints),
        build_seconds=round(built - started, 3),
        solve_seconds=round(solver.wall_time, 3),
        solver_status=solver.status_name(status),
    )
    stats["placed_bound"] = _placed_bound(ctx, blocks, solver, status, stats["in_model"])
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        blocks.update(model.blocks(solver.response_proto.solution))
    else:
        blocks = {}
    stats["seconds"] = round(time.perf_counter() - started, 3)
    optimal = status == cp_model.OPTIMAL
    return Solution(blocks, "optimal" if optimal else "feasible", optimal, stats)


def _placed_bound(ctx: Context, alone: dict, solver: cp_model.CpSolver, status, in_model: int) -> int | None:
    """The most applicants of this group any plan can place, from the solver's bound on the objective:
    each placed applicant is worth W1, more than all the lower levels together (and no more than
    the applicants in the model can be placed)."""
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    bound = solver.best_objective_bound
    if not math.isfinite(bound):
        return None
    return len(alone) + min(in_model, int(bound / ctx.weights[0] + 1e-6))


def _options(ctx: Context, modes: Mapping[int, bool], seats: Seats) -> dict[int, list[Option]]:
    """The blocks open to each applicant in `modes`; those with none are left out."""
    applicants = ctx.applicants
    options: dict[int, list[Option]] = {}
    for index, full in modes.items():
        opts = ctx.options(applicants[index], full, lambda s, w: seats(s, w) > 0)
        if opts:
            options[index] = opts
    return options


def _binding_cells(options: Mapping[int, list[Option]], seats: Seats) -> tuple[dict[int, set[Cell]], set[Cell]]:
    """The cells each applicant's blocks touch, and the cells more applicants reach than they have seats."""
    reach: dict[Cell, int] = {}
    touched: dict[int, set[Cell]] = {}
    for index, opts in options.items():
        cells = {(s, w) for s, length, t in opts for w in range(t, t + length)}
        touched[index] = cells
        for cell in cells:
            reach[cell] = reach.get(cell, 0) + 1
    binding = {cell for cell, count in reach.items() if count > seats(*cell)}
    return touched, binding


def _plan_alone(
    ctx: Context,
    modes: Mapping[int, bool],
    options: Mapping[int, list[Option]],
    touched: Mapping[int, set[Cell]],
    binding: set[Cell],
) -> tuple[dict[int, list[Option]], list[int]]:
    """Plan on their own the applicants who touch no binding cell (when the search is complete);
    returns their blocks and the applicants left for the model."""
    blocks: dict[int, list[Option]] = {}
    in_model: list[int] = []
    for index, opts in options.items():
        if touched[index] & binding:
            in_model.append(index)
            continue
        found, exhausted = search_applicant(ctx, ctx.applicants[index], opts, modes[index], SEARCH_NODE_LIMIT)
        if not exhausted:
            in_model.append(index)
        elif found:
            blocks[index] = sorted(found, key=lambda o: o[2])
    return blocks, in_model


def _solver(seconds_left: float, workers: int, seed: int, quick: bool) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds_left)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    if quick:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        solver.parameters.cp_model_presolve = False
    else:
        solver.parameters.linearization_level = 2
    return solver
