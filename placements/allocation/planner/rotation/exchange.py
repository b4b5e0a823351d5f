"""Exchanges guided by the weekly seats: whom to take out and whom to put in so that more stays fit the
seats of every week, the starting point of neighbourhoods that try to place one more.

Every week a placed applicant stays needs a seat in some section, so once a week is full in every
section, nobody else who stays that week can be placed without someone leaving; one more placed
then means taking out a stay that crosses two full weeks and putting in two that cross one each,
and the like. Which ones is the weekly-seat relaxation's question (sections aside, see `bound`): an
interval packing, whose linear program has an interval matrix (totally unimodular), so a simplex
vertex is a whole set of stays. GLOP solves it in milliseconds, and the model is kept between calls
(only the objective changes). Among the largest sets that fit every week's seats, the objective
prefers the one closest to the current plan (a point for each applicant placed now), avoids
applicants whose exchange failed before, and varies equal choices with a little noise.

The difference with the plan -- some placed applicants out, more left out ones in -- splits into
groups that meet in the weeks full now; each group, with those who hold seats in the weeks its
newcomers need (the tightest weeks count most), is a neighbourhood whose solver is asked to place
one more than now, sections and rules included.
"""

from __future__ import annotations

import random

from ortools.linear_solver import pywraplp

from placements.allocation.planner.rotation.instance import Context

PENALTY = 1.0  # per failed exchange of an applicant: more than keeping one placed applicant is worth
MAX_PENALTY = 4.0
NOISE = 0.1


class ExchangeGuide:
    def __init__(self, ctx: Context, usable: list[int], rng: random.Random):
        self.ctx, self.usable, self.rng = ctx, usable, rng
        self.failures: dict[int, int] = {}
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.vars = {i: self.solver.NumVar(0, 1, "") for i in usable}
        seats: dict[int, int] = {}
        for (section, week), n in ctx.capacity.items():
            if section in ctx.rules.sections and n and n > 0:
                seats[week] = seats.get(week, 0) + int(n)
        by_week: dict[int, list] = {}
        for i in usable:
            a = ctx.applicants[i]
            for w in range(a.t0, a.end):
                by_week.setdefault(w, []).append(self.vars[i])
        for week, variables in by_week.items():
            row = self.solver.Constraint(0, seats.get(week, 0))
            for var in variables:
                row.SetCoefficient(var, 1)
        # One more stay outweighs every preference below (each applicant's is under MAX_PENALTY + 2).
        self.weight = (MAX_PENALTY + 2) * (len(usable) + 1)

    def target(self, placed: set[int]) -> set[int] | None:
        """A largest set of stays that fits every week's seats, close to `placed`; None without an answer."""
        objective = self.solver.Objective()
        for i, var in self.vars.items():
            bonus = 1.0 if i in placed else -min(MAX_PENALTY, PENALTY * self.failures.get(i, 0))
            objective.SetCoefficient(var, self.weight + bonus + NOISE * self.rng.random())
        objective.SetMaximization()
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        return {i for i, var in self.vars.items() if var.solution_value() > 0.5}

    def groups(self, placed: set[int], full_weeks: set[int]) -> list[tuple[list[int], list[int]]] | None:
        """(those to take out, those to put in) of each group of the exchange towards the target, which
        meet in the weeks full now; only groups that put someone in, in random order. None when the
        weekly seats allow no more than are placed (or the linear program has no answer)."""
        target = self.target(placed)
        if target is None or len(target) <= len(placed):
            return None
        applicants = self.ctx.applicants
        out = [i for i in placed if i not in target]
        into = [i for i in target if i not in placed]
        crossing = {i: {w for w in range(applicants[i].t0, applicants[i].end) if w in full_weeks} for i in out + into}
        parent = {i: i for i in out + into}

        def root(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in out:
            for j in into:
                if crossing[i] & crossing[j]:
                    parent[root(i)] = root(j)
        grouped: dict[int, tuple[list[int], list[int]]] = {}
        for i in out + into:
            grouped.setdefault(root(i), ([], []))[i in into].append(i)
        result = [group for group in grouped.values() if group[1]]
        self.rng.shuffle(result)
        return result

    def failed(self, newcomers: list[int]) -> None:
        for i in newcomers:
            self.failures[i] = self.failures.get(i, 0) + 1
