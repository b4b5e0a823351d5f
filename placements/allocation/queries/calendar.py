"""The capacity calendar: departments x weeks, seats used and free, in a fixed number of queries.

Whatever the number of departments and placements, a calendar costs one query for the departments,
one for the capacity overrides and one for the placements of the shown weeks, aggregated by
department, first week, length and status (the open seat proposals shown above it cost one more, in
`open_seat_proposals`); each department's weeks are then counted in one pass over its runs.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from applicants.enums import WAITING_STATES
from placements.allocation.enums import ACTIVE_STATES, SEAT_HOLDING_STATES, SeatProposalStatus
from placements.allocation.models import CapacityOverride, Placement, SeatProposal
from placements.catalogue.models import Department, department_label

WEEKS_SHOWN = 52

# Fill level of a cell -> its CSS class (static/css/calendar.css) and its word in the legend.
LEVELS = {
    "free": gettext_lazy("No seat used"),
    "partly": gettext_lazy("Some seats used"),
    "full": pgettext_lazy("capacity", "Full"),
    "closed": gettext_lazy("Closed (no seats this week)"),
    "over": gettext_lazy("Over capacity"),
}


@dataclass(frozen=True)
class Cell:
    department: Department
    week: date
    capacity: int
    used: int
    proposed: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.used, 0)

    @property
    def level(self) -> str:
        if self.used > self.capacity:
            return "over"
        if self.capacity == 0:
            return "closed"
        if self.used == self.capacity:
            return "full"
        return "partly" if self.used else "free"

    @property
    def label(self) -> str:
        """What a screen reader says and a tooltip shows."""
        return self.label_for(self.department.label)

    def label_for(self, name: str) -> str:
        """The label with the department called `name` (the grid passes it escaped once per row)."""
        values = {"name": name, "week": self.week.isocalendar().week, "used": self.used, "capacity": self.capacity}
        if self.capacity == 0 and not self.used:
            text = gettext("%(name)s, week %(week)d: closed") % values
        else:
            text = (
                ngettext(
                    "%(name)s, week %(week)d: %(used)d of %(capacity)d seat used",
                    "%(name)s, week %(week)d: %(used)d of %(capacity)d seats used",
                    self.capacity,
                )
                % values
            )
        if self.proposed:
            text = gettext("%(seats)s, %(proposed)d proposed") % {"seats": text, "proposed": self.proposed}
        return text


@dataclass
class Row:
    department: Department
    is_section: bool
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Group:
    """The rows of one department and its sections; `title` is set when the parent has no row itself."""

    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Calendar:
    start: date
    weeks: list[date]
    groups: list[Group]

    @property
    def end(self) -> date:
        return self.weeks[-1] + timedelta(days=4)


def weeks_from(start: date, count: int = WEEKS_SHOWN) -> list[date]:
    return [start + timedelta(weeks=i) for i in range(count)]


def offered_departments(programme_ids) -> list[Department]:
    """The departments that `programme_ids` offer, each once, with their parent and institution."""
    return list(
        Department.objects.filter(offerings__programme_id__in=list(programme_ids))
        .select_related("institution", "parent")
        .distinct()
    )


def _grouped(departments: list[Department]) -> list[tuple[str, list[tuple[Department, bool]]]]:
    """Departments under their parent: (group title, [(department, is_section)]), in a stable order."""
    groups: dict[tuple, list[tuple[Department, bool]]] = defaultdict(list)
    for department in departments:
        head = department.parent or department
        key = (department.institution.name, head.name, head.pk, str(department.institution))
        groups[key].append((department, department.parent_id is not None))
    result = []
    for (_, head_name, head_id, institution), members in sorted(groups.items()):
        members.sort(key=lambda item: (item[1], item[0].name))
        has_own_row = any(department.pk == head_id for department, _ in members)
        title = "" if has_own_row else department_label(head_name, institution)
        result.append((title, members))
    return result


def capacity_calendar(*, programme_ids, start: date, count: int = WEEKS_SHOWN) -> Calendar:
    """Seats used, capacity and proposals per department and week for the departments of `programme_ids`.

    Seats are used by offered and confirmed placements of any programme (a department's capacity
    is shared); proposed placements are counted apart, since they hold nothing yet.
    """
    weeks = weeks_from(start, count)
    departments = offered_departments(programme_ids)
    ids = [d.pk for d in departments]
    overrides = {
        (o.department_id, o.week): o.capacity
        for o in CapacityOverride.objects.filter(department_id__in=ids, week__gte=weeks[0], week__lte=weeks[-1]).only(
            "department_id", "week", "capacity"
        )
    }
    used, proposed = _occupancy(ids, weeks)
    nothing = [0] * len(weeks)
    groups = []
    for title, members in _grouped(departments):
        group = Group(title=title)
        for department, is_section in members:
            row = Row(department=department, is_section=is_section)
            used_of, proposed_of = used.get(department.pk, nothing), proposed.get(department.pk, nothing)
            for i, week in enumerate(weeks):
                row.cells.append(
                    Cell(
                        department=department,
                        week=week,
                        capacity=overrides.get((department.pk, week), department.weekly_capacity),
                        used=used_of[i],
                        proposed=proposed_of[i],
                    )
                )
            group.rows.append(row)
        groups.append(group)
    return Calendar(start=weeks[0], weeks=weeks, groups=groups)


def _occupancy(department_ids, weeks: list[date]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Seats used and proposed per department and shown week, from one aggregated query: placements
    with the same department, first week, length and status come as one row with their number."""
    runs = (
        Placement.objects.filter(
            department_id__in=department_ids,
            status__in=ACTIVE_STATES,
            start_week__lte=weeks[-1],
            end_week__gte=weeks[0],
        )
        .order_by()
        .values_list("department_id", "start_week", "weeks", "status")
        .annotate(n=Count("*"))
    )
    # Each run adds its number at its first shown week and takes it off after its last one.
    changes: dict[str, dict[int, list[int]]] = {"used": {}, "proposed": {}}
    for department_id, first, length, status, n in runs:
        offset, rest = divmod((first - weeks[0]).days, 7)
        if rest:
            continue  # a placement always starts on a Monday, as the shown weeks do
        start, end = max(offset, 0), min(offset + length, len(weeks))
        if start < end:
            kind = "used" if status in SEAT_HOLDING_STATES else "proposed"
            steps = changes[kind].setdefault(department_id, [0] * (len(weeks) + 1))
            steps[start] += n
            steps[end] -= n
    return _running_totals(changes["used"]), _running_totals(changes["proposed"])


