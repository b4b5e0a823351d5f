"""The capacity calendar's grid, written once per page: the week headers and each department's row
of cells (colour, link to the week page, label for screen readers and tooltips, seats used of
capacity, proposals). A calendar has 52 cells per department, a thousand on a page of two
programmes; printed one by one by the template engine, or escaped value by value, they cost most of
the page. Here the one text of a row that is not ours, the department's name, is escaped once, and
the cells are joined from it, numbers, dates and the calendar's own classes.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from placements.allocation.queries.calendar import Calendar, Cell, Row
from placements.catalogue.models import Department

WEEK = '<th scope="col" class="cal-week{}"><abbr title="{}">W{}</abbr><span class="cal-date">{}</span></th>'


@dataclass(frozen=True)
class GridRow:
    department: Department
    is_section: bool
    cells: SafeString


@dataclass(frozen=True)
class GridGroup:
    title: str
    rows: list[GridRow]


def week_headers(weeks: list[date], this_week: date) -> SafeString:
    """Each week's number and Monday, as the filters `date:"W"`, `date:"j F Y"` and `date:"j M"` write them."""
    week_of = gettext("Week of %(date)s")
    return format_html_join(
        "",
        WEEK,
        (
            (" cal-now" if week == this_week else "",
             week_of % {"date": f"{week.day} {MONTHS[week.month]} {week.year}"},
             week.isocalendar().week, f"{week.day} {MONTHS_3[week.month].title()}")
            for week in weeks
        ),
    )  # fmt: skip


def _cell(cell: Cell, name: str, base: str, this_week: date) -> str:
    """One cell; `name` and `base` are escaped already, everything else is a number, a date or ours.

    Its name begins with what it shows ("1/2 +1: Thoracic radiology, UMCG, week 12: 1 of 2 seats used,
    1 proposed"), so that speech input finds it by its text (WCAG 2.5.3); the tooltip says the same.
    """
    shown = f"{cell.used}/{cell.capacity}" + (f" +{cell.proposed}" if cell.proposed else "")
    label = f"{shown}: {cell.label_for(name)}"
    classes = f"cal-cell cal-{cell.level}"
    if cell.proposed:
        classes += " cal-proposed"
    if cell.week == this_week:
        classes += " cal-now"
    marker = f'<span class="cal-prop">+{cell.proposed}</span>' if cell.proposed else ""
    return (
        f'<td class="{classes}"><a href="{base}{cell.week.isoformat()}/" title="{label}" aria-label="{label}">'
        f'<span class="cal-count">{cell.used}/{cell.capacity}</span>{marker}</a></td>'
    )


def _cells(row: Row, this_week: date, calendar_url: str) -> SafeString:
    name, base = escape(row.department.label), escape(f"{calendar_url}{row.department.pk}/")
    html = "".join(_cell(cell, name, base, this_week) for cell in row.cells)
    # Safe: the department's name and the URL are escaped above; the rest are numbers, dates and our classes.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def grid(calendar: Calendar, *, this_week: date, calendar_url: str) -> list[GridGroup]:
    """The calendar's groups with each row's cells as HTML (calendar_url: the calendar's own URL,
    under which each week page is `<department id>/<monday>/`)."""
    return [
        GridGroup(
            title=group.title,
            rows=[GridRow(row.department, row.is_section, _cells(row, this_week, calendar_url)) for row in group.rows],
        )
        for group in calendar.groups
    ]
