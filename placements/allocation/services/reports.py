"""The yearly report: one calendar year of a coordinator's programmes as a PDF — applications, the
decisions and how long they took, the way from application to placement, where applicants come from.

Asked for on the insights page, written by a worker (placements.build_insights_report) in the
language of the person who asked, with its progress on the page, like the dossier.
"""

import io
import logging
from collections import defaultdict
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pypdf import PdfReader
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.storage import private_storage
from placements.allocation.models import InsightsReport
from placements.allocation.queries.insights import OUTCOME_OF, OUTCOMES, Period, decision_times, funnel, origins
from placements.catalogue.models import Programme
from portal import pdf
from portal.jobs.services import job_claim, job_fail, job_finish, job_progress, job_request
from portal.models import User

logger = logging.getLogger(__name__)
S = ApplicationStatus
# Past a decision and not turned down: accepted, or accepted first and offered, placed, declined or lapsed since.
ACCEPTED_STATES = (S.ACCEPTED, S.OFFERED, S.CONFIRMED, S.DECLINED, S.EXPIRED)
# The bars of the monthly chart, one shade per outcome (the table beside it carries the same figures).
BAR_COLOURS = ("#6c757d", "#0d6efd", "#198754", "#dc3545", "#adb5bd")
STEPS = 5


def report_request(*, by: User, programme_ids: list[int], year: int) -> InsightsReport:
    """Start the report of `year` for `programme_ids`, or return the same one already under way."""
    ids = sorted(set(programme_ids))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=by.pk).first()  # one request at a time per person
        report, _new = job_request(
            InsightsReport.objects.filter(requested_by=by, year=year, programme_ids=ids),
            create=lambda: InsightsReport.objects.create(
                requested_by=by,
                programme_ids=ids,
                year=year,
                language=translation.get_language() or "en",
                stage=_("Waiting for its turn"),
            ),
        )
    return report


def _monthly(ids: list[int], period: Period) -> list[tuple[date, dict[str, int]]]:
    """Applications submitted per month of the period, by the outcome reached so far."""
    rows = (
        Application.objects.filter(programme_id__in=ids, submitted_at__gte=period.start, submitted_at__lt=period.end)
        .exclude(status=S.DRAFT)
        .annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values_list("month", "status")
        .annotate(n=Count("*"))
    )
    counts: dict[date, dict[str, int]] = defaultdict(lambda: {key: 0 for key, _label, _statuses in OUTCOMES})
    for month, status, n in rows:
        day = timezone.localtime(month).date() if hasattr(month, "tzinfo") and month.tzinfo else month
        counts[date(day.year, day.month, 1)][OUTCOME_OF[status]] += n
    empty = {key: 0 for key, _label, _statuses in OUTCOMES}
    return [(month, counts.get(month, empty)) for month in period.months()]


def _decisions(ids: list[int], period: Period) -> dict[str, int]:
    """Of the applications submitted in the period: how many were decided, accepted, waitlisted, rejected."""
    submitted = Application.objects.filter(
        programme_id__in=ids, submitted_at__gte=period.start, submitted_at__lt=period.end
    ).exclude(status=S.DRAFT)
    decided = Q(decided_at__isnull=False)
    return submitted.aggregate(
        submitted=Count("pk"),
        decided=Count("pk", filter=decided),
        accepted=Count("pk", filter=decided & Q(status__in=ACCEPTED_STATES)),
        waitlisted=Count("pk", filter=decided & Q(status=S.WAITLISTED)),
        rejected=Count("pk", filter=decided & Q(status=S.REJECTED)),
    )


def _days(value) -> str:
    return "—" if value is None else _("%(days)s days") % {"days": value}


def _summary(ids: list[int], period: Period) -> list:
    counts = _decisions(ids, period)
    overall = decision_times(programme_ids=ids, period=period).overall
    rate = f"{round(100 * counts['accepted'] / counts['decided'], 1)}%" if counts["decided"] else "—"
    rows = [
        [_("Applications submitted"), str(counts["submitted"])],
        [_("Decided"), str(counts["decided"])],
        [_("Accepted"), str(counts["accepted"])],
        [_("On the waiting list"), str(counts["waitlisted"])],
        [_("Rejected"), str(counts["rejected"])],
        [_("Acceptance rate (accepted of decided)"), rate],
        [_("Time to decision, median"), _days(overall.median)],
        [_("Time to decision, 90th percentile"), _days(overall.p90)],
    ]
    note = _(
        "Applications submitted in %(year)s. Accepted includes those offered a placement since, whether they "
        "confirmed, declined or let the offer lapse. Time to decision: of the decisions made in %(year)s."
    ) % {"year": period.first.year}
    return [
        pdf.heading(_("The year in figures")),
        pdf.key_value_table(rows),
        pdf.space(2),
        pdf.paragraph(note, pdf.STYLES.small),
    ]


def _month_name(month: date) -> str:
    return date_format(month, "F")


def _bar_chart(months: list[tuple[date, dict[str, int]]]) -> Drawing:
    """Applications per month, stacked by outcome (the table below gives every figure)."""
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 150 * mm, 48 * mm
    chart.data = [[counts[key] for _month, counts in months] for key, _label, _statuses in OUTCOMES]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [date_format(month, "M") for month, _counts in months]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    for index, colour in enumerate(BAR_COLOURS):
        chart.bars[index].fillColor = colors.HexColor(colour)
        chart.bars[index].strokeColor = colors.white
    drawing.add(chart)
    return drawing


