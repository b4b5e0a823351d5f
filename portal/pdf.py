"""A4 documents made with reportlab: the page template, the styles, and the blocks the portal's PDFs
are built of (title, section, paragraph, key/value table, grid).

Every helper takes plain text and escapes it: reportlab's Paragraph reads a little XML-like markup.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape as _html_escape

import qrcode
from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Left and right margin of every page, and top and bottom unless a document asks for less (in mm).
MARGIN = 20
PAGE_WIDTH = 210  # A4, in mm


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle  # dense tables and the fine print
    note: ParagraphStyle  # an aside, in italics


def _styles() -> Styles:
    sheet = getSampleStyleSheet()
    return Styles(
        title=sheet["Title"],
        heading=sheet["Heading2"],
        body=sheet["BodyText"],
        small=sheet["BodyText"].clone("small", fontSize=8.5, leading=10.5),
        note=sheet["Italic"],
    )


STYLES = _styles()

# Facts as key and value: the keys in bold, every row aligned at its top.
KEY_VALUE = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold")])
KEY_VALUE_WIDTHS = (40, 130)
# Rows under a shaded header row, in a light grid.
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)

# Page number -> the text at the foot of the page, left and right.
Footer = Callable[[int], tuple[str, str]]


def escape(text) -> str:
    """Text safe inside a Paragraph; a line break stays a line break."""
    return _html_escape("" if text is None else str(text), quote=False).replace("\n", "<br/>")


def day(value) -> str:
    return date_format(value, "j F Y") if value else "—"


def moment(value) -> str:
    return date_format(timezone.localtime(value), "j M Y, H:i") if value else "—"


def title(text: str) -> Paragraph:
    return Paragraph(escape(text), STYLES.title)


def heading(text: str) -> Paragraph:
    return Paragraph(escape(text), STYLES.heading)


def paragraph(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(escape(text), style or STYLES.body)


def space(height: float) -> Spacer:
    """Blank space of `height` mm between blocks."""
    return Spacer(1, height * mm)


def table(
    rows: Sequence[Sequence],
    widths: Sequence[float],
    *,
    style: TableStyle = GRID,
    cell_style: ParagraphStyle | None = None,
    header: bool = True,
) -> Table:
    """A table of `rows` with column `widths` in mm; with `cell_style`, text cells wrap as paragraphs in it
    (otherwise they stay on one line). A `header` row is repeated on every page the table runs over."""
    cells = [
        [paragraph(cell, cell_style) if cell_style and isinstance(cell, str) else cell for cell in row] for row in rows
    ]
    result = Table(cells, colWidths=[width * mm for width in widths], repeatRows=1 if header else 0)
    result.setStyle(style)
    return result


def key_value_table(rows: Sequence[Sequence], *, cell_style: ParagraphStyle | None = None) -> Table:
    return table(rows, KEY_VALUE_WIDTHS, style=KEY_VALUE, cell_style=cell_style, header=False)


def section(name: str, content: Flowable | None, *, empty: str) -> list[Flowable]:
    """A section under its heading; `empty` says so in words when there is no `content`."""
    return [heading(name), content if content is not None else paragraph(empty)]


def qr_code(url: str, size: float = 32) -> Image:
    """A QR code of `url`, `size` mm square (a verification page's address, printed beside it)."""
    buffer = io.BytesIO()
    qrcode.make(url, border=1).save(buffer, format="PNG")
    buffer.seek(0)
    return Image(buffer, width=size * mm, height=size * mm)


def _drawer(footer: Footer):
    def draw(canvas, document) -> None:
        left, right = footer(document.page)
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN * mm, 10 * mm, left)
        canvas.drawRightString((PAGE_WIDTH - MARGIN) * mm, 10 * mm, right)
        canvas.restoreState()

    return draw


def document_pdf(
    story: list[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    margin_y: float = MARGIN,
    footer: Footer | None = None,
) -> bytes:
    """`story` laid out on A4 pages, as PDF bytes; `margin_y` is the top and bottom margin in mm."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN * mm,
        rightMargin=MARGIN * mm,
        topMargin=margin_y * mm,
        bottomMargin=margin_y * mm,
        title=title,
        author=author,
        subject=subject,
    )
    if footer is None:
        document.build(story)
    else:
        document.build(story, onFirstPage=_drawer(footer), onLaterPages=_drawer(footer))
    return buffer.getvalue()
