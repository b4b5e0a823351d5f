"""Rotation planning for observerships: a week-by-week schedule per applicant across sections.

Input: each applicant's request (one consecutive period of weeks, the sections they ask for with
weeks and preference rank, their review score), the free seats per (section, week) and the
programme's component rules (`RotationRules`). Output: a schedule per placed applicant, a plain-words
reason per unplaced one, and quality figures. Pure: plain dataclasses in and out, no database.

Hard constraints
----------------
* No (section, week) gets more applicants than its seats (a missing key means no seat).
* A placed applicant is in exactly one section in each of their requested weeks, and nowhere else.
* Each section is one consecutive block per applicant.
* The schedule follows the programme's rules (weeks per section within the section's bounds, every
  group's choice count and pattern, at least one section that may stand alone): the same rules as
  `placements.catalogue.validation`, checked again by `rules.schedule_problems`.

Objective (lexicographic, folded into one integer objective with dominating weights)
-------------------------------------------------------------------------------------
1. the number of applicants placed;
2. honour points: for each placed applicant, every requested component given exactly as asked (that
   section, that many weeks) earns ``max_rank + 1 - rank`` points (rank 1 = first choice; max_rank
   is the largest rank in the instance);
3. score points: ``round(100 * (score - lowest score)) * (1 + honour points)`` summed over placed
   applicants, so that among otherwise equal plans the better-reviewed applicants are the ones
   placed and the ones given what they asked for. (On instances so large that the weighted sum
   would pass 2**53, scores count to one decimal, then in whole points.)
Weights: ``W3 = 1``, ``W2 = (largest possible level 3) + 1``, ``W1 = W2 * (largest possible level 2
+ 1)``, so no amount of a lower level can buy one unit of a higher one. `RotationResult.objective`
gives the three levels, `objective_value` the weighted sum.

Model (CP-SAT, time-indexed block starts)
-----------------------------------------
For applicant a with period [t0, t0 + W) and a set of block options (section s, length l, first
week t) -- only blocks inside the period, on weeks with seats, that can be part of some tiling of
the period -- there are booleans x[a,s,l,t] and placed[a]:

* cover: for every week w of the period, exactly one of {x covering w} + {not placed[a]} holds,
  so a placed applicant is in exactly one section each week and blocks never overlap;
* capacity: for every (s, w), the sum of x covering (s, w) over all applicants <= seats(s, w).
  A (s, w) that fewer applicants can reach than it has seats can never overflow: its constraint is
  left out, and an applicant who touches only such cells is planned on their own (exhaustive search).

Each applicant gets one of two option sets:

* "as requested": only the requested blocks, each used exactly once (sum_t x = placed): the
  honoured rotation with only the order of the blocks free. The rules hold by themselves, because
  the request is checked against them beforehand.
* "full": every section with every length its rules allow, and the rules as constraints: at most
  one block per section; per group min_choices * placed <= chosen <= max_choices; for a group with
  patterns a choice of at most one pattern q[a,g,j], each block's length must fit the chosen
  pattern (sum_t x[a,s,l,t] <= sum of q over the patterns allowing l) and the number chosen must
  lie within its bounds; at least one section that may stand alone when placed.

Objective terms: placed[a] carries W1 + W3 * score points (plus the honour of all components for
"as requested"); each x that gives a requested component exactly carries (W2 + W3 * score points)
* its weight.

Solving
-------
1. Greedy start: shortest stays first (more of them fit), better scores first among equals; each
   gets their request in the first block order that fits the seats left (depth-first search over
   block orders, failed subsets memoised); those left over then get the best rotation the rules
   allow in the seats left (branch and bound over blocks, most wanted first).
2. Small instances (full model below `exact_limit` block variables): one full model for everybody,
   the greedy plan as hint, presolved and with the stronger linear relaxation. When CP-SAT proves
   it optimal, the plan is optimal (`proven_optimal`); the tests check this against brute force.
3. Otherwise -- large instances such as 2,000 applicants x 9 sections x 52 weeks, whose full model
   has about 400,000 block variables, too many to build and solve in seconds, or a small model not
   proven optimal within its share of the time -- large-neighbourhood search until the time limit: for each applicant
   left out (shortest stay first), then each not given their request, the `neighbours` applicants
   holding most seats of the sections they want in their weeks are re-planned together with them
   ("as requested" for those already given their request, "full" for the others) against the
   seats everybody else leaves, with an exact CP-SAT model of that neighbourhood (a few hundred
   variables) and the current plan as hint. A better neighbourhood plan replaces the current one,
   and whoever now fits in the freed seats is placed at once.
4. Whoever is still unplaced is tried once more in the seats left, and gets a reason worked out
   from the seats left: which requested section is full or closed in which of their weeks, and the
   nearest weeks where it has room.

`time_limit` bounds the whole run. `workers=1` and a fixed `seed` make small instances, which are
solved to optimality well within the limit, reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from placements.allocation.planner.explain import default_week_label, join_words, name_of, weeks_phrase
from placements.allocation.planner.rules import RotationRules, composition_problems

ApplicantId = Hashable
SectionId = Hashable
Cell = tuple[SectionId, int]

SCORE_SCALE = 100
SEARCH_NODE_LIMIT = 20_000


@dataclass(frozen=True)
class RequestedComponent:
    section_id: SectionId
    weeks: int  # number of weeks asked for in this section
    rank: int = 1  # 1 = first choice


@dataclass(frozen=True)
class RotationRequest:
    id: ApplicantId
    weeks: Sequence[int]  # the consecutive week indices asked for
    components: Sequence[RequestedComponent]
    score: float = 0.0  # mean coordinator review score; higher is better


@dataclass(frozen=True)
class Block:
    section_id: SectionId
    first_week: int
    last_week: int

    @property
    def weeks(self) -> int:
        return self.last_week - self.first_week + 1


@dataclass
class RotationPlan:
    request_id: ApplicantId
    blocks: list[Block] = field(default_factory=list)  # in week order; empty when unplaced
    honoured: list[RequestedComponent] = field(default_factory=list)  # components given exactly as asked
    reason: str | None = None  # plain words, when unplaced

    @property
    def placed(self) -> bool:
        return bool(self.blocks)

    @property
    def schedule(self) -> dict[int, SectionId]:
        return {w: b.section_id for b in self.blocks for w in range(b.first_week, b.last_week + 1)}


@dataclass(frozen=True)
class Objective:
    placed: int
    honour_points: int
    score_points: int

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.placed, self.honour_points, self.score_points)


@dataclass
class RotationResult:
    plans: dict[ApplicantId, RotationPlan]
    objective: Objective
    objective_value: int
    weights: tuple[int, int, int]
    status: str  # "optimal", "feasible" (time limit or restricted model) or "empty"
    proven_optimal: bool
    seconds: float
    stats: dict[str, object] = field(default_factory=dict)

    @property
    def schedules(self) -> dict[ApplicantId, dict[int, SectionId]]:
        return {a: p.schedule for a, p in self.plans.items() if p.placed}

    @property
    def unplaced_reasons(self) -> dict[ApplicantId, str]:
        return {a: p.reason or "" for a, p in self.plans.items() if not p.placed}

    @property
    def placed_count(self) -> int:
        return sum(1 for p in self.plans.values() if p.placed)

    @property
    def weeks_requested(self) -> int:
        return int(self.stats.get("weeks_requested", 0))

    @property
    def weeks_uncovered(self) -> int:
        return int(self.stats.get("weeks_uncovered", 0))

    @property
    def components_requested(self) -> int:
        return int(self.stats.get("components_requested", 0))

    @property
    def components_honoured(self) -> int:
        return sum(len(p.honoured) for p in self.plans.values())

    def seats_used(self) -> dict[Cell, int]:
        used: dict[Cell, int] = {}
        for plan in self.plans.values():
            for week, section in plan.schedule.items():
                used[(section, week)] = used.get((section, week), 0) + 1
        return used


# --- internal representation ---------------------------------------------------------------


@dataclass
class _Applicant:
    index: int
    request: RotationRequest
    t0: int = 0
    length: int = 0  # weeks in the period; 0 when the weeks are unusable
    weeks_problem: str | None = None
    request_problems: list[str] = field(default_factory=list)
    wanted: dict[SectionId, tuple[int, int]] = field(default_factory=dict)  # section -> (weeks, weight)
    honour_total: int = 0
    score_points: int = 0

    @property
    def valid_request(self) -> bool:
        return self.length > 0 and not self.request_problems

    @property
    def end(self) -> int:
        return self.t0 + self.length


Option = tuple[SectionId, int, int]  # (section, length, first week)


class _Context:
    def __init__(self, requests, capacity, rules, names):
        self.rules = rules
        self.names = names
        self.capacity = capacity
        self.sections = list(rules.sections)
        self.section_order = {s: i for i, s in enumerate(self.sections)}
        self.applicants: list[_Applicant] = []
        ranks = [c.rank for r in requests for c in r.components] or [1]
        self.max_rank = max(1, max(ranks))
        scores = [float(r.score) for r in requests] or [0.0]
        low = min(scores)
        ids = set()
        for i, request in enumerate(requests):
            if request.id in ids:
                raise ValueError(f"Request id {request.id!r} appears twice.")
            ids.add(request.id)
            self.applicants.append(self._prepare(i, request))
        self.honour_total = sum(a.honour_total for a in self.applicants)
        # Keep the weighted objective exact in the solver's floating-point relaxation (below 2**53):
        # very large instances count scores to one decimal, or in whole points, or not at all.
        self.score_scale = SCORE_SCALE
        while True:
            for a in self.applicants:
                a.score_points = round(self.score_scale * (float(a.request.score) - low))
            self.score_total = sum(a.score_points * (1 + a.honour_total) for a in self.applicants)
            w3 = 1
            w2 = self.score_total + 1
            w1 = w2 * (self.honour_total + 1)
            if w1 * (len(self.applicants) + 1) < 2**53 or self.score_scale == 0:
                break
            self.score_scale = self.score_scale // 10
        self.weights = (w1, w2, w3)
        self._length_cache: dict[tuple[SectionId, int], list[int]] = {}
        self.section_weeks: dict[SectionId, list[int]] | None = None

    def weight(self, rank: int) -> int:
        return max(1, self.max_rank + 1 - rank)

    def seats(self, section: SectionId, week: int) -> int:
        return max(0, int(self.capacity.get((section, week), 0) or 0))

    def _prepare(self, index: int, request: RotationRequest) -> _Applicant:
        a = _Applicant(index=index, request=request)
        weeks = sorted(request.weeks)
        if not weeks:
            a.weeks_problem = "No weeks were requested."
        elif len(set(weeks)) != len(weeks) or weeks[-1] - weeks[0] + 1 != len(weeks):
            a.weeks_problem = "The requested weeks are not one consecutive period."
        else:
            a.t0, a.length = weeks[0], len(weeks)
        for component in sorted(request.components, key=lambda c: c.rank):
            if component.section_id not in a.wanted:
                a.wanted[component.section_id] = (int(component.weeks), self.weight(component.rank))
        a.honour_total = sum(weight for _, weight in a.wanted.values())
        problems = []
        if len(a.wanted) != len(request.components):
            problems.append("A section is requested more than once.")
        lengths = {s: k for s, (k, _) in a.wanted.items()}
        problems += composition_problems(lengths, self.rules, self.names)
        asked = sum(lengths.values())
        if a.length and asked != a.length:
            problems.append(f"The requested sections add up to {asked} weeks, but the period is {a.length} weeks.")
        a.request_problems = problems
        return a

    def allowed_lengths(self, section: SectionId, total: int) -> list[int]:
        key = (section, total)
        if key not in self._length_cache:
            self._length_cache[key] = self.rules.allowed_lengths(section, total)
        return self._length_cache[key]

    # Options -------------------------------------------------------------------------------

    def options(self, a: _Applicant, full: bool, open_cell: Callable[[SectionId, int], bool]) -> list[Option]:
        """Blocks the applicant could be given, pruned to those that can be part of a tiling."""
        if not a.length:
            return []
        if full:
            pairs = [(s, length) for s in self.sections for length in self.allowed_lengths(s, a.length)]
        else:
            pairs = [(s, k) for s, (k, _) in a.wanted.items()]
        open_runs: dict[SectionId, list[int]] = {}
        result: list[Option] = []
        for s, length in pairs:
            if length < 1 or length > a.length:
                continue
            run = open_runs.get(s)
            if run is None:
                # run[i]: open weeks in a row from week t0 + i on
                run = [0] * (a.length + 1)
                for i in range(a.length - 1, -1, -1):
                    run[i] = run[i + 1] + 1 if open_cell(s, a.t0 + i) else 0
                open_runs[s] = run
            for i in range(a.length - length + 1):
                if run[i] >= length:
                    result.append((s, length, a.t0 + i))
        return _prune_to_tilings(result, a.t0, a.end)


def _prune_to_tilings(options: list[Option], start: int, end: int) -> list[Option]:
    """Drop blocks that no sequence of blocks from `start` to `end` can use."""
    forward = {start}
    for t in range(start, end):
        if t in forward:
            forward.update(t + length for _, length, first in options if first == t)
    if end not in forward:
        return []
    backward = {end}
    by_end = sorted(options, key=lambda o: -(o[2] + o[1]))
    for _s, length, first in by_end:
        if first + length in backward:
            backward.add(first)
    return [o for o in options if o[2] in forward and o[2] + o[1] in backward and o[2] in backward]


# --- depth-first search for one applicant --------------------------------------------------


def _search(
    ctx: _Context, a: _Applicant, options: list[Option], full: bool, node_limit: int
) -> tuple[list[Option] | None, bool]:
    """Best schedule for one applicant over `options`: (blocks or None, whether the search was complete)."""
    if not options:
        return None, True
    if not full:
        return _search_requested(a, options), True
    return _FullSearch(ctx, a, options, node_limit).run()


def _search_requested(a: _Applicant, options: list[Option]) -> list[Option] | None:
    """An order of the requested blocks that tiles the period (most wanted blocks tried first)."""
    pairs = [(s, k) for s, (k, _) in sorted(a.wanted.items(), key=lambda item: -item[1][1])]
    starts: dict[tuple[SectionId, int], list[int]] = {}
    for s, k, t in options:
        starts.setdefault((s, k), []).append(t)
    return _tile(a, pairs, lambda s, k: starts.get((s, k), ()))


def _tile(
    a: _Applicant, pairs: list[tuple[SectionId, int]], starts: Callable[[SectionId, int], Sequence[int]]
) -> list[Option] | None:
    """The first order of the blocks `pairs` (each used once, earlier ones tried first at each week)
    that tiles the applicant's period, each block starting only where `starts` allows; depth-first,
    failed subsets memoised."""
    at: dict[int, list[tuple[int, Option]]] = {}
    for i, (s, k) in enumerate(pairs):
        for t in starts(s, k):
            entry = (i, (s, k, t))
            if t in at:
                at[t].append(entry)
            else:
                at[t] = [entry]
    complete = (1 << len(pairs)) - 1
    failed: set[int] = set()
    path: list[Option] = []
    end = a.end

    def dfs(t: int, mask: int) -> bool:
        if mask == complete:
            return t == end
        if mask in failed:
            return False
        for i, option in at.get(t, ()):
            if mask >> i & 1:
                continue
            path.append(option)
            if dfs(t + option[1], mask | 1 << i):
                return True
            path.pop()
        failed.add(mask)
        return False

    return list(path) if dfs(a.t0, 0) else None


class _FullSearch:
    """Best schedule over all rule-abiding options: branch and bound with incremental rule checks."""

    def __init__(self, ctx: _Context, a: _Applicant, options: list[Option], node_limit: int):
        self.ctx, self.a, self.node_limit = ctx, a, node_limit
        self.nodes = 0
        self.exhausted = True
        rules = ctx.rules

        def points(option):
            wanted = a.wanted.get(option[0])
            return wanted[1] if wanted is not None and wanted[0] == option[1] else 0

        self.by_start: dict[int, list[tuple[Option, int]]] = {}
        for option in options:
            self.by_start.setdefault(option[2], []).append((option, points(option)))
        for entries in self.by_start.values():
            entries.sort(key=lambda e: (-e[1], ctx.section_order.get(e[0][0], 0), -e[0][1]))
        self.group_of = {s: r.group for s, r in rules.sections.items()}
        self.patterns = {g: list(rule.patterns) for g, rule in rules.groups.items()}
        self.max_choices = {g: rule.max_choices for g, rule in rules.groups.items()}
        # The latest first week at which each requested component can still be given exactly.
        self.latest: dict[SectionId, int] = {}
        for option, gain in (e for entries in self.by_start.values() for e in entries):
            if gain:
                self.latest[option[0]] = max(self.latest.get(option[0], option[2]), option[2])
        self.best: list[Option] | None = None
        self.best_points = -1
        self.failed: set = set()

    def run(self) -> tuple[list[Option] | None, bool]:
        self._dfs(self.a.t0, [], {}, {}, 0)
        return self.best, self.exhausted

    def _fits(self, group, lengths: list[int]) -> bool:
        if group is None or group not in self.max_choices:
            return True
        if len(lengths) > self.max_choices[group]:
            return False
        patterns = self.patterns[group]
        return not patterns or any(
            len(lengths) <= p.max_offerings and all(p.min_weeks_each <= x <= p.max_weeks_each for x in lengths)
            for p in patterns
        )

    def _dfs(self, t, chosen, used, by_group, points) -> bool:
        """True when the search can stop (the best possible is found or the node limit is hit)."""
        self.nodes += 1
        if self.nodes > self.node_limit:
            self.exhausted = False
            return True
        a = self.a
        if t == a.end:
            if points > self.best_points and _composition_ok(self.ctx, used):
                self.best_points, self.best = points, list(chosen)
            return self.best_points >= a.honour_total
        latest = self.latest
        reachable = sum(w for s, (_, w) in a.wanted.items() if s not in used and latest.get(s, -BIG) >= t)
        if points + reachable <= self.best_points:
            return False
        state = (t, frozenset(used.items()))
        if state in self.failed:
            return False
        before = self.best_points
        for option, gain in self.by_start.get(t, ()):
            s, length, _ = option
            if s in used:
                continue
            group = self.group_of[s]
            lengths = by_group.setdefault(group, [])
            lengths.append(length)
            if self._fits(group, lengths):
                used[s] = length
                chosen.append(option)
                stop = self._dfs(t + length, chosen, used, by_group, points + gain)
                chosen.pop()
                del used[s]
            else:
                stop = False
            lengths.pop()
            if stop:
                return True
        if self.best_points == before:
            self.failed.add(state)  # nothing better below this state; its points are fixed by `used`
        return False


def _composition_ok(ctx: _Context, used: Mapping[SectionId, int]) -> bool:
    """The fast yes/no form of `rules.composition_problems` for the search's leaves."""
    rules = ctx.rules
    by_group: dict[Hashable, list[int]] = {}
    stands_alone = False
    for s, length in used.items():
        rule = rules.sections[s]
        if not rule.weeks_min <= length <= rule.weeks_max:
            return False
        stands_alone = stands_alone or rule.may_stand_alone
        if rule.group is not None:
            by_group.setdefault(rule.group, []).append(length)
    if not stands_alone:
        return False
    for group_id, group in rules.groups.items():
        chosen = by_group.get(group_id, [])
        if not group.min_choices <= len(chosen) <= group.max_choices:
            return False
        if chosen and group.patterns and not any(p.matches(chosen) for p in group.patterns):
            return False
    return True


