"""The insights dashboard's figures for a scope and period, and each chart's figures as a table: the
same table is shown under its chart ("show as table") and downloaded as CSV."""

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from applicants.models import Application
from placements.allocation.models import monday_of
from placements.allocation.queries import insights, insights_now
from placements.allocation.queries.insights import OUTCOMES, Period


@dataclass
class Insights:
    period: Period
    today: date
    weekly: list[insights.WeekCount]
    funnel: list[insights.Stage]
    times: insights.DecisionTimes
    origins: insights.Origins
    counts: insights_now.CurrentCounts
    waiting: list[Application]
    offers: list[Application]
    documents: list[Application]
    fill_weeks: list[date]
    fill: list[insights_now.FillRow]

    @property
    def submitted(self) -> int:
        return sum(week.total for week in self.weekly)


def insights_for(*, programme_ids, period: Period, today: date) -> Insights:
    """Every figure of the dashboard, in a fixed number of queries whatever the number of rows."""
    weekly = insights.weekly_outcomes(programme_ids=programme_ids, period=period)
    fill_weeks, fill = insights_now.fill_rates(programme_ids=programme_ids, start=monday_of(today))
    return Insights(
        period=period,
        today=today,
        weekly=weekly,
        funnel=insights.funnel(programme_ids=programme_ids, period=period),
        times=insights.decision_times(programme_ids=programme_ids, period=period),
        origins=insights.origins(programme_ids=programme_ids, period=period, total=sum(week.total for week in weekly)),
        counts=insights_now.current_counts(programme_ids=programme_ids),
        waiting=insights_now.oldest_waiting(programme_ids=programme_ids),
        offers=insights_now.offers_waiting(programme_ids=programme_ids),
        documents=insights_now.documents_to_look_at(programme_ids=programme_ids),
        fill_weeks=fill_weeks,
        fill=fill,
    )


# --- tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    href: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    slug: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)  # str, int or Link cells
    row_header: bool = True  # the first cell of a row names it

    def body(self) -> SafeString:
        """The rows as HTML table rows, written here rather than in a template loop: the fill table
        alone has a cell per department and week."""
        return mark_safe("".join(self._row(row) for row in self.rows))  # noqa: S308 — every cell escaped  # nosec B308 B703

    def _row(self, row: list) -> str:
        cells = [f"<td>{_cell(cell)}</td>" for cell in row]
        if cells and self.row_header:
            cells[0] = f'<th scope="row">{_cell(row[0])}</th>'
        return f"<tr>{''.join(cells)}</tr>"


def _cell(cell) -> str:
    if isinstance(cell, Link):
        return f'<a href="{escape(cell.href)}">{escape(cell.text)}</a>'
    return str(cell) if isinstance(cell, int) else escape(cell)


