"""The insights dashboard's pictures: each chart drawn from the dashboard's figures, with a one-line
text alternative that states what it shows."""

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from placements.allocation.queries.insights import OUTCOMES
from placements.staff_views.insights_data import Insights, days_text
from portal import charts


def weekly_chart(data: Insights) -> SafeString:
    weeks = data.weekly
    busiest = max(weeks, key=lambda week: week.total, default=None)
    values = {"count": data.submitted, "weeks": len(weeks)}
    if busiest and busiest.total:
        values |= {"week": date_format(busiest.week, "d M Y"), "busiest": busiest.total}
        desc = gettext(
            "%(count)d applications submitted over %(weeks)d weeks; the busiest week began %(week)s with %(busiest)d."
        )
    else:
        desc = gettext("%(count)d applications submitted over %(weeks)d weeks.")
    return charts.columns(
        chart_id="chart-weekly",
        title=gettext("Applications submitted per week, by outcome so far"),
        desc=desc % values,
        categories=[date_format(week.week, "d M") for week in weeks],
        series=[charts.Series(label, [week.counts[key] for week in weeks]) for key, label, _ in OUTCOMES],
        label_every=max(1, len(weeks) // 8),
    )


def funnel_chart(data: Insights) -> SafeString:
    started = data.funnel[0].count
    rows = []
    for stage in data.funnel:
        if started and stage.previous is not None:
            text = gettext("%(count)d (%(share)s%% of started)") % {
                "count": stage.count,
                "share": f"{round(100 * stage.count / started):g}",
            }
        else:
            text = str(stage.count)
        rows.append(charts.Bar(stage.label, stage.count, text))
    desc = "; ".join(f"{stage.label}: {stage.count}" for stage in data.funnel)
    title = gettext("From draft to confirmed placement")
    return charts.bars(chart_id="chart-funnel", title=title, desc=desc + ".", rows=rows)


def times_chart(data: Insights) -> SafeString:
    months = data.times.by_month
    overall = data.times.overall
    desc = ngettext(
        "%(count)d decision; median %(median)s days, 90th percentile %(p90)s days.",
        "%(count)d decisions; median %(median)s days, 90th percentile %(p90)s days.",
        overall.count,
    ) % {"count": overall.count, "median": days_text(overall.median), "p90": days_text(overall.p90)}
    return charts.columns(
        chart_id="chart-times",
        title=gettext("Days from submission to decision, per month"),
        desc=desc,
        categories=[date_format(month, "M y") for month, _ in months],
        series=[
            charts.Series(gettext("Median"), [d.median or 0 for _, d in months]),
            charts.Series(gettext("90th percentile"), [d.p90 or 0 for _, d in months]),
        ],
        stacked=False,
        label_every=max(1, len(months) // 8),
    )


def _level(used: int, capacity: int) -> str:
    if used > capacity:
        return "over"
    if not capacity:
        return "closed"
    if used == capacity:
        return "full"
    if not used:
        return "none"
    return "high" if used * 2 >= capacity else "low"


# Level of a heat-map cell -> its meaning in the legend (the cell also shows its percentage).
HEAT_LEVELS = {
    "none": gettext_lazy("No seat used"),
    "low": gettext_lazy("Under half full"),
    "high": gettext_lazy("Half full or more"),
    "full": pgettext_lazy("capacity", "Full"),
    "over": gettext_lazy("Over capacity"),
    "closed": gettext_lazy("Closed (no seats)"),
}


def fill_chart(data: Insights) -> SafeString:
    rows = []
    seats_used = gettext("%(department)s, week %(week)d: %(used)d of %(capacity)d seats used")
    for row in data.fill:
        cells = []
        for week in row.weeks:
            level = _level(week.used, week.capacity)
            text = "–" if level == "closed" else str(week.rate)
            values = {"department": row.label, "week": week.week.isocalendar().week}
            title = seats_used % (values | {"used": week.used, "capacity": week.capacity})
            cells.append(charts.HeatCell(level=level, text=text, title=title))
        rows.append(charts.HeatRow(label=row.label, cells=cells))
    fullest = max(data.fill, key=lambda row: row.rate or 0, default=None)
    values = {"departments": len(rows), "weeks": len(data.fill_weeks)}
    if fullest is not None and fullest.rate is not None:
        values |= {"fullest": fullest.label, "rate": fullest.rate}
        desc = gettext(
            "%(departments)d departments over %(weeks)d weeks; the fullest is %(fullest)s at %(rate)s%% of its seats."
        )
    else:
        desc = gettext("%(departments)d departments over %(weeks)d weeks.")
    return charts.heat_map(
        chart_id="chart-fill",
        title=gettext("Per cent of seats used, per department and week"),
        desc=desc % values,
        columns=[str(week.isocalendar().week) for week in data.fill_weeks],
        rows=rows,
    )


def origins_chart(chart_id: str, title: str, rows: list[tuple[str, int]], total: int) -> SafeString:
    bars = [
        charts.Bar(name, count, f"{count} ({round(100 * count / total):g}%)" if total else str(count))
        for name, count in rows
    ]
    desc = "; ".join(f"{name}: {count}" for name, count in rows[:3]) or gettext("No applications in this period")
    return charts.bars(chart_id=chart_id, title=title, desc=desc + ".", rows=bars)


def all_charts(data: Insights) -> dict[str, SafeString]:
    origins = data.origins
    return {
        "weekly": weekly_chart(data),
        "funnel": funnel_chart(data),
        "times": times_chart(data),
        "fill": fill_chart(data),
        "nationalities": origins_chart(
            "chart-nationalities", gettext("Country of nationality (top 10)"), origins.nationalities, origins.total
        ),
        "institutions": origins_chart(
            "chart-institutions", gettext("Home institution (top 10)"), origins.institutions, origins.total
        ),
    }
