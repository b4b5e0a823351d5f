"""The supervisor's calendar: weeks across, one row per trainee placed in their departments, each
week of a placement marked with its department (text, not colour alone)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from placements.allocation.dates import plannable
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, monday_of
from placements.hosting import access
from placements.hosting_views.supervisor import LIST_RELATED, supervisor_required

WEEKS_SHOWN = 12
STEP_WEEKS = 4


@dataclass(frozen=True)
class TraineeRow:
    placement: Placement
    cells: list[bool]


def _start(value: str | None, this_week: date) -> date:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    return monday_of(day) if day is not None and plannable(day) else this_week


def rows_for(user, weeks: list[date]) -> list[TraineeRow]:
    """Each placement of `user`'s departments that overlaps `weeks`, with the weeks it covers."""
    placements = (
        access.placements_for_supervisor(user)
        .exclude(status=PlacementStatus.INTERRUPTED)
        .filter(start_week__lte=weeks[-1], end_week__gte=weeks[0])
        .select_related(*LIST_RELATED)
        .order_by("start_week", "application__applicant__last_name", "pk")
    )
    return [TraineeRow(p, [p.start_week <= week <= p.end_week for week in weeks]) for p in placements]


@supervisor_required
@require_GET
def calendar(request):
    this_week = monday_of(timezone.localdate())
    start = _start(request.GET.get("start"), this_week)
    weeks = [start + timedelta(weeks=i) for i in range(WEEKS_SHOWN)]
    return render(
        request,
        "hosting/calendar.html",
        {
            "weeks": weeks,
            "rows": rows_for(request.user, weeks),
            "this_week": this_week,
            "earlier": start - timedelta(weeks=STEP_WEEKS),
            "later": start + timedelta(weeks=STEP_WEEKS),
            "last_day": weeks[-1] + timedelta(days=4),
        },
    )
