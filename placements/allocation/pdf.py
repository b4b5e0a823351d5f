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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
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
NOT_GIVEN = gettext_lazy("The host department will tell you before you start.")


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
            [_("Participant"), pdf.paragraph(_participant(application))],
            [_("Programme"), pdf.paragraph(programme.title)],
            [_("Provided by"), pdf.paragraph(programme.provider.name)],
            [_("Reference"), application.reference or ""],
            [_("Status"), _("Placement confirmed")],
        ]
    )


def _reporting_rows(department, reporting: Reporting, first_day) -> list[list]:
    when = _long_day(first_day)
    if reporting.time:
        when = _("%(day)s, at %(time)s") % {"day": when, "time": time_format(reporting.time, "H:i")}
    rows = [
        [_("Host department"), pdf.paragraph(department.label)],
        [_("Address"), pdf.paragraph(reporting.address or str(NOT_GIVEN))],
        [_("First day"), pdf.paragraph(when)],
    ]
    if reporting.hours:
        rows.append([_("Usual hours"), pdf.paragraph(reporting.hours)])
    rows.append([_("Contact person"), pdf.paragraph(reporting.contact or str(NOT_GIVEN))])
    if reporting.notes:
        rows.append([_("On arrival"), pdf.paragraph(reporting.notes)])
    return rows


def _where_to_report(placements) -> list[Flowable]:
    """The first department in full; each later one whose details differ, with its own first day."""
    story, shown = [], []
    for placement in placements:
        reporting = department_reporting(placement.department)
        if reporting in shown:
            continue
        if shown:
            heading = _("Then, from %(day)s") % {"day": _long_day(placement.start_week)}
        else:
            heading = _("Where and when to report")
        rows = _reporting_rows(placement.department, reporting, placement.start_week)
        story += [pdf.heading(heading), pdf.key_value_table(rows)]
        shown.append(reporting)
    return story


def _weeks(placements) -> list[Flowable]:
    rows = [[_("Week"), _("Monday to Friday"), _("Department and hospital")]]
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
        pdf.heading(
            ngettext(
                "Your placement week by week (%(count)d week)", "Your placement week by week (%(count)d weeks)", total
            )
            % {"count": total}
        ),
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
            _(
                "Anyone holding this document can check that it is genuine: the page at the address below, "
                "also behind the QR code, shows reference %(reference)s with the participant's name "
                "and dates as the placement portal records them."
            )
            % {"reference": application.reference}
        ),
        pdf.paragraph(verify_url, pdf.STYLES.small),
    ]
    block = Table([[words, _qr_code(verify_url)]], colWidths=[(170 - QR_SIZE - 4) * mm, (QR_SIZE + 4) * mm])
    block.setStyle(VERIFICATION)
    return [KeepTogether([pdf.heading(_("Check this confirmation")), block])]


def _closing(application) -> list[Flowable]:
    return [
        pdf.paragraph(
            _("This confirms that %(participant)s accepted the placement above in the %(programme)s.")
            % {"participant": _participant(application), "programme": application.programme.title}
        ),
        pdf.paragraph(
            _("Issued on %(day)s by the placement portal.") % {"day": pdf.day(timezone.localdate())}, pdf.STYLES.note
        ),
    ]


def confirmation_pdf(application, *, verify_url: str) -> bytes:
    """The confirmation of `application`'s accepted placements, with the address of its verification page."""
    placements = list(
        Placement.objects.filter(application=application, status=PlacementStatus.CONFIRMED)
        .select_related("department__institution", "department__parent")
        .order_by("start_week", "pk")
    )
    story = [
        pdf.title(_("Placement confirmation")),
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
        title=_("Placement confirmation %(reference)s") % {"reference": reference},
        author=str(application.programme.provider),
        subject=application.programme.title,
        footer=lambda page: (
            _("Placement confirmation %(reference)s") % {"reference": reference},
            _("Page %(page)s") % {"page": page},
        ),
    )
