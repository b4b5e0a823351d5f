"""Weekly capacity: how many seats a department has in a week, how many are held, and assigning
placements without ever overbooking (department rows are locked while seats are counted)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from placements.allocation import workflow as placement_workflow
from placements.allocation.enums import SEAT_HOLDING_STATES, PlacementStatus
from placements.allocation.models import CapacityOverride, Placement, monday_of
from placements.catalogue.models import Department
from placements.catalogue.validation import ComponentChoice, validate_choice


class CapacityError(Exception):
    """Saving would put a department over its capacity; the message names the weeks."""


@dataclass(frozen=True)
class Segment:
    department: Department
    start_week: date
    weeks: int

    def week_list(self) -> list[date]:
        return [self.start_week + timedelta(weeks=i) for i in range(self.weeks)]

    def placement(self, application, by) -> Placement:
        """The new (unsaved) placement of `application` in this segment, laid out by `by`."""
        return Placement(
            application=application,
            department=self.department,
            start_week=self.start_week,
            weeks=self.weeks,
            created_by=by,
        )


@dataclass(frozen=True)
class Conflict:
    kind: str  # "capacity", "period", "rule"
    message: str


def week_range(first: date, last: date) -> list[date]:
    first, last = monday_of(first), monday_of(last)
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def format_weeks(weeks: list[date]) -> str:
    """ "week 12" or "weeks 12–13, 52–1": runs of consecutive weeks by ISO number, in date order."""
    mondays = sorted(set(weeks))
    runs, first = [], mondays[0]
    for previous, current in zip(mondays, [*mondays[1:], None], strict=True):
        if current != previous + timedelta(weeks=1):
            start, end = first.isocalendar().week, previous.isocalendar().week
            runs.append(str(start) if first == previous else f"{start}–{end}")
            first = current
    if len(mondays) == 1:
        return _("week %(weeks)s") % {"weeks": runs[0]}
    return _("weeks %(weeks)s") % {"weeks": ", ".join(runs)}


def seats(department_ids, weeks: list[date]) -> dict[tuple[int, date], int]:
    """Seats per (department, week): the weekly capacity unless a week has an override."""
    departments = Department.objects.filter(pk__in=department_ids).only("pk", "weekly_capacity")
    result = {(d.pk, week): d.weekly_capacity for d in departments for week in weeks}
    overrides = CapacityOverride.objects.filter(department_id__in=department_ids, week__in=weeks)
    for override in overrides.only("department_id", "week", "capacity"):
        result[(override.department_id, override.week)] = override.capacity
    return result


def held(department_ids, weeks: list[date], *, exclude_application=None) -> dict[tuple[int, date], int]:
    """Seats held per (department, week) by offered and confirmed placements."""
    if not weeks:
        return {}
    placements = Placement.objects.filter(
        department_id__in=department_ids,
        status__in=SEAT_HOLDING_STATES,
        start_week__lte=max(weeks),
        end_week__gte=min(weeks),
    )
    if exclude_application is not None:
        placements = placements.exclude(application=exclude_application)
    wanted = set(weeks)
    counts = defaultdict(int)
    for department_id, start, count in placements.values_list("department_id", "start_week", "weeks"):
        for i in range(count):
            week = start + timedelta(weeks=i)
            if week in wanted:
                counts[(department_id, week)] += 1
    return counts


def capacity_conflicts(application, segments: list[Segment]) -> list[Conflict]:
    weeks = sorted({w for s in segments for w in s.week_list()})
    department_ids = {s.department.pk for s in segments}
    free = seats(department_ids, weeks)
    taken = held(department_ids, weeks, exclude_application=application)
    conflicts = []
    for segment in segments:
        full = [w for w in segment.week_list() if taken[(segment.department.pk, w)] >= free[(segment.department.pk, w)]]
        if full:
            message = _("%(department)s is full in %(weeks)s.") % {
                "department": segment.department.name,
                "weeks": format_weeks(full),
            }
            conflicts.append(Conflict("capacity", message))
    return conflicts


def placement_conflicts(*, application, segments: list[Segment]) -> list[Conflict]:
    """Every problem with placing `application` in `segments`: seats, requested period, programme rules."""
    conflicts = []
    requested = set(week_range(application.start_date, application.end_date))
    for segment in segments:
        outside = [w for w in segment.week_list() if w not in requested]
        if outside:
            conflicts.append(
                Conflict(
                    "period",
                    _("%(department)s: %(weeks)s fall outside the requested period.")
                    % {"department": segment.department.name, "weeks": format_weeks(outside)},
                )
            )
    taken_weeks = [w for s in segments for w in s.week_list()]
    if len(taken_weeks) != len(set(taken_weeks)):
        conflicts.append(Conflict("period", _("Two placements overlap in the same week.")))
    offerings = {o.department_id: o for o in application.programme.offerings.select_related("group", "department")}
    weeks_by_department = defaultdict(int)
    for segment in segments:
        weeks_by_department[segment.department.pk] += segment.weeks
    choices = []
    for department_id, weeks in weeks_by_department.items():
        if department_id not in offerings:
            conflicts.append(Conflict("rule", _("A chosen department is not offered by this programme.")))
            continue
        choices.append(ComponentChoice(offering=offerings[department_id], weeks=weeks))
    if segments and choices:
        first, last = min(taken_weeks), max(taken_weeks) + timedelta(days=6)
        # The rules of the stay; those of the request (lead time, window, working days) concern the applicant.
        violations = validate_choice(
            programme=application.programme,
            components=choices,
            start=first,
            end=last,
            applied_on=first,
            requested=False,
        )
        conflicts += [Conflict("rule", violation.message) for violation in violations]
    return conflicts + capacity_conflicts(application, segments)


def departments_lock(department_ids) -> None:
    """Lock the departments' rows, in id order so that two coordinators never deadlock, before their
    seats are counted: two saves at the same moment can then never both take the last seat."""
    list(Department.objects.select_for_update().filter(pk__in=sorted(department_ids)).order_by("pk").values_list("pk"))


@transaction.atomic
def placements_assign(*, application, segments: list[Segment], by) -> list[Placement]:
    """Replace the application's proposal with `segments` (a proposal holds no seat; publishing it
    is `offers.offer_publish`)."""
    proposed = list(Placement.objects.filter(application=application, status=PlacementStatus.PROPOSED))
    placement_workflow.transition(application=application, placements=proposed, name="discard", by=by)
    new = [segment.placement(application, by) for segment in segments]
    return placement_workflow.create(placements=new, name="propose", by=by)
