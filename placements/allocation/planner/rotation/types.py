"""What goes in and comes out of rotation planning: requests, blocks, plans and the result."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

ApplicantId = Hashable
SectionId = Hashable
Cell = tuple[SectionId, int]


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
    def placed_upper_bound(self) -> int:
        """No plan can place more: the best of the bounds known (the weekly seats, the exact model's)."""
        return int(self.stats.get("placed_upper_bound", self.placed_count))

    @property
    def gap(self) -> float:
        """How far the placed count may be from the best possible, as a share of the bound."""
        return float(self.stats.get("gap", 0.0))

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
