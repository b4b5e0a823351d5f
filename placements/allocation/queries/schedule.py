"""An application's schedule as its applicant sees it: offered or confirmed placements, week by week."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from placements.allocation.enums import SEAT_HOLDING_STATES, PlacementStatus
from placements.allocation.models import Placement


@dataclass(frozen=True)
class ScheduleWeek:
    number: int
    monday: date
    friday: date
    department: str
    institution: str


@dataclass
class ScheduleBlock:
    placement: Placement
    weeks: list[ScheduleWeek] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        return self.placement.start_week

    @property
    def last_day(self) -> date:
        return self.placement.end_date


@dataclass
class Schedule:
    blocks: list[ScheduleBlock]
    deadline: datetime | None

    @property
    def weeks(self) -> list[ScheduleWeek]:
        return [week for block in self.blocks for week in block.weeks]

    @property
    def total_weeks(self) -> int:
        return sum(block.placement.weeks for block in self.blocks)

    def __bool__(self) -> bool:
        return bool(self.blocks)


def schedule_placements(application) -> list[Placement]:
    return list(
        Placement.objects.filter(application=application, status__in=SEAT_HOLDING_STATES)
        .select_related("department__institution")
        .order_by("start_week", "pk")
    )


def applicant_schedule(application, placements: list[Placement] | None = None) -> Schedule:
    """The placements offered to or confirmed for `application` (proposals stay internal)."""
    placements = schedule_placements(application) if placements is None else placements
    blocks = []
    for placement in placements:
        block = ScheduleBlock(placement=placement)
        for monday in placement.week_list():
            block.weeks.append(
                ScheduleWeek(
                    number=monday.isocalendar().week,
                    monday=monday,
                    friday=monday + timedelta(days=4),
                    department=placement.department.name,
                    institution=str(placement.department.institution),
                )
            )
        blocks.append(block)
    deadlines = [p.offer_deadline for p in placements if p.offer_deadline and p.status == PlacementStatus.OFFERED]
    return Schedule(blocks=blocks, deadline=min(deadlines) if deadlines else None)