# --- the CP-SAT model ----------------------------------------------------------------------


@dataclass
class _Solution:
    blocks: dict[int, list[Option]]  # applicant index -> blocks, for placed applicants
    status: str
    proven_optimal: bool
    stats: dict[str, object]


class _Proto:
    """A thin writer of the CP-SAT model proto by variable index: several times faster to build
    than one Python object per variable and constraint."""

    def __init__(self):
        self.model = cp_model.CpModel()
        self.proto = self.model.proto
        self.count = 0

    def bools(self, k: int) -> range:
        add = self.proto.variables.add
        for _ in range(k):
            add().domain.extend((0, 1))
        start, self.count = self.count, self.count + k
        return range(start, self.count)

    @staticmethod
    def negated(literal: int) -> int:
        return -literal - 1

    def exactly_one(self, literals) -> None:
        self.proto.constraints.add().exactly_one.literals.extend(literals)

    def at_most_one(self, literals) -> None:
        self.proto.constraints.add().at_most_one.literals.extend(literals)

    def linear(self, variables, coeffs, low: int, high: int) -> None:
        linear = self.proto.constraints.add().linear
        linear.vars.extend(variables)
        linear.coeffs.extend(coeffs)
        linear.domain.extend((low, high))

    def at_most(self, variables, bound: int) -> None:
        if bound == 1:
            self.at_most_one(variables)
        else:
            self.linear(variables, [1] * len(variables), 0, bound)

    def maximize(self, variables, coeffs) -> None:
        objective = self.proto.objective
        objective.vars.extend(variables)
        objective.coeffs.extend(-c for c in coeffs)
        objective.scaling_factor = -1

    def hint(self, variables, values) -> None:
        self.proto.solution_hint.vars.extend(variables)
        self.proto.solution_hint.values.extend(values)


