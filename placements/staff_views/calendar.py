"""The capacity calendar and the list of who is in a department in a given week."""

from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from applicants.access import staff_programmes
from applicants.views.staff.mixins import staff_required
from placements.allocation.dates import plannable
from placements.allocation.models import monday_of
from placements.allocation.queries.calendar import LEVELS, capacity_calendar, open_seat_proposals, week_occupancy
from placements.catalogue.models import Department
from placements.staff_views.calendar_grid import grid, week_headers

STEP_WEEKS = 4


def _parse_day(value: str | None) -> date | None:
    """The day `value` names, if it is one in the years the calendar shows (None otherwise)."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and plannable(day) else None


@staff_required
@require_GET
def calendar(request):
    """Departments x 52 weeks from the chosen Monday; ?programme=<slug> narrows it to one programme."""
    programmes = list(staff_programmes(request.user).order_by("title").only("pk", "slug", "title"))
    chosen = None
    if request.GET.get("programme"):
        chosen = next((p for p in programmes if p.slug == request.GET["programme"]), None)
        if chosen is None:
            raise Http404("No such programme.")
    this_week = monday_of(timezone.localdate())
    start = monday_of(_parse_day(request.GET.get("start")) or this_week)
    programme_ids = [chosen.pk] if chosen else [p.pk for p in programmes]
    query = f"&programme={chosen.slug}" if chosen else ""
    calendar_url = reverse("staff_placements:calendar")
    days = capacity_calendar(programme_ids=programme_ids, start=start)
    return render(
        request,
        "staff/placements/calendar.html",
        {
            "calendar": days,
            "grid": grid(days, this_week=this_week, calendar_url=calendar_url),
            "week_headers": week_headers(days.weeks, this_week),
            "proposals": list(open_seat_proposals(programme_ids=programme_ids)),
            "programmes": programmes,
            "chosen": chosen,
            "query": query,
            "this_week": this_week,
            "earlier": start - timedelta(weeks=STEP_WEEKS),
            "later": start + timedelta(weeks=STEP_WEEKS),
            "levels": LEVELS,
        },
    )


@staff_required
@require_GET
def calendar_week(request, department_id: int, week: str):
    """Who is in the department that week: the placements of the viewer's programmes, by name."""
    programme_ids = list(staff_programmes(request.user).values_list("pk", flat=True))
    department = get_object_or_404(
        Department.objects.filter(offerings__programme_id__in=programme_ids)
        .select_related("institution", "parent")
        .distinct(),
        pk=department_id,
    )
    day = _parse_day(week)
    if day is None:
        raise Http404("No such week.")
    monday = monday_of(day)
    if monday != day:
        return redirect("staff_placements:calendar_week", department_id=department.pk, week=monday.isoformat())
    occupancy = week_occupancy(department=department, week=monday, programme_ids=programme_ids)
    return render(
        request,
        "staff/placements/week.html",
        {
            "occupancy": occupancy,
            "department": department,
            "week": monday,
            "friday": monday + timedelta(days=4),
            "previous": monday - timedelta(weeks=1),
            "next": monday + timedelta(weeks=1),
            "calendar_start": monday_of(monday - timedelta(weeks=STEP_WEEKS)),
        },
    )
