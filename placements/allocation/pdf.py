"""The placement confirmation: a PDF made on request, for the trainee and for the host department.

It says where and when to report (address, first day and time, usual hours, the contact person), the
host department and hospital, the dates week by week and the reference, and how to check that it is
genuine: a URL and a QR code to the portal's public verification page of this confirmation.
"""

import io
from datetime import timedelta

import qrcode
from django.utils import timezone
from django.utils.formats import date_format, time_format
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Table, TableStyle

from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.catalogue.reporting import Reporting, department_reporting
from portal import pdf

# The weeks: a bold header row on grey, in a mid-grey grid.
SCHEDULE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#adb5bd")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)
# The verification block: the words on the left, the QR code on the right.
VERIFICATION = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
QR_SIZE = 32  # mm
NOT_GIVEN = "The host department will tell you before you start."


def confirmation_filename(application) -> str:
    return f"placement-confirmation-{application.reference or application.uuid}.pdf"


def _participant(application) -> str:
    return application.applicant.get_full_name() or application.applicant.email


def _long_day(value) -> str:
    return date_format(value, "l j F Y")


def _facts(application) -> Table:
    programme = application.programme
    return pdf.key_value_table(
        [
            ["Participant", pdf.paragraph(_participant(application))],
            ["Programme", pdf.paragraph(programme.title)],
            ["Provided by", pdf.paragraph(programme.provider.name)],
            ["Reference", application.reference or ""],
            ["Status", "Placement confirmed"],
        ]
    )


def _reporting_rows(department, reporting: Reporting, first_day) -> list[list]:
    when = _long_day(first_day) + (f", at {time_format(reporting.time, 'H:i')}" if reporting.time else "")
    rows = [
        ["Host department", pdf.paragraph(department.label)],
        ["Address", pdf.paragraph(reporting.address or NOT_GIVEN)],
        ["First day", pdf.paragraph(when)],
    ]
    if reporting.hours:
        rows.append(["Usual hours", pdf.paragraph(reporting.hours)])
    rows.append(["Contact person", pdf.paragraph(reporting.contact or NOT_GIVEN)])
    if reporting.notes:
        rows.append(["On arrival", pdf.paragraph(reporting.notes)])
    return rows


def _where_to_report(placements) -> list[Flowable]:
    """The first department in full; each later one whose details differ, with its own first day."""
    story, shown = [], []
    for placement in placements:
        reporting = department_reporting(placement.department)
        if reporting in shown:
            continue
        heading = "Where and when to report" if not shown else f"Then, from {_long_day(placement.start_week)}"
        rows = _reporting_rows(placement.department, reporting, placement.start_week)
        story += [pdf.heading(heading), pdf.key_value_table(rows)]
        shown.append(reporting)
    return story


def _weeks(placements) -> list[Flowable]:
    rows = [["Week", "Monday to Friday", "Department and hospital"]]
    for placement in placements:
        for monday in placement.week_list():
            friday = monday + timedelta(days=4)
            rows.append(
                [
                    str(monday.isocalendar().week),
                    f"{date_format(monday, 'j F')} – {pdf.day(friday)}",
                    pdf.paragraph(placement.department.label),
                ]
            )
    total = sum(p.weeks for p in placements)
    return [
        pdf.heading(f"Your placement week by week ({total} week{'s' if total != 1 else ''})"),
        pdf.table(rows, (16, 54, 100), style=SCHEDULE),
    ]


def _qr_code(url: str) -> Image:
    buffer = io.BytesIO()
    qrcode.make(url, border=1).save(buffer, format="PNG")
    buffer.seek(0)
    return Image(buffer, width=QR_SIZE * mm, height=QR_SIZE * mm)


def _verification(application, verify_url: str) -> list[Flowable]:
    words = [
        pdf.paragraph(
            f"Anyone holding this document can check that it is genuine: the page at the address below, "
            f"also behind the QR code, shows reference {application.reference} with the participant's name "
            "and dates as the placement portal records them."
        ),
        pdf.paragraph(verify_url, pdf.STYLES.small),
    ]
    block = Table([[words, _qr_code(verify_url)]], colWidths=[(170 - QR_SIZE - 4) * mm, (QR_SIZE + 4) * mm])
    block.setStyle(VERIFICATION)
    return [KeepTogether([pdf.heading("Check this confirmation"), block])]


def _closing(application) -> list[Flowable]:
    return [
        pdf.paragraph(
            f"This confirms that {_participant(application)} accepted the placement above "
            f"in the {application.programme.title}."
        ),
        pdf.paragraph(f"Issued on {pdf.day(timezone.localdate())} by the placement portal.", pdf.STYLES.note),
    ]


def confirmation_pdf(application, *, verify_url: str) -> bytes:
    """The confirmation of `application`'s accepted placements, with the address of its verification page."""
    placements = list(
        Placement.objects.filter(application=application, status=PlacementStatus.CONFIRMED)
        .select_related("department__institution", "department__parent")
        .order_by("start_week", "pk")
    )
    story = [
        pdf.title("Placement confirmation"),
        _facts(application),
        *_where_to_report(placements),
        pdf.space(2),
        *_weeks(placements),
        *_verification(application, verify_url),
        pdf.space(6),
        *_closing(application),
    ]
    reference = application.reference or ""
    return pdf.document_pdf(
        story,
        title=f"Placement confirmation {reference}",
        author=str(application.programme.provider),
        subject=application.programme.title,
        footer=lambda page: (f"Placement confirmation {reference}", f"Page {page}"),
    )
