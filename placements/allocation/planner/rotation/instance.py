"""The instance prepared for planning: applicants with their requests checked, the objective weights,
the blocks each applicant could be given, and the figures of a plan (seats used, objective)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from placements.allocation.planner.explain import gettext, weeks_count
from placements.allocation.planner.rotation.types import Cell, Objective, RotationRequest, SectionId
from placements.allocation.planner.rules import composition_problems

SCORE_SCALE = 100
BIG = 1 << 30  # beyond any sum in a linear constraint or any points of a search

Option = tuple[SectionId, int, int]  # (section, length, first week)
Blocks = Mapping[int, list[Option]]  # applicant index -> blocks, for placed applicants


@dataclass
class Applicant:
    index: int
    request: RotationRequest
    t0: int = 0
    length: int = 0  # weeks in the period; 0 when the weeks are unusable
    weeks_problem: str | None = None
    request_problems: list[str] = field(default_factory=list)
    wanted: dict[SectionId, tuple[int, int]] = field(default_factory=dict)  # section -> (weeks, weight)
    # The sections it may be given: a section that cannot stand alone is an add-on (nuclear
    # medicine, say), given only to those who asked for it.
    sections: list[SectionId] | None = None  # None: any section (a probe of the rules)
    honour_total: int = 0
    score_points: int = 0

    @property
    def valid_request(self) -> bool:
        return self.length > 0 and not self.request_problems

    @property
    def end(self) -> int:
        return self.t0 + self.length


class Context:
    """Requests, seats and rules of one run, with what every phase of the planner looks up."""

    def __init__(self, requests, capacity, rules, names):
        self.rules = rules
        self.names = names
        self.capacity = capacity
        self.sections = list(rules.sections)
        self.section_order = {s: i for i, s in enumerate(self.sections)}
        self.applicants: list[Applicant] = []
        ranks = [c.rank for r in requests for c in r.components] or [1]
        self.max_rank = max(1, max(ranks))
        ids = set()
        for i, request in enumerate(requests):
            if request.id in ids:
                raise ValueError(f"Request id {request.id!r} appears twice.")
            ids.add(request.id)
            self.applicants.append(self._prepare(i, request))
        self.honour_total = sum(a.honour_total for a in self.applicants)
        scores = [float(r.score) for r in requests] or [0.0]
        self.weights = self._score_weights(min(scores))
        self._length_cache: dict[tuple[SectionId, int], list[int]] = {}
        self.section_weeks: dict[SectionId, list[int]] | None = None
        self.rotation_lengths: dict[int, bool] = {}  # stay length -> whether the rules allow a rotation

    def _score_weights(self, low: float) -> tuple[int, int, int]:
        """Set each applicant's score points and return the weights (W1, W2, W3) of the objective.

        Keeps the weighted objective exact in the solver's floating-point relaxation (below 2**53):
        very large instances count scores to one decimal, or in whole points, or not at all.
        """
        self.score_scale = SCORE_SCALE
        while True:
            for a in self.applicants:
                a.score_points = round(self.score_scale * (float(a.request.score) - low))
            self.score_total = sum(a.score_points * (1 + a.honour_total) for a in self.applicants)
            w3 = 1
            w2 = self.score_total + 1
            w1 = w2 * (self.honour_total + 1)
            if w1 * (len(self.applicants) + 1) < 2**53 or self.score_scale == 0:
                return (w1, w2, w3)
            self.score_scale = self.score_scale // 10

    def weight(self, rank: int) -> int:
        return max(1, self.max_rank + 1 - rank)

    def seats(self, section: SectionId, week: int) -> int:
        return max(0, int(self.capacity.get((section, week), 0) or 0))

    def _prepare(self, index: int, request: RotationRequest) -> Applicant:
        a = Applicant(index=index, request=request)
        weeks = sorted(request.weeks)
        if not weeks:
            a.weeks_problem = gettext("No weeks were requested.")
        elif len(set(weeks)) != len(weeks) or weeks[-1] - weeks[0] + 1 != len(weeks):
            a.weeks_problem = gettext("The requested weeks are not one consecutive period.")
        else:
            a.t0, a.length = weeks[0], len(weeks)
        for component in sorted(request.components, key=lambda c: c.rank):
            if component.section_id not in a.wanted:
                a.wanted[component.section_id] = (int(component.weeks), self.weight(component.rank))
        a.honour_total = sum(weight for _, weight in a.wanted.values())
        a.sections = [s for s in self.sections if s in a.wanted or self.rules.sections[s].may_stand_alone]
        problems = []
        if len(a.wanted) != len(request.components):
            problems.append(gettext("A section is requested more than once."))
        lengths = {s: k for s, (k, _) in a.wanted.items()}
        problems += composition_problems(lengths, self.rules, self.names)
        asked = sum(lengths.values())
        if a.length and asked != a.length:
            problems.append(
                gettext("The requested sections add up to %(asked)s, but the period is %(period)s.")
                % {"asked": weeks_count(asked), "period": weeks_count(a.length)}
            )
        a.request_problems = problems
        return a

    def allowed_lengths(self, section: SectionId, total: int) -> list[int]:
        key = (section, total)
        if key not in self._length_cache:
            self._length_cache[key] = self.rules.allowed_lengths(section, total)
        return self._length_cache[key]

    def options(self, a: Applicant, full: bool, open_cell: Callable[[SectionId, int], bool]) -> list[Option]:
        """Blocks the applicant could be given, pruned to those that can be part of a tiling."""
        if not a.length:
            return []
        if full:
            sections = self.sections if a.sections is None else a.sections
            pairs = [(s, length) for s in sections for length in self.allowed_lengths(s, a.length)]
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


# --- figures of a plan ---------------------------------------------------------------------


def fully_honoured(ctx: Context, index: int, chosen: list[Option] | None) -> bool:
    a = ctx.applicants[index]
    if not chosen or not a.valid_request:
        return False
    return all(s in a.wanted and a.wanted[s][0] == length for s, length, _ in chosen)


def usage(blocks: Blocks) -> dict[Cell, int]:
    used: dict[Cell, int] = {}
    for chosen in blocks.values():
        for s, length, t in chosen:
            for w in range(t, t + length):
                used[(s, w)] = used.get((s, w), 0) + 1
    return used


def objective_of(ctx: Context, blocks: Blocks) -> Objective:
    placed = honour = score = 0
    for index, chosen in blocks.items():
        a = ctx.applicants[index]
        points = sum(a.wanted[s][1] for s, length, _ in chosen if s in a.wanted and a.wanted[s][0] == length)
        placed += 1
        honour += points
        score += a.score_points * (1 + points)
    return Objective(placed, honour, score)
