"""Placing applicants one at a time in the seats left: the first plan, and whoever fits later."""

from __future__ import annotations

import time
from collections.abc import Sequence

from placements.allocation.planner.rotation.applicant_search import SEARCH_NODE_LIMIT, search_applicant
from placements.allocation.planner.rotation.instance import Applicant, Context, Option
from placements.allocation.planner.rotation.types import Cell


def greedy_start(
    ctx: Context, usable: list[int], deadline: float | None, stats: dict, first: set[int] = frozenset()
) -> dict[int, list[Option]]:
    """A first plan: the applicants in `first` before the others, then shortest stays first (more of
    them fit), better scores first among equals; each applicant gets their request in the first block
    order that fits, and whoever is left over then gets the best rotation the rules allow in the seats
    left."""
    started = time.perf_counter()
    applicants = ctx.applicants
    blocks: dict[int, list[Option]] = {}
    used: dict[Cell, int] = {}
    order = sorted(
        (applicants[i] for i in usable), key=lambda a: (a.index not in first, a.length, -a.score_points, a.index)
    )
    place_greedily(ctx, blocks, used, [a for a in order if a.valid_request], full=False)
    as_requested = len(blocks)
    place_greedily(ctx, blocks, used, order, full=True, deadline=deadline)
    stats["greedy"] = {
        "placed_as_requested": as_requested,
        "placed": len(blocks),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return blocks


def place_greedily(
    ctx: Context,
    blocks: dict[int, list[Option]],
    used: dict[Cell, int],
    candidates: Sequence[Applicant],
    *,
    full: bool,
    deadline: float | None = None,
    node_limit: int = SEARCH_NODE_LIMIT,
) -> tuple[int, set[int]]:
    """Place each candidate in turn in the seats left, as requested first and then (`full`) in any
    rotation the rules allow. Returns how many were placed and the indices of the candidates shown
    (by complete search) not to fit at all.
    """

    def open_cell(s, w):
        return used.get((s, w), 0) < ctx.seats(s, w)

    placed = 0
    proven_unfit: set[int] = set()
    for a in candidates:
        if a.index in blocks or not a.length:
            continue
        if deadline is not None and time.perf_counter() > deadline:
            break
        found, exhausted = None, True
        for mode in [False, True] if a.valid_request else [True]:
            if mode and not full:
                break
            found, exhausted = search_applicant(ctx, a, ctx.options(a, mode, open_cell), mode, node_limit)
            if found:
                break
        if found:
            blocks[a.index] = sorted(found, key=lambda o: o[2])
            for s, length, t in found:
                for w in range(t, t + length):
                    used[(s, w)] = used.get((s, w), 0) + 1
            placed += 1
        elif full and exhausted:
            proven_unfit.add(a.index)
    return placed, proven_unfit
