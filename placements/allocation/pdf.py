"""The placement confirmation: a one- or two-page PDF made on request."""

from django.utils import timezone
from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from placements.allocation.enums import PlacementStatus
from placements.allocation.queries.schedule import schedule_placements
from portal import pdf

# The schedule: a bold header row on grey, in a mid-grey grid.
SCHEDULE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#adb5bd")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def confirmation_filename(application) -> str:
    return f"placement-confirmation-{application.reference or application.uuid}.pdf"


def _participant(application) -> str:
    return application.applicant.get_full_name() or application.applicant.email


def _facts(application) -> Table:
    programme = application.programme
    return pdf.key_value_table(
        [
            ["Programme", pdf.paragraph(programme.title)],
            ["Provided by", pdf.paragraph(programme.provider.name)],
            ["Participant", pdf.paragraph(_participant(application))],
            ["E-mail", pdf.paragraph(application.applicant.email)],
            ["Reference", application.reference or ""],
            ["Status", "Placement confirmed"],
        ]
    )


def _schedule(placements) -> list[Flowable]:
    rows = [["From", "To", "Weeks", "Department", "Hospital"]]
    rows += [
        [
            pdf.day(placement.start_week),
            pdf.day(placement.end_date),
            str(placement.weeks),
            pdf.paragraph(placement.department.name),
            pdf.paragraph(str(placement.department.institution)),
        ]
        for placement in placements
    ]
    total = sum(p.weeks for p in placements)
    return [
        pdf.heading(f"Confirmed placements ({total} week{'s' if total != 1 else ''}, Monday to Friday)"),
        pdf.table(rows, (30, 30, 14, 56, 40), style=SCHEDULE),
    ]


def _closing(application) -> list[Flowable]:
    return [
        pdf.paragraph(
            f"This confirms that {_participant(application)} accepted the placements above "
            f"in the {application.programme.title}."
        ),
        pdf.paragraph(f"Issued on {pdf.day(timezone.localdate())} by the placement portal.", pdf.STYLES.note),
    ]


def confirmation_pdf(application) -> bytes:
    """The confirmation of `application`'s accepted placements: programme, applicant, dates, departments."""
    placements = [p for p in schedule_placements(application) if p.status == PlacementStatus.CONFIRMED]
    story = [
        pdf.title("Placement confirmation"),
        _facts(application),
        pdf.space(8),
        *_schedule(placements),
        pdf.space(8),
        *_closing(application),
    ]
    return pdf.document_pdf(
        story,
        title=f"Placement confirmation {application.reference}",
        author=str(application.programme.provider),
        subject=application.programme.title,
    )
