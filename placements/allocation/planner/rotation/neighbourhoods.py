"""Which applicants the neighbourhood search re-plans together next.

While someone is left out, every other neighbourhood is an "exchange" (see `exchange`): those to
take out and those to put in so that more stays fit the seats of every week, with those holding
seats in the newcomers' weeks: can the group place one more than now? (a feasibility question).
Once the weekly seats allow no more than are placed, or nobody is left out, the others go on in turn:

* "insert": an applicant without a seat who has a seat left in every week of their stay (each in
  turn, again and again) and the applicants holding the most seats in their weeks (of the sections
  they ask for, or of any section): can they all be placed at once? (a feasibility question,
  quickly settled; someone whose stay crosses a week full in every section cannot be placed without
  somebody leaving, which is the exchange's and the "left out" question);
* "left out": the same, with others left out in those weeks: can the group place one more than now,
  whoever it is? (a feasibility question too);
* "full": a few weeks around a seat that is taken in a section and week that are full (weeks full
  in more sections first), with the applicants who hold seats there or are left out there;
* "random": the weeks of a random applicant, and a random choice of those who overlap them.

Once the neighbourhoods have grown to hold everybody, the "full" turns solve the whole instance at
once (which proves the plan optimal when the solver finishes). Ties among candidates are broken at
random, so that the same target meets different companions. Each neighbourhood is either "mixed"
(those given their request keep it and only move their blocks) or "full" (everybody may get any
rotation the rules allow); the number of members of each grows while the solver settles its
neighbourhoods in time and shrinks when it cannot.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from placements.allocation.planner.rotation.exchange import ExchangeGuide
from placements.allocation.planner.rotation.instance import Context, Option, fully_honoured
from placements.allocation.planner.rotation.types import Cell

KINDS = ("insert", "left out", "full", "random")
# While someone is left out, half the turns try to place one more.
TURNS = ("insert", "left out", "full", "insert", "left out", "random")
MIN_SIZE = 4
MAX_SIZE = {"mixed": 40, "full": 24, "exchange": 24}


@dataclass
class Neighbourhood:
    kind: str
    members: list[int]
    modes: dict[int, bool]  # member -> full?
    policy: str  # "mixed", "full" or "exchange" (everybody full): which size it takes
    must_place: set[int] = field(default_factory=set)  # "insert": the target and the members placed now
    at_least: int = 0  # "left out" and "exchange": one more than the members placed now
    newcomers: list[int] = field(default_factory=list)  # "exchange": those it would put in
    effort: float = 1.0  # times the usual seconds: more for an exchange tried before in vain


@dataclass
class PlanState:
    """The current plan, with the seats it uses, who sits in each cell and the seats taken each week."""

    ctx: Context
    usable: list[int]
    blocks: dict[int, list[Option]]
    used: dict[Cell, int] = field(default_factory=dict)
    occupants: dict[Cell, set[int]] = field(default_factory=dict)
    week_free: dict[int, int] = field(default_factory=dict)  # seats left in each week, all sections

    def __post_init__(self):
        for (s, w), seats in self.ctx.capacity.items():
            if s in self.ctx.rules.sections and seats and seats > 0:
                self.week_free[w] = self.week_free.get(w, 0) + int(seats)
        for index, chosen in list(self.blocks.items()):
            self.occupy(index, chosen)

    def occupy(self, index: int, chosen: list[Option]) -> None:
        self.blocks[index] = chosen
        for s, length, t in chosen:
            for w in range(t, t + length):
                self.occupants.setdefault((s, w), set()).add(index)
                self.used[(s, w)] = self.used.get((s, w), 0) + 1
                self.week_free[w] -= 1

    def vacate(self, index: int) -> None:
        for s, length, t in self.blocks.pop(index, ()):
            for w in range(t, t + length):
                self.occupants[(s, w)].discard(index)
                self.used[(s, w)] -= 1
                self.week_free[w] += 1

    def left_out(self) -> list[int]:
        """Those without a seat: first those with a seat left in every week of their stay (in some
        section), then by how many of their weeks are full; shorter stays and better scores first."""
        applicants, week_free = self.ctx.applicants, self.week_free

        def key(i):
            a = applicants[i]
            full_weeks = sum(1 for w in range(a.t0, a.end) if week_free.get(w, 0) <= 0)
            return (full_weeks, a.length, -a.score_points, i)

        return sorted((i for i in self.usable if i not in self.blocks), key=key)


class Chooser:
    """Picks the next neighbourhood from the current plan, and sizes them by how the solver fared."""

    def __init__(self, state: PlanState, rng: random.Random, size: int):
        self.state, self.rng = state, rng
        self.size = {"mixed": max(MIN_SIZE, size), "full": max(MIN_SIZE, size // 2)}
        self.size["exchange"] = self.size["full"]
        self.turn = 0
        self.next_left_out = 0
        self.guide = ExchangeGuide(state.ctx, state.usable, rng)
        self.exchanges: list[tuple[list[int], list[int]]] = []
        self.exchange_turn = False
        self.exchanges_over = False  # the weekly seats allow no more than are placed
        self.exchange_tries: dict[frozenset[int], int] = {}
        weeks = [a.t0 + i for a in state.ctx.applicants if a.length for i in range(a.length)]
        self.horizon = (min(weeks), max(weeks) + 1) if weeks else (0, 0)

    def next(self) -> Neighbourhood | None:
        if not self.state.usable:
            return None
        left_out = self.state.left_out()
        self.exchange_turn = not self.exchange_turn
        if left_out and self.exchange_turn and not self.exchanges_over:
            hood = self._exchange()
            if hood is not None:
                return hood
        self.turn += 1
        policy = "full" if self.turn % 2 == 0 else "mixed"
        # Once the weekly seats allow no more, the turns go to honouring requests.
        kinds = TURNS if left_out and not self.exchanges_over else KINDS[2:]
        kind = kinds[(self.turn // 2) % len(kinds)]
        if kind == "insert" and self._full_weeks(left_out[0]):
            kind = "left out"  # everybody left out crosses a full week: somebody has to leave
        if kind == "insert":
            policy = "full"  # room for one more is found by moving people to other sections too
        if policy == "full" and self.size["full"] >= len(self.state.usable):
            kind = "whole"  # the neighbourhoods have grown to everybody: one exact model of it all
        if kind == "whole":
            members = list(self.state.usable)
        elif kind == "insert":
            members = self._around_left_out(self.size[policy], companions=False)
        elif kind == "left out":
            members = self._around_left_out(self.size[policy])
        elif kind == "full":
            members = self._around_full_cell(self.size[policy])
        else:
            members = self._around_random(self.size[policy])
        if not members:
            members = self._around_random(self.size[policy])
        ctx, blocks = self.state.ctx, self.state.blocks
        modes = {i: policy == "full" or not fully_honoured(ctx, i, blocks.get(i)) for i in members}
        placed = [i for i in members if i in blocks]
        must = {members[0], *placed} if kind == "insert" else set()
        at_least = len(placed) + 1 if kind == "left out" else 0
        return Neighbourhood(kind, members, modes, policy, must, at_least)

    def feedback(self, hood: Neighbourhood, settled: bool, better: bool) -> None:
        """Larger neighbourhoods while the solver settles them in time, smaller when it cannot; a new
        exchange once the plan has changed, other newcomers next time after one that failed."""
        if better:
            self.exchanges = []
        elif hood.kind == "exchange":
            self.guide.failed(hood.newcomers)
        size = self.size[hood.policy]
        # Near the size is enough: a window of weeks often holds fewer, and on a small instance the
        # neighbourhoods must still grow to everybody (where the solver can prove the plan optimal).
        if settled and 4 * len(hood.members) >= 3 * size:
            self.size[hood.policy] = min(MAX_SIZE[hood.policy], size + max(1, size // 8))
        elif not settled and (hood.kind == "exchange" or not (hood.must_place or hood.at_least)):
            # A feasibility question may just be hard, but an exchange has to be settled to be of use.
            self.size[hood.policy] = max(MIN_SIZE, size - max(1, size // 5))

    # --- the kinds -------------------------------------------------------------------------------

    def _exchange(self) -> Neighbourhood | None:
        """The next group of the exchange towards a set of stays that fits the weekly seats, with those
        holding seats in the newcomers' weeks (the tightest weeks count most)."""
        state = self.state
        if not self.exchanges:
            full_weeks = {w for w, free in state.week_free.items() if free <= 0}
            groups = self.guide.groups(set(state.blocks), full_weeks)
            if not groups:
                self.exchanges_over = groups is None
                return None
            self.exchanges = groups
        leaving, newcomers = self.exchanges.pop()
        applicants, week_free, occupants = state.ctx.applicants, state.week_free, state.occupants
        core = [*newcomers, *leaving]
        weight: dict[int, float] = {}
        for i in newcomers:
            a = applicants[i]
            for w in range(a.t0, a.end):
                tightness = 1.0 / (1 + max(0, week_free.get(w, 0)))
                for s in a.sections:
                    for holder in occupants.get((s, w), ()):
                        weight[holder] = weight.get(holder, 0.0) + tightness
        noise = {i: self.rng.uniform(0.5, 1.0) for i in weight}  # other companions for a group tried before
        holders = sorted((i for i in weight if i not in core), key=lambda i: -weight[i] * noise[i])
        members = [*core, *holders[: max(MIN_SIZE, self.size["exchange"] - len(core))]]
        placed = sum(1 for i in members if i in state.blocks)
        modes = dict.fromkeys(members, True)
        # The same exchange again (the weekly seats may allow no other) gets twice the time, up to 8 times.
        tries = self.exchange_tries.get(frozenset(core), 0)
        self.exchange_tries[frozenset(core)] = tries + 1
        hood = Neighbourhood("exchange", members, modes, "exchange", at_least=placed + 1, newcomers=newcomers)
        hood.effort = float(2 ** min(tries, 3))
        return hood

    def _full_weeks(self, index: int) -> int:
        a, week_free = self.state.ctx.applicants[index], self.state.week_free
        return sum(1 for w in range(a.t0, a.end) if week_free.get(w, 0) <= 0)

    def _around_left_out(self, size: int, companions: bool = True) -> list[int]:
        left_out = self.state.left_out()
        if not companions:  # "insert": only those with a seat left in every week of their stay
            left_out = [i for i in left_out if not self._full_weeks(i)] or left_out
        target = left_out[self.next_left_out % len(left_out)]
        self.next_left_out += 1
        a = self.state.ctx.applicants[target]
        wanted_only = a.valid_request and self.rng.random() < 0.5
        sections = list(a.wanted) if wanted_only else self.state.ctx.sections
        others = [i for i in left_out if companions and i != target and self._overlaps(i, a.t0, a.end)]
        self.rng.shuffle(others)
        touched = self._holders(sections, a.t0, a.end)
        return [target, *others[: max(1, size // 8)], *self._ranked(touched)][:size]

    def _around_full_cell(self, size: int) -> list[int]:
        state = self.state
        full = [cell for cell, n in state.used.items() if n > 0 and n >= state.ctx.seats(*cell)]
        if not full:
            return []
        per_week: dict[int, int] = {}
        for _, w in full:
            per_week[w] = per_week.get(w, 0) + 1
        _, week = self.rng.choices(full, [per_week[w] for _, w in full])[0]
        radius = self.rng.randint(0, 3)
        start, end = week - radius, week + radius + 1
        touched = self._holders(state.ctx.sections, start, end)
        left_out = [i for i in state.left_out() if self._overlaps(i, start, end)]
        self.rng.shuffle(left_out)
        return [*left_out[: max(1, size // 4)], *self._ranked(touched)][:size]

    def _around_random(self, size: int) -> list[int]:
        applicants = self.state.ctx.applicants
        seed = applicants[self.rng.choice(self.state.usable)]
        overlapping = [i for i in self.state.usable if i != seed.index and self._overlaps(i, seed.t0, seed.end)]
        self.rng.shuffle(overlapping)
        return [seed.index, *overlapping[: size - 1]]

    # --- helpers ---------------------------------------------------------------------------------

    def _overlaps(self, index: int, start: int, end: int) -> bool:
        a = self.state.ctx.applicants[index]
        return a.t0 < end and a.end > start

    def _holders(self, sections, start: int, end: int) -> dict[int, int]:
        """Applicants holding seats of `sections` in weeks [start, end), with how many each holds."""
        occupants = self.state.occupants
        touched: dict[int, int] = {}
        for s in sections:
            for w in range(start, end):
                for index in occupants.get((s, w), ()):
                    touched[index] = touched.get(index, 0) + 1
        return touched

    def _ranked(self, touched: dict[int, int]) -> list[int]:
        """Most seats held first; equal holders in random order."""
        noise = {i: self.rng.random() for i in touched}
        return sorted(touched, key=lambda i: (-touched[i], noise[i]))
