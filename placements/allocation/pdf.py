"""The placement confirmation: a one- or two-page PDF made on request with reportlab."""

from html import escape as _html_escape
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from placements.allocation.enums import PlacementStatus
from placements.allocation.queries.schedule import schedule_placements


def escape(text: str) -> str:
    """Text safe inside a reportlab Paragraph (which reads a little XML-like markup)."""
    return _html_escape(text, quote=False)


def _day(value) -> str:
    return date_format(value, "j F Y")


def confirmation_filename(application) -> str:
    return f"placement-confirmation-{application.reference or application.uuid}.pdf"


def confirmation_pdf(application) -> bytes:
    """The confirmation of `application`'s accepted placements: programme, applicant, dates, departments."""
    placements = [p for p in schedule_placements(application) if p.status == PlacementStatus.CONFIRMED]
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["Italic"]
    applicant = application.applicant
    programme = application.programme
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Placement confirmation {application.reference}",
        author=str(programme.provider),
        subject=programme.title,
    )
    facts = Table(
        [
            ["Programme", Paragraph(escape(programme.title), body)],
            ["Provided by", Paragraph(escape(programme.provider.name), body)],
            ["Participant", Paragraph(escape(applicant.get_full_name() or applicant.email), body)],
            ["E-mail", Paragraph(escape(applicant.email), body)],
            ["Reference", application.reference or ""],
            ["Status", "Placement confirmed"],
        ],
        colWidths=[40 * mm, 130 * mm],
    )
    facts.setStyle(TableStyle([("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    rows = [["From", "To", "Weeks", "Department", "Hospital"]]
    for placement in placements:
        rows.append(
            [
                _day(placement.start_week),
                _day(placement.end_date),
                str(placement.weeks),
                Paragraph(escape(placement.department.name), body),
                Paragraph(escape(str(placement.department.institution)), body),
            ]
        )
    schedule = Table(rows, colWidths=[30 * mm, 30 * mm, 14 * mm, 56 * mm, 40 * mm], repeatRows=1)
    schedule.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#adb5bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    total = sum(p.weeks for p in placements)
    story = [
        Paragraph("Placement confirmation", styles["Title"]),
        facts,
        Spacer(1, 8 * mm),
        Paragraph(
            f"Confirmed placements ({total} week{'s' if total != 1 else ''}, Monday to Friday)", styles["Heading2"]
        ),
        schedule,
        Spacer(1, 8 * mm),
        Paragraph(
            escape(
                f"This confirms that {applicant.get_full_name() or applicant.email} accepted the placements above "
                f"in the {programme.title}."
            ),
            body,
        ),
        Paragraph(f"Issued on {_day(timezone.localdate())} by the placement portal.", small),
    ]
    document.build(story)
    return buffer.getvalue()
