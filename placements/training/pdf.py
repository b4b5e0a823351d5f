"""The certificate PDF, in the trainee's language: of completion (the competencies reached, with the
signed-off hours of each) when the programme keeps a logbook, otherwise of attendance (the departments
or sections and their weeks). Both end with the address and QR code of the public verification page."""

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from placements.allocation.enums import PlacementStatus
from placements.training.enums import CertificateKind
from placements.training.models import Certificate
from placements.training.queries import hours_text, progress_of
from portal import pdf

QR_SIZE = 32  # mm
TOP = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])


def _name(certificate: Certificate) -> str:
    applicant = certificate.application.applicant
    return applicant.get_full_name() or applicant.email


def _placements(certificate: Certificate) -> list:
    return list(
        certificate.application.placements.filter(status=PlacementStatus.COMPLETED)
        .select_related("department__institution", "department__specialization")
        .order_by("start_week", "pk")
    )


def _facts(certificate: Certificate, placements: list) -> Table:
    programme = certificate.application.programme
    first, last = placements[0].start_week, max(p.end_date for p in placements)
    return pdf.key_value_table(
        [
            [_("Participant"), pdf.paragraph(_name(certificate))],
            [_("Programme"), pdf.paragraph(programme.title)],
            [_("Provided by"), pdf.paragraph(programme.provider.name)],
            [_("Period"), pdf.paragraph(f"{pdf.day(first)} – {pdf.day(last)}")],
            [_("Reference"), certificate.application.reference or ""],
        ]
    )


def _competencies(placements: list) -> list[Flowable]:
    rows = [[_("Competency"), _("Expected level"), _("Signed-off hours")]]
    for row in progress_of(placements):
        rows.append([row.competency.title, row.competency.get_expected_level_display(), hours_text(row.signed)])
    return [
        pdf.heading(_("Competencies reached")),
        pdf.table(rows, (100, 35, 35), cell_style=pdf.STYLES.small),
    ]


def _weeks(placements: list) -> list[Flowable]:
    rows = [[_("Department and hospital"), _("From"), _("To"), _("Weeks")]]
    for placement in placements:
        rows.append(
            [
                placement.department.label,
                pdf.day(placement.start_week),
                pdf.day(placement.end_date),
                str(placement.weeks),
            ]
        )
    return [pdf.heading(_("Departments and weeks")), pdf.table(rows, (80, 35, 35, 20), cell_style=pdf.STYLES.small)]


def _verification(verify_url: str) -> list[Flowable]:
    words = [
        pdf.paragraph(
            _(
                "Anyone holding this certificate can check that it is genuine: the page at the address below, "
                "also behind the QR code, shows the participant's name, the programme, the dates and whether "
                "the certificate is valid."
            )
        ),
        pdf.paragraph(verify_url, pdf.STYLES.small),
    ]
    block = Table([[words, pdf.qr_code(verify_url, QR_SIZE)]], colWidths=[(170 - QR_SIZE - 4) * mm, (QR_SIZE + 4) * mm])
    block.setStyle(TOP)
    return [KeepTogether([pdf.heading(_("Check this certificate")), block])]


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The PDF of `certificate`, written in its trainee's language."""
    with translation.override(certificate.application.applicant.language or "en"):
        placements = _placements(certificate)
        completion = certificate.kind == CertificateKind.COMPLETION
        title = _("Certificate of completion") if completion else _("Certificate of attendance")
        statement = (
            _("This certifies that %(name)s completed the placement of the %(programme)s.")
            if completion
            else _("This certifies that %(name)s attended the %(programme)s in the departments below.")
        ) % {"name": _name(certificate), "programme": certificate.application.programme.title}
        story = [
            pdf.title(title),
            pdf.paragraph(statement),
            pdf.space(2),
            _facts(certificate, placements),
            *(_competencies(placements) if completion else []),
            *_weeks(placements),
            *_verification(verify_url),
            pdf.space(6),
            pdf.paragraph(
                _("Issued on %(day)s by the placement portal.") % {"day": date_format(timezone.localdate(), "j F Y")},
                pdf.STYLES.note,
            ),
        ]
        return pdf.document_pdf(
            story,
            title=title,
            author=str(certificate.application.programme.provider),
            subject=certificate.application.programme.title,
            footer=lambda page: (title, _("Page %(page)s") % {"page": page}),
        )