BIG = 1 << 30


def _solve(
    ctx: _Context,
    modes: Mapping[int, bool],  # applicant index -> full?
    time_limit: float,
    workers: int,
    seed: int,
    hint: Mapping[int, list[Option]] | None = None,
    seats: Callable[[SectionId, int], int] | None = None,
    quick: bool = False,
) -> _Solution:
    """Plan the applicants in `modes` against `seats` (default: the instance's capacity).

    `hint` is a complete plan to start from. `quick` skips presolve and probing, so that a short
    re-solve of a large neighbourhood spends its time improving the hint; otherwise the solver
    presolves and adds the stronger linear relaxation that proves optimality on small instances.
    """
    started = time.perf_counter()
    seats = seats or ctx.seats
    applicants = ctx.applicants
    options: dict[int, list[Option]] = {}
    for index, full in modes.items():
        opts = ctx.options(applicants[index], full, lambda s, w: seats(s, w) > 0)
        if opts:
            options[index] = opts
    reach: dict[Cell, int] = {}
    touched: dict[int, set[Cell]] = {}
    for index, opts in options.items():
        cells = {(s, w) for s, length, t in opts for w in range(t, t + length)}
        touched[index] = cells
        for cell in cells:
            reach[cell] = reach.get(cell, 0) + 1
    binding = {cell for cell, count in reach.items() if count > seats(*cell)}

    blocks: dict[int, list[Option]] = {}
    in_model: list[int] = []
    for index, opts in options.items():
        if touched[index] & binding:
            in_model.append(index)
            continue
        found, exhausted = _search(ctx, applicants[index], opts, modes[index], SEARCH_NODE_LIMIT)
        if not exhausted:
            in_model.append(index)
        elif found:
            blocks[index] = sorted(found, key=lambda o: o[2])
    stats: dict[str, object] = {
        "applicants": len(modes),
        "planned_alone": len(options) - len(in_model),
        "in_model": len(in_model),
        "binding_cells": len(binding),
    }
    if not in_model:
        stats["seconds"] = round(time.perf_counter() - started, 3)
        return _Solution(blocks, "optimal", True, stats)

    m = _Proto()
    w1, w2, w3 = ctx.weights
    objective_vars: list[int] = []
    objective_coeffs: list[int] = []
    cell_vars: dict[Cell, list[int]] = {cell: [] for cell in binding}
    decoded: list[tuple[int, int, range, list[Option]]] = []
    hint_vars: list[int] = []
    hint_values: list[int] = []
    for index in in_model:
        a = applicants[index]
        full = modes[index]
        opts = options[index]
        placed = m.bools(1)[0]
        xs = m.bools(len(opts))
        not_placed = m.negated(placed)
        objective_vars.append(placed)
        honour_if_placed = 0 if full else a.honour_total  # as requested: every component is given
        objective_coeffs.append(w1 + (w2 + w3 * a.score_points) * honour_if_placed + w3 * a.score_points)
        cover: list[list[int]] = [[not_placed] for _ in range(a.length)]
        per_section: dict[SectionId, list[int]] = {}
        per_section_length: dict[tuple[SectionId, int], list[int]] = {}
        wanted = a.wanted
        t0 = a.t0
        for x, (s, length, t) in zip(xs, opts, strict=True):
            for w in range(t, t + length):
                cover[w - t0].append(x)
                if (s, w) in binding:
                    cell_vars[(s, w)].append(x)
            per_section.setdefault(s, []).append(x)
            if full:
                per_section_length.setdefault((s, length), []).append(x)
                asked = wanted.get(s)
                if asked is not None and asked[0] == length:  # a requested component given exactly
                    objective_vars.append(x)
                    objective_coeffs.append((w2 + w3 * a.score_points) * asked[1])
        for week_literals in cover:
            m.exactly_one(week_literals)  # covered once if placed, not at all otherwise
        pattern_vars = []
        if full:
            pattern_vars = _add_rule_constraints(ctx, m, placed, per_section, per_section_length)
        else:
            for section_vars in per_section.values():
                m.exactly_one([*section_vars, not_placed])  # each requested block once
        decoded.append((index, placed, xs, opts))
        if hint is not None:
            chosen = set(hint.get(index, ()))
            hint_vars.append(placed)
            hint_values.append(1 if chosen else 0)
            hint_vars.extend(xs)
            hint_values.extend(1 if option in chosen else 0 for option in opts)
            for group_id, q in pattern_vars:
                lengths = [length for s, length, _ in chosen if ctx.rules.sections[s].group == group_id]
                patterns = ctx.rules.groups[group_id].patterns
                pick = next((j for j, p in enumerate(patterns) if lengths and p.matches(lengths)), None)
                hint_vars.extend(q)
                hint_values.extend(1 if j == pick else 0 for j in range(len(q)))
    for cell, cell_literals in cell_vars.items():
        if len(cell_literals) > seats(*cell):
            m.at_most(cell_literals, seats(*cell))
    m.maximize(objective_vars, objective_coeffs)
    if hint_vars:
        m.hint(hint_vars, hint_values)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit - (time.perf_counter() - started))
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    if quick:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        solver.parameters.cp_model_presolve = False
    else:
        solver.parameters.linearization_level = 2
    built = time.perf_counter()
    status = solver.solve(m.model)
    stats.update(
        variables=m.count,
        constraints=len(m.proto.constraints),
        build_seconds=round(built - started, 3),
        solve_seconds=round(solver.wall_time, 3),
        solver_status=solver.status_name(status),
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = solver.response_proto.solution
        for index, placed, xs, opts in decoded:
            if values[placed]:
                blocks[index] = sorted((o for x, o in zip(xs, opts, strict=True) if values[x]), key=lambda o: o[2])
    else:
        blocks = {}
    stats["seconds"] = round(time.perf_counter() - started, 3)
    optimal = status == cp_model.OPTIMAL
    return _Solution(blocks, "optimal" if optimal else "feasible", optimal, stats)


def _add_rule_constraints(
    ctx: _Context, m: _Proto, placed: int, per_section, per_section_length
) -> list[tuple[Hashable, list[int]]]:
    """The programme's rules for one applicant in the full model; returns the pattern choice variables."""
    rules = ctx.rules
    pattern_vars = []
    for section_vars in per_section.values():
        if len(section_vars) > 1:
            m.at_most_one(section_vars)  # one block per section
    by_group: dict[Hashable, list[SectionId]] = {}
    for s in per_section:
        group = rules.sections[s].group
        if group is not None:
            by_group.setdefault(group, []).append(s)
    for group_id, group in rules.groups.items():
        sections = by_group.get(group_id, [])
        chosen = [x for s in sections for x in per_section[s]]
        if group.min_choices > len(sections):
            m.linear([placed], [1], 0, 0)
            continue
        if group.min_choices > 0:  # chosen >= min_choices * placed
            m.linear([*chosen, placed], [1] * len(chosen) + [-group.min_choices], 0, BIG)
        if group.max_choices < len(sections):
            m.at_most(chosen, group.max_choices)
        if group.patterns and sections:
            q = list(m.bools(len(group.patterns)))
            pattern_vars.append((group_id, q))
            m.at_most_one(q)
            for (s, length), xs in per_section_length.items():
                if rules.sections[s].group != group_id:
                    continue
                fitting = [
                    qj
                    for qj, p in zip(q, group.patterns, strict=True)
                    if p.min_weeks_each <= length <= p.max_weeks_each
                ]
                m.linear([*xs, *fitting], [1] * len(xs) + [-1] * len(fitting), -BIG, 0)
            low = [p.min_offerings for p in group.patterns]
            high = [p.max_offerings for p in group.patterns]
            m.linear([*chosen, *q], [1] * len(chosen) + [-c for c in low], 0, BIG)
            m.linear([*chosen, *q], [1] * len(chosen) + [-c for c in high], -BIG, 0)
    if any(not rules.sections[s].may_stand_alone for s in per_section):
        alone = [x for s, xs in per_section.items() if rules.sections[s].may_stand_alone for x in xs]
        m.linear([*alone, placed], [1] * len(alone) + [-1], 0, BIG)
    return pattern_vars


# --- the public entry point ----------------------------------------------------------------


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
) -> RotationResult:
    """Week-by-week rotations for all requests at once; see the module docstring for the model.

    `capacity[(section, week)]` is the number of free seats (seats already held by offered or
    confirmed placements taken off); a missing key means no seat. `names` gives section display
    names and `week_label` turns a week index into text for the reasons. `time_limit` bounds the
    whole run in seconds (the solver gets what is left after building the model).
    """
    started = time.perf_counter()
    deadline = started + time_limit
    ctx = _Context(requests, capacity, rules, names)
    applicants = ctx.applicants
    usable = [a.index for a in applicants if a.length]
    full_estimate = sum(_full_size(ctx, applicants[i]) for i in usable)
    stats: dict[str, object] = {"full_model_estimate": full_estimate}
    reserve = min(1.0, 0.1 * time_limit)
    blocks = _greedy(ctx, usable, deadline - reserve, stats)
    proven = False
    if full_estimate <= exact_limit:
        # Half the time for the exact model; if it cannot prove the optimum, improve by neighbourhoods.
        limit = (deadline - reserve - time.perf_counter()) * (0.5 if full_estimate > exact_limit / 4 else 1.0)
        solution = _solve(ctx, dict.fromkeys(usable, True), limit, workers, seed, hint=blocks)
        stats["model"] = solution.stats
        proven = solution.proven_optimal
        if _objective(ctx, solution.blocks).as_tuple() >= _objective(ctx, blocks).as_tuple():
            blocks = dict(solution.blocks)
    if not proven:
        blocks = _improve(ctx, usable, blocks, deadline - reserve, workers, seed, neighbours, stats)
    used = _usage(blocks)
    waiting = sorted((applicants[i] for i in usable if i not in blocks), key=lambda a: (-a.score_points, a.index))
    repair_started = time.perf_counter()
    repaired, proven_unfit = _place_greedily(ctx, blocks, used, waiting, full=True, deadline=deadline - reserve / 3)
    stats["repair"] = {
        "tried": len(waiting),
        "placed": repaired,
        "proven_unfit": len(proven_unfit),
        "seconds": round(time.perf_counter() - repair_started, 3),
    }
    plans = _plans(ctx, blocks, used, week_label, proven_unfit)
    objective = _objective(ctx, blocks)
    w1, w2, w3 = ctx.weights
    stats.update(
        weeks_requested=sum(a.length or len(a.request.weeks) for a in applicants),
        weeks_uncovered=sum(a.length or len(a.request.weeks) for a in applicants if a.index not in blocks),
        components_requested=sum(len(a.request.components) for a in applicants),
    )
    proven = proven and not repaired
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