def _per_month(ids: list[int], period: Period) -> list:
    months = _monthly(ids, period)
    header = [_("Month"), *[str(label) for _key, label, _statuses in OUTCOMES], _("Total")]
    rows = [header]
    for month, counts in months:
        values = [counts[key] for key, _label, _statuses in OUTCOMES]
        rows.append([_month_name(month), *[str(value) for value in values], str(sum(values))])
    legend = ", ".join(
        _("%(colour)s: %(outcome)s") % {"colour": name, "outcome": label}
        for name, (_key, label, _statuses) in zip(
            (_("dark grey"), _("blue"), _("green"), _("red"), _("light grey")), OUTCOMES, strict=True
        )
    )
    widths = [24] + [24] * len(OUTCOMES) + [16]
    return [
        pdf.heading(_("Applications per month, by outcome so far")),
        _bar_chart(months),
        pdf.paragraph(legend, pdf.STYLES.small),
        pdf.space(2),
        pdf.table(rows, widths, cell_style=pdf.STYLES.small),
    ]


def _funnel(ids: list[int], period: Period) -> list:
    rows = [[_("Stage"), _("Applications"), _("Of the stage before")]]
    for stage in funnel(programme_ids=ids, period=period):
        conversion = "" if stage.conversion is None else f"{stage.conversion}%"
        rows.append([str(stage.label), str(stage.count), conversion])
    return [
        pdf.heading(_("From application to placement")),
        pdf.paragraph(_("Applications started in the year (drafts included) and how far each got."), pdf.STYLES.small),
        pdf.table(rows, [80, 40, 50], cell_style=pdf.STYLES.small),
    ]


def _times(ids: list[int], period: Period) -> list:
    rows = [[_("Month of the decision"), _("Decisions"), _("Median"), _("90th percentile")]]
    for month, durations in decision_times(programme_ids=ids, period=period).by_month:
        rows.append([_month_name(month), str(durations.count), _days(durations.median), _days(durations.p90)])
    return [pdf.heading(_("Time from submission to decision")), pdf.table(rows, [50, 30, 45, 45])]


def _origins(ids: list[int], period: Period) -> list:
    found = origins(programme_ids=ids, period=period, total=0)
    blocks = [pdf.heading(_("Where applicants come from"))]
    for title, ranked in ((_("Nationality"), found.nationalities), (_("Home institution"), found.institutions)):
        rows = [[title, _("Applications")]] + [[name, str(n)] for name, n in ranked]
        blocks += [pdf.table(rows, [130, 40], cell_style=pdf.STYLES.small), pdf.space(3)]
    if len(blocks) == 1:
        blocks.append(pdf.paragraph(_("No applications were submitted in the year.")))
    return blocks


def report_pdf(report: InsightsReport, *, on_step=lambda done: None) -> tuple[bytes, str]:
    """The report's PDF bytes and its title; `on_step(done)` after each of the STEPS sections."""
    ids = list(report.programme_ids)
    names = list(Programme.objects.filter(pk__in=ids).order_by("title").values_list("title", flat=True))
    period = Period(date(report.year, 1, 1), date(report.year, 12, 31), str(report.year))
    title = _("Yearly report %(year)s") % {"year": report.year}
    written = _("Programmes: %(names)s. Written on %(day)s for %(person)s.") % {
        "names": ", ".join(names) or "—",
        "day": pdf.day(timezone.localdate()),
        "person": str(report.requested_by),
    }
    story = [pdf.title(title), pdf.paragraph(written, pdf.STYLES.small)]
    for done, section in enumerate((_summary, _per_month, _funnel, _times, _origins), start=1):
        story += section(ids, period)
        on_step(done)

    def footer(page: int) -> tuple[str, str]:
        return title, _("Page %(page)s") % {"page": page}

    content = pdf.document_pdf(
        story, title=title, author=str(report.requested_by), subject=", ".join(names), footer=footer
    )
    return content, title


def report_build(*, report_id: int) -> str:
    """Write report `report_id`: "ready", "failed", or "skipped" when it is not waiting (or gone)."""
    report = job_claim(InsightsReport.objects.select_related("requested_by"), pk=report_id)
    if report is None:
        logger.info("Report %s is not waiting to be written; nothing to do", report_id)
        return "skipped"
    with translation.override(report.language):
        job_progress(InsightsReport, pk=report_id, done=0, total=STEPS, stage=_("Counting the applications"))
        try:
            content, _title = report_pdf(
                report,
                on_step=lambda done: job_progress(
                    InsightsReport, pk=report_id, done=done, total=STEPS, stage=_("Writing the report")
                ),
            )
            name = private_storage.save(report.file.field.generate_filename(report, "report.pdf"), ContentFile(content))
        except Exception:
            logger.exception("Report %s failed", report_id)
            job_fail(
                InsightsReport,
                pk=report_id,
                error=_("Something went wrong while writing the report. Please try again."),
            )
            return "failed"
    pages = len(PdfReader(io.BytesIO(content)).pages)
    if not job_finish(InsightsReport, pk=report_id, file=name, pages=pages):
        private_storage.delete(name)
        return "skipped"
    logger.info("Report %s ready", report_id)
    return "ready"
