"""The insights dashboard's pictures: each chart drawn from the dashboard's figures, with a one-line
text alternative that states what it shows."""

from django.utils.safestring import SafeString

from placements.allocation.queries.insights import OUTCOMES
from placements.staff_views.insights_data import Insights, days_text
from portal import charts


def weekly_chart(data: Insights) -> SafeString:
    weeks = data.weekly
    busiest = max(weeks, key=lambda week: week.total, default=None)
    desc = f"{data.submitted} applications submitted over {len(weeks)} weeks"
    if busiest and busiest.total:
        desc += f"; the busiest week began {busiest.week:%d %b %Y} with {busiest.total}"
    return charts.columns(
        chart_id="chart-weekly",
        title="Applications submitted per week, by outcome so far",
        desc=desc + ".",
        categories=[f"{week.week:%d %b}" for week in weeks],
        series=[charts.Series(label, [week.counts[key] for week in weeks]) for key, label, _ in OUTCOMES],
        label_every=max(1, len(weeks) // 8),
    )


def funnel_chart(data: Insights) -> SafeString:
    started = data.funnel[0].count
    rows = []
    for stage in data.funnel:
        share = (
            f" ({round(100 * stage.count / started):g}% of started)" if started and stage.previous is not None else ""
        )
        rows.append(charts.Bar(stage.label, stage.count, f"{stage.count}{share}"))
    desc = "; ".join(f"{stage.label}: {stage.count}" for stage in data.funnel)
    return charts.bars(chart_id="chart-funnel", title="From draft to confirmed placement", desc=desc + ".", rows=rows)


def times_chart(data: Insights) -> SafeString:
    months = data.times.by_month
    overall = data.times.overall
    desc = (
        f"{overall.count} decisions; median {days_text(overall.median)} days, "
        f"90th percentile {days_text(overall.p90)} days."
    )
    return charts.columns(
        chart_id="chart-times",
        title="Days from submission to decision, per month",
        desc=desc,
        categories=[f"{month:%b %y}" for month, _ in months],
        series=[
            charts.Series("Median", [d.median or 0 for _, d in months]),
            charts.Series("90th percentile", [d.p90 or 0 for _, d in months]),
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
    "none": "No seat used",
    "low": "Under half full",
    "high": "Half full or more",
    "full": "Full",
    "over": "Over capacity",
    "closed": "Closed (no seats)",
}


def fill_chart(data: Insights) -> SafeString:
    rows = []
    for row in data.fill:
        cells = []
        for week in row.weeks:
            level = _level(week.used, week.capacity)
            text = "–" if level == "closed" else str(week.rate)
            title = f"{row.label}, week {week.week.isocalendar().week}: {week.used} of {week.capacity} seats used"
            cells.append(charts.HeatCell(level=level, text=text, title=title))
        rows.append(charts.HeatRow(label=row.label, cells=cells))
    fullest = max(data.fill, key=lambda row: row.rate or 0, default=None)
    desc = f"{len(rows)} departments over {len(data.fill_weeks)} weeks"
    if fullest is not None and fullest.rate is not None:
        desc += f"; the fullest is {fullest.label} at {fullest.rate}% of its seats"
    return charts.heat_map(
        chart_id="chart-fill",
        title="Per cent of seats used, per department and week",
        desc=desc + ".",
        columns=[str(week.isocalendar().week) for week in data.fill_weeks],
        rows=rows,
    )


def origins_chart(chart_id: str, title: str, rows: list[tuple[str, int]], total: int) -> SafeString:
    bars = [
        charts.Bar(name, count, f"{count} ({round(100 * count / total):g}%)" if total else str(count))
        for name, count in rows
    ]
    desc = "; ".join(f"{name}: {count}" for name, count in rows[:3]) or "No applications in this period"
    return charts.bars(chart_id=chart_id, title=title, desc=desc + ".", rows=bars)


def all_charts(data: Insights) -> dict[str, SafeString]:
    origins = data.origins
    return {
        "weekly": weekly_chart(data),
        "funnel": funnel_chart(data),
        "times": times_chart(data),
        "fill": fill_chart(data),
        "nationalities": origins_chart(
            "chart-nationalities", "Country of nationality (top 10)", origins.nationalities, origins.total
        ),
        "institutions": origins_chart(
            "chart-institutions", "Home institution (top 10)", origins.institutions, origins.total
        ),
    }
