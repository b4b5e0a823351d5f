"""Large-neighbourhood search: re-plan small groups exactly while everybody else keeps their seats.

For each applicant left out (shortest stay first), then each not given their request, the
`neighbours` applicants holding most seats of the sections they want in their weeks are re-planned
together with them ("as requested" for those already given their request, "full" for the others)
against the seats everybody else leaves. A better neighbourhood plan replaces the current one, and
whoever now fits in the freed seats is placed at once.
"""

from __future__ import annotations

import time

from placements.allocation.planner.rotation.greedy import place_greedily
from placements.allocation.planner.rotation.instance import (
    Applicant,
    Blocks,
    Context,
    Option,
    fully_honoured,
    objective_of,
    usage,
)
from placements.allocation.planner.rotation.solve import Seats, solve
from placements.allocation.planner.rotation.types import Cell

SECONDS_PER_NEIGHBOURHOOD = 1.0
SECONDS_TO_SPARE = 0.2  # no new neighbourhood this close to the deadline
INSERT_NODE_LIMIT = 2_000


def improve(
    ctx: Context,
    usable: list[int],
    blocks: Blocks,
    deadline: float,
    workers: int,
    seed: int,
    neighbours: int,
    stats: dict,
) -> dict[int, list[Option]]:
    """Large-neighbourhood search: for each applicant left out or not given their request, re-plan
    them together with the `neighbours` applicants holding the seats they want, everybody else
    fixed, with an exact CP-SAT model of that neighbourhood."""
    started = time.perf_counter()
    search = _NeighbourhoodSearch(ctx, usable, blocks, neighbours)
    for target in search.targets():
        if deadline - time.perf_counter() < SECONDS_TO_SPARE:
            break
        search.replan(target, deadline, workers, seed)
    stats["neighbourhoods"] = {
        "size": neighbours + 1,
        "tried": search.tried,
        "improved": search.improved,
        "proven_optimal": search.optimal,
        "placed_after": search.inserted,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return search.blocks


class _NeighbourhoodSearch:
    """The current plan, with the seats it uses and who sits in each cell, improved one neighbourhood at a time."""

    def __init__(self, ctx: Context, usable: list[int], blocks: Blocks, neighbours: int):
        self.ctx, self.usable, self.neighbours = ctx, usable, neighbours
        self.blocks = dict(blocks)
        self.used = usage(self.blocks)
        self.occupants: dict[Cell, set[int]] = {}
        for index, chosen in self.blocks.items():
            self._occupy(index, chosen)
        self.tried = self.improved = self.optimal = self.inserted = 0

    def _occupy(self, index: int, chosen: list[Option]) -> None:
        for s, length, t in chosen:
            for w in range(t, t + length):
                self.occupants.setdefault((s, w), set()).add(index)

    def targets(self) -> list[int]:
        """Those left out (shortest stay, then best score first), then those not given their request."""
        applicants, blocks = self.ctx.applicants, self.blocks
        left_out = [i for i in self.usable if i not in blocks]
        left_out.sort(key=lambda i: (applicants[i].length, -applicants[i].score_points, i))
        partly = [i for i in self.usable if i in blocks and not fully_honoured(self.ctx, i, blocks[i])]
        partly.sort(key=lambda i: (-applicants[i].score_points, i))
        return left_out + partly

    def replan(self, target: int, deadline: float, workers: int, seed: int) -> None:
        """Solve the target's neighbourhood exactly and keep the result when it is better."""
        ctx = self.ctx
        members = self._members(target)
        modes = {i: not fully_honoured(ctx, i, self.blocks.get(i)) for i in members}
        seats = self._seats_left(members)
        hint = {i: self.blocks[i] for i in members if i in self.blocks}
        limit = min(deadline - time.perf_counter(), SECONDS_PER_NEIGHBOURHOOD)
        solution = solve(ctx, modes, limit, workers, seed, hint=hint, seats=seats)
        self.tried += 1
        self.optimal += solution.proven_optimal
        if objective_of(ctx, solution.blocks).as_tuple() > objective_of(ctx, hint).as_tuple():
            self.improved += 1
            self._accept(ctx.applicants[target], members, solution.blocks)

    def _members(self, target: int) -> list[int]:
        """The target and the `neighbours` applicants holding most seats of the sections the target
        wants (any section, when the request breaks the rules) in the target's weeks."""
        a = self.ctx.applicants[target]
        sections = list(a.wanted) if a.valid_request else self.ctx.sections
        touched: dict[int, int] = {}
        for s in sections:
            for w in range(a.t0, a.end):
                for index in self.occupants.get((s, w), ()):
                    touched[index] = touched.get(index, 0) + 1
        touched.pop(target, None)
        return [target, *sorted(touched, key=lambda i: (-touched[i], i))[: self.neighbours]]

    def _seats_left(self, members: list[int]) -> Seats:
        """The seats of each cell less those held by applicants outside the neighbourhood."""
        ctx = self.ctx
        fixed = dict(self.used)
        for i in members:
            for s, length, t in self.blocks.get(i, ()):
                for w in range(t, t + length):
                    fixed[(s, w)] -= 1

        def seats(s, w):
            return ctx.seats(s, w) - fixed.get((s, w), 0)

        return seats

    def _accept(self, a: Applicant, members: list[int], replanned: dict[int, list[Option]]) -> None:
        """Put the neighbourhood's new plan in place, then place whoever now fits in the target's weeks."""
        applicants, blocks = self.ctx.applicants, self.blocks
        for i in members:
            for s, length, t in blocks.pop(i, ()):
                for w in range(t, t + length):
                    self.occupants[(s, w)].discard(i)
        self.used = usage({**blocks, **replanned})
        # The moves may have freed seats for others left out in these weeks: try them at once.
        waiting = [
            b
            for b in (applicants[i] for i in self.usable if i not in blocks and i not in replanned)
            if b.t0 < a.end and b.end > a.t0
        ]
        waiting.sort(key=lambda b: (b.length, -b.score_points, b.index))
        placed_now = dict(replanned)
        self.inserted += place_greedily(
            self.ctx, placed_now, self.used, waiting, full=True, node_limit=INSERT_NODE_LIMIT
        )[0]
        for i, chosen in placed_now.items():
            blocks[i] = chosen
            self._occupy(i, chosen)