def _full_size(ctx: _Context, a: _Applicant) -> int:
    """Block variables the full model would give this applicant (before pruning)."""
    return sum(a.length - length + 1 for s in ctx.sections for length in ctx.allowed_lengths(s, a.length))


def _greedy(ctx: _Context, usable: list[int], deadline: float | None, stats: dict):
    """A first plan: shortest stays first (more of them fit), better scores first among equals; each
    applicant gets their request in the first block order that fits, and whoever is left over then
    gets the best rotation the rules allow in the seats left."""
    started = time.perf_counter()
    applicants = ctx.applicants
    blocks: dict[int, list[Option]] = {}
    used: dict[Cell, int] = {}
    order = sorted((applicants[i] for i in usable), key=lambda a: (a.length, -a.score_points, a.index))
    _place_greedily(ctx, blocks, used, [a for a in order if a.valid_request], full=False)
    as_requested = len(blocks)
    _place_greedily(ctx, blocks, used, order, full=True, deadline=deadline)
    stats["greedy"] = {
        "placed_as_requested": as_requested,
        "placed": len(blocks),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return blocks


def _improve(
    ctx: _Context,
    usable: list[int],
    blocks: dict[int, list[Option]],
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
    applicants = ctx.applicants
    blocks = dict(blocks)
    used = _usage(blocks)
    occupants: dict[Cell, set[int]] = {}
    for index, chosen in blocks.items():
        for s, length, t in chosen:
            for w in range(t, t + length):
                occupants.setdefault((s, w), set()).add(index)

    def targets() -> list[int]:
        left_out = [i for i in usable if i not in blocks]
        left_out.sort(key=lambda i: (applicants[i].length, -applicants[i].score_points, i))
        partly = [i for i in usable if i in blocks and not _fully_honoured(ctx, i, blocks[i])]
        partly.sort(key=lambda i: (-applicants[i].score_points, i))
        return left_out + partly

    tried = improved = optimal = inserted = 0
    for target in targets():
        if deadline - time.perf_counter() < 0.2:
            break
        a = applicants[target]
        sections = list(a.wanted) if a.valid_request else ctx.sections
        touched: dict[int, int] = {}
        for s in sections:
            for w in range(a.t0, a.end):
                for index in occupants.get((s, w), ()):
                    touched[index] = touched.get(index, 0) + 1
        touched.pop(target, None)
        members = [target, *sorted(touched, key=lambda i: (-touched[i], i))[:neighbours]]
        modes = {i: not _fully_honoured(ctx, i, blocks.get(i)) for i in members}
        fixed = dict(used)
        for i in members:
            for s, length, t in blocks.get(i, ()):
                for w in range(t, t + length):
                    fixed[(s, w)] -= 1

        def seats(s, w, fixed=fixed):
            return ctx.seats(s, w) - fixed.get((s, w), 0)

        hint = {i: blocks[i] for i in members if i in blocks}
        limit = min(deadline - time.perf_counter(), 1.0)
        solution = _solve(ctx, modes, limit, workers, seed, hint=hint, seats=seats)
        tried += 1
        optimal += solution.proven_optimal
        if _objective(ctx, solution.blocks).as_tuple() > _objective(ctx, hint).as_tuple():
            improved += 1
            for i in members:
                for s, length, t in blocks.pop(i, ()):
                    for w in range(t, t + length):
                        occupants[(s, w)].discard(i)
            used = _usage({**blocks, **solution.blocks})
            # The moves may have freed seats for others left out in these weeks: try them at once.
            waiting = [
                b
                for b in (applicants[i] for i in usable if i not in blocks and i not in solution.blocks)
                if b.t0 < a.end and b.end > a.t0
            ]
            waiting.sort(key=lambda b: (b.length, -b.score_points, b.index))
            placed_now = dict(solution.blocks)
            inserted += _place_greedily(ctx, placed_now, used, waiting, full=True, node_limit=2_000)[0]
            for i, chosen in placed_now.items():
                blocks[i] = chosen
                for s, length, t in chosen:
                    for w in range(t, t + length):
                        occupants.setdefault((s, w), set()).add(i)
    stats["neighbourhoods"] = {
        "size": neighbours + 1,
        "tried": tried,
        "improved": improved,
        "proven_optimal": optimal,
        "placed_after": inserted,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return blocks


def _fully_honoured(ctx: _Context, index: int, chosen: list[Option] | None) -> bool:
    a = ctx.applicants[index]
    if not chosen or not a.valid_request:
        return False
    return all(s in a.wanted and a.wanted[s][0] == length for s, length, _ in chosen)


def _usage(blocks: Mapping[int, list[Option]]) -> dict[Cell, int]:
    used: dict[Cell, int] = {}
    for chosen in blocks.values():
        for s, length, t in chosen:
            for w in range(t, t + length):
                used[(s, w)] = used.get((s, w), 0) + 1
    return used


def _objective(ctx: _Context, blocks: Mapping[int, list[Option]]) -> Objective:
    placed = honour = score = 0
    for index, chosen in blocks.items():
        a = ctx.applicants[index]
        points = sum(a.wanted[s][1] for s, length, _ in chosen if s in a.wanted and a.wanted[s][0] == length)
        placed += 1
        honour += points
        score += a.score_points * (1 + points)
    return Objective(placed, honour, score)


def _place_greedily(
    ctx: _Context,
    blocks: dict[int, list[Option]],
    used: dict[Cell, int],
    candidates: Sequence[_Applicant],
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
            found, exhausted = _search(ctx, a, ctx.options(a, mode, open_cell), mode, node_limit)
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


# --- results and reasons -------------------------------------------------------------------


def _plans(ctx: _Context, blocks, used, week_label, proven_unfit) -> dict[ApplicantId, RotationPlan]:
    plans = {}
    for a in ctx.applicants:
        request = a.request
        chosen = blocks.get(a.index)
        if chosen:
            given = {s: length for s, length, _ in chosen}
            honoured = [c for c in request.components if given.get(c.section_id) == c.weeks]
            plans[request.id] = RotationPlan(
                request_id=request.id,
                blocks=[Block(s, t, t + length - 1) for s, length, t in chosen],
                honoured=sorted(honoured, key=lambda c: c.rank),
            )
        else:
            plans[request.id] = RotationPlan(
                request_id=request.id, reason=_reason(ctx, a, used, week_label, a.index in proven_unfit)
            )
    return plans


def _nearest_free_run(ctx: _Context, section, length: int, near: int, used) -> tuple[int, int] | None:
    """The run of `length` weeks with a free seat in `section` that starts closest to week `near`."""
    if ctx.section_weeks is None:
        ctx.section_weeks = {}
        for (s, w), seats in ctx.capacity.items():
            if seats and seats > 0:
                ctx.section_weeks.setdefault(s, []).append(w)
    free = {w for w in ctx.section_weeks.get(section, ()) if used.get((section, w), 0) < ctx.seats(section, w)}
    best = None
    for w in free:
        if all(w + i in free for i in range(1, length)):
            key = (abs(w - near), w)
            if best is None or key < best:
                best = key
    return None if best is None else (best[1], best[1] + length - 1)


def _reason(ctx: _Context, a: _Applicant, used, week_label, proven_unfit: bool) -> str:
    """Why an applicant is not placed, from the seats left once everybody else is placed."""
    if a.weeks_problem:
        return a.weeks_problem
    names = ctx.names
    period = weeks_phrase(range(a.t0, a.end), week_label)
    if not a.valid_request:
        problems = " ".join(a.request_problems)
        other = f" No rotation that fits the rules has a free seat for every week of {period}." if proven_unfit else ""
        return f"The request does not fit the programme rules: {problems}{other}"
    blocked = []
    tight = []
    window = range(a.t0, a.end)
    for s, (k, _) in sorted(a.wanted.items(), key=lambda item: -item[1][1]):
        no_room = [w for w in window if used.get((s, w), 0) >= ctx.seats(s, w)]
        if not no_room:
            continue
        name = name_of(s, names)
        free = [w for w in window if w not in no_room]
        if any(all(w + i in free for i in range(k)) for w in free):
            tight.append(f"{name} has room only in {weeks_phrase(free, week_label)}")
            continue
        closed = [w for w in no_room if ctx.seats(s, w) == 0]
        full = [w for w in no_room if ctx.seats(s, w) > 0]
        states = []
        if full:
            states.append(f"full in {weeks_phrase(full, week_label)}")
        if closed:
            states.append(f"closed in {weeks_phrase(closed, week_label)}")
        near = _nearest_free_run(ctx, s, k, a.t0, used)
        if near:
            where = f"nearest free weeks: {weeks_phrase(range(near[0], near[1] + 1), week_label, noun=False)}"
        else:
            where = f"it has no {k} free weeks in a row in the planning period"
        blocked.append(f"{name} is {' and '.join(states)}; {where}.")
    alternatives = (
        "No other combination of sections allowed by the programme fits the seats left in these weeks either."
        if proven_unfit
        else ""
    )
    if blocked:
        return " ".join([*blocked, alternatives]).strip()
    if tight:
        return (
            f"The requested sections cannot be fitted together into {period} with the seats left: "
            f"{join_words(tight)}. {alternatives}"
        ).strip()
    if proven_unfit:
        return f"No rotation that fits the programme rules has a free seat for every week of {period}."
    return f"The planner ran out of time before it could place this request for {period}; run it again."
