"""The CP-SAT model of a group of applicants: time-indexed block starts, cover, seats and rules.

Written straight into the model proto by variable index (see `ProtoWriter`); the variables of each
applicant are kept so that a solution can be read back as blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from ortools.sat.python import cp_model

from placements.allocation.planner.rotation.instance import BIG, Applicant, Context, Option
from placements.allocation.planner.rotation.types import Cell, SectionId


class ProtoWriter:
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


class RotationModel:
    """The model of the applicants added to it: a capacity constraint only on the `binding` cells
    (those more applicants can reach than they have seats), and `hint` (a complete plan, or None)
    as the solver's starting point."""

    def __init__(self, ctx: Context, binding: set[Cell], hint: Mapping[int, list[Option]] | None):
        self.ctx = ctx
        self.binding = binding
        self.hint_plan = hint
        self.writer = ProtoWriter()
        self.objective_vars: list[int] = []
        self.objective_coeffs: list[int] = []
        self.cell_vars: dict[Cell, list[int]] = {cell: [] for cell in binding}
        self.decoded: list[tuple[int, int, range, list[Option]]] = []
        self.placed_vars: list[int] = []
        self.hint_vars: list[int] = []
        self.hint_values: list[int] = []

    def add_applicant(self, index: int, full: bool, opts: list[Option], must: bool = False) -> None:
        """One applicant, with all blocks and the rules (`full`) or only the requested blocks, each once;
        placed in every plan when `must`."""
        m = self.writer
        a = self.ctx.applicants[index]
        w1, w2, w3 = self.ctx.weights
        placed = m.bools(1)[0]
        if must:
            m.linear([placed], [1], 1, 1)
        xs = m.bools(len(opts))
        not_placed = m.negated(placed)
        self.objective_vars.append(placed)
        self.placed_vars.append(placed)
        honour_if_placed = 0 if full else a.honour_total  # as requested: every component is given
        self.objective_coeffs.append(w1 + (w2 + w3 * a.score_points) * honour_if_placed + w3 * a.score_points)
        cover, per_section, per_section_length = self._add_blocks(a, full, xs, opts, not_placed)
        for week_literals in cover:
            m.exactly_one(week_literals)  # covered once if placed, not at all otherwise
        pattern_vars = []
        if full:
            pattern_vars = _add_rule_constraints(self.ctx, m, placed, per_section, per_section_length)
        else:
            for section_vars in per_section.values():
                m.exactly_one([*section_vars, not_placed])  # each requested block once
        self.decoded.append((index, placed, xs, opts))
        if self.hint_plan is not None:
            self._add_hint(index, placed, xs, opts, pattern_vars)

    def _add_blocks(self, a: Applicant, full: bool, xs: range, opts: list[Option], not_placed: int):
        """File each block variable under the weeks it covers, its binding cells, its section and (full
        model) its section and length; a block that gives a requested component exactly earns its points."""
        _, w2, w3 = self.ctx.weights
        binding, cell_vars = self.binding, self.cell_vars
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
                    self.objective_vars.append(x)
                    self.objective_coeffs.append((w2 + w3 * a.score_points) * asked[1])
        return cover, per_section, per_section_length

    def _add_hint(self, index: int, placed: int, xs: range, opts: list[Option], pattern_vars) -> None:
        rules = self.ctx.rules
        chosen = set(self.hint_plan.get(index, ()))
        self.hint_vars.append(placed)
        self.hint_values.append(1 if chosen else 0)
        self.hint_vars.extend(xs)
        self.hint_values.extend(1 if option in chosen else 0 for option in opts)
        for group_id, q in pattern_vars:
            lengths = [length for s, length, _ in chosen if rules.sections[s].group == group_id]
            patterns = rules.groups[group_id].patterns
            pick = next((j for j, p in enumerate(patterns) if lengths and p.matches(lengths)), None)
            self.hint_vars.extend(q)
            self.hint_values.extend(1 if j == pick else 0 for j in range(len(q)))

    def finish(self, seats: Callable[[SectionId, int], int], at_least: int = 0) -> cp_model.CpModel:
        """Add the seats of the binding cells, the objective and the hint; the model to solve. With
        `at_least`, every plan places at least that many of the applicants in the model."""
        m = self.writer
        if at_least > 0:
            m.linear(self.placed_vars, [1] * len(self.placed_vars), at_least, len(self.placed_vars))
        for cell, cell_literals in self.cell_vars.items():
            if len(cell_literals) > seats(*cell):
                m.at_most(cell_literals, seats(*cell))
        m.maximize(self.objective_vars, self.objective_coeffs)
        if self.hint_vars:
            m.hint(self.hint_vars, self.hint_values)
        return m.model

    def blocks(self, values) -> dict[int, list[Option]]:
        """The blocks of each placed applicant in a solution, in week order."""
        blocks: dict[int, list[Option]] = {}
        for index, placed, xs, opts in self.decoded:
            if values[placed]:
                blocks[index] = sorted((o for x, o in zip(xs, opts, strict=True) if values[x]), key=lambda o: o[2])
        return blocks


def _add_rule_constraints(
    ctx: Context, m: ProtoWriter, placed: int, per_section, per_section_length
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