def days_text(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def week_name(week: date) -> str:
    return gettext("Week %(week)d, %(date)s") % {"week": week.isocalendar().week, "date": date_format(week, "j M Y")}


def _application_link(application) -> Link:
    return Link(application.reference, reverse("staff:application", kwargs={"uuid": application.uuid}))


def _name(application) -> str:
    return f"{application.applicant.first_name} {application.applicant.last_name}".strip()


def weekly_table(data: Insights) -> Table:
    table = Table("weekly", gettext("Applications submitted per week, by outcome so far"),
                  [gettext("Week"), *(str(label) for _, label, _ in OUTCOMES), gettext("Total")])  # fmt: skip
    for week in data.weekly:
        table.rows.append([week_name(week.week), *(week.counts[key] for key, _, _ in OUTCOMES), week.total])
    return table


def funnel_table(data: Insights) -> Table:
    table = Table(
        "funnel",
        gettext("From draft to confirmed placement"),
        [gettext("Stage"), gettext("Applications"), gettext("Of the stage before"), gettext("Of those started")],
    )
    started = data.funnel[0].count
    for stage in data.funnel:
        of_before = "—" if stage.conversion is None else f"{stage.conversion:g}%"
        of_started = f"{round(100 * stage.count / started, 1):g}%" if started else "—"
        table.rows.append([stage.label, stage.count, of_before, of_started])
    return table


def times_table(data: Insights) -> Table:
    header = [gettext("Month"), gettext("Decisions"), gettext("Median (days)"), gettext("90th percentile (days)")]
    table = Table("times", gettext("Days from submission to decision, per month of the decision"), header)
    for month, durations in data.times.by_month:
        table.rows.append(
            [date_format(month, "F Y"), durations.count, days_text(durations.median), days_text(durations.p90)]
        )
    overall = data.times.overall
    table.rows.append([gettext("Whole period"), overall.count, days_text(overall.median), days_text(overall.p90)])
    return table


def waiting_table(data: Insights) -> Table:
    table = Table(
        "waiting",
        gettext("Waiting longest for a decision"),
        [
            gettext("Application"),
            gettext("Applicant"),
            gettext("Status"),
            gettext("Submitted"),
            gettext("Days waiting"),
        ],
    )
    for application in data.waiting:
        submitted = timezone.localtime(application.submitted_at).date()
        table.rows.append([
            _application_link(application), _name(application), application.get_status_display(),
            date_format(submitted, "j M Y"), (data.today - submitted).days,
        ])  # fmt: skip
    return table


def offers_table(data: Insights) -> Table:
    table = Table(
        "offers",
        gettext("Offers waiting for an answer"),
        [gettext("Application"), gettext("Applicant"), gettext("Answer due"), gettext("Days left")],
    )
    for application in data.offers:
        deadline = application.deadline
        due = date_format(timezone.localtime(deadline), "j M Y, H:i") if deadline else gettext("No deadline")
        left = (timezone.localtime(deadline).date() - data.today).days if deadline else "—"
        table.rows.append([_application_link(application), _name(application), due, left])
    return table


def documents_table(data: Insights) -> Table:
    table = Table(
        "documents",
        gettext("Documents needing a look"),
        [gettext("Application"), gettext("Applicant"), gettext("Status"), gettext("Documents flagged")],
    )
    for application in data.documents:
        table.rows.append(
            [_application_link(application), _name(application), application.get_status_display(), application.flagged]
        )
    return table


def fill_table(data: Insights, *, calendar_url: str) -> Table:
    header = [gettext("Department"), gettext("Whole period"), *(week_name(week) for week in data.fill_weeks)]
    count = len(data.fill_weeks)
    title = ngettext(
        "Seats used of seats available, the coming %(count)d week",
        "Seats used of seats available, the coming %(count)d weeks",
        count,
    )
    table = Table("fill", title % {"count": count}, header)
    of = gettext("%(used)d of %(capacity)d")
    of_rate = gettext("%(used)d of %(capacity)d (%(rate)s%%)")
    closed = gettext("%(used)d, closed")
    for row in data.fill:
        values = {"used": row.used, "capacity": row.capacity, "rate": row.rate}
        overall = (of if row.rate is None else of_rate) % values
        # One reverse per department: the week is the last part of the path.
        week_url = reverse("staff_placements:calendar_week", args=[row.department.pk, "-"]).removesuffix("-/")
        cells = []
        for week in row.weeks:
            href = f"{week_url}{week.week.isoformat()}/"
            values = {"used": week.used, "capacity": week.capacity}
            cells.append(Link((of if week.capacity else closed) % values, href))
        table.rows.append([Link(row.label, f"{calendar_url}?start={data.fill_weeks[0].isoformat()}"), overall, *cells])
    return table


def origins_tables(data: Insights) -> list[Table]:
    tables = []
    for slug, title, rows in (
        ("nationalities", gettext("Country of nationality (top 10)"), data.origins.nationalities),
        ("institutions", gettext("Home institution (top 10)"), data.origins.institutions),
    ):
        table = Table(slug, title, [gettext("Name"), gettext("Applications"), gettext("Share")])
        for name, count in rows:
            share = f"{round(100 * count / data.origins.total, 1):g}%" if data.origins.total else "—"
            table.rows.append([name, count, share])
        tables.append(table)
    return tables


def all_tables(data: Insights, *, calendar_url: str) -> dict[str, Table]:
    tables = [
        weekly_table(data), funnel_table(data), times_table(data), waiting_table(data), offers_table(data),
        documents_table(data), fill_table(data, calendar_url=calendar_url), *origins_tables(data),
    ]  # fmt: skip
    return {table.slug: table for table in tables}
