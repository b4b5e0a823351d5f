"""The best schedule for one applicant on their own, by depth-first search over their blocks.

Used for the greedy start, for applicants whose cells can never overflow (planned outside the
model), and to place whoever fits in seats freed or left over.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

from placements.allocation.planner.rotation.instance import BIG, Applicant, Context, Option
from placements.allocation.planner.rotation.types import SectionId

SEARCH_NODE_LIMIT = 20_000


def search_applicant(
    ctx: Context, a: Applicant, options: list[Option], full: bool, node_limit: int
) -> tuple[list[Option] | None, bool]:
    """Best schedule for one applicant over `options`: (blocks or None, whether the search was complete)."""
    if not options:
        return None, True
    if not full:
        return _search_requested(a, options), True
    return _FullSearch(ctx, a, options, node_limit).run()


def _search_requested(a: Applicant, options: list[Option]) -> list[Option] | None:
    """An order of the requested blocks that tiles the period (most wanted blocks tried first)."""
    pairs = [(s, k) for s, (k, _) in sorted(a.wanted.items(), key=lambda item: -item[1][1])]
    starts: dict[tuple[SectionId, int], list[int]] = {}
    for s, k, t in options:
        starts.setdefault((s, k), []).append(t)
    return _tile(a, pairs, lambda s, k: starts.get((s, k), ()))


def _tile(
    a: Applicant, pairs: list[tuple[SectionId, int]], starts: Callable[[SectionId, int], Sequence[int]]
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

    def __init__(self, ctx: Context, a: Applicant, options: list[Option], node_limit: int):
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


def _composition_ok(ctx: Context, used: Mapping[SectionId, int]) -> bool:
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