def _running_totals(changes: dict[int, list[int]]) -> dict[int, list[int]]:
    totals = {}
    for department_id, steps in changes.items():
        running, values = 0, []
        for step in steps[:-1]:
            running += step
            values.append(running)
        totals[department_id] = values
    return totals


@dataclass(frozen=True)
class WeekOccupancy:
    department: Department
    week: date
    capacity: int
    used: int
    placements: list[Placement]  # of the viewer's programmes only
    hidden: int  # seats held by placements of programmes the viewer does not coordinate


def week_occupancy(*, department: Department, week: date, programme_ids) -> WeekOccupancy:
    """Who is in `department` in `week`: the viewer's programmes by name, the others only counted."""
    override = CapacityOverride.objects.filter(department=department, week=week).values_list("capacity", flat=True)
    capacity = next(iter(override), department.weekly_capacity)
    placements = list(
        Placement.objects.filter(
            department=department, status__in=ACTIVE_STATES, start_week__lte=week, end_week__gte=week
        )
        .select_related("application__applicant", "application__programme")
        .order_by("status", "application__applicant__last_name", "application__applicant__first_name", "pk")
    )
    visible = set(programme_ids)
    mine = [p for p in placements if p.application.programme_id in visible]
    holding = [p for p in placements if p.status in SEAT_HOLDING_STATES]
    hidden = sum(1 for p in holding if p.application.programme_id not in visible)
    return WeekOccupancy(
        department=department, week=week, capacity=capacity, used=len(holding), placements=mine, hidden=hidden
    )


def open_seat_proposals(*, programme_ids):
    """Open proposals of `programme_ids` whose suggested application still waits for a seat."""
    return (
        SeatProposal.objects.filter(
            programme_id__in=list(programme_ids),
            status=SeatProposalStatus.OPEN,
            application__status__in=WAITING_STATES,
        )
        .select_related("department", "application__applicant")
        .order_by("start_week", F("application__review_score").desc(nulls_last=True), "pk")
    )
