"""The document factory the portal's PDFs share: text is escaped, empty sections say so, the footer
is on every page and the metadata is set."""

import io

from pypdf import PdfReader

from portal import pdf


def read(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def test_text_with_markup_and_line_breaks_is_shown_as_written():
    assert pdf.escape("A & B <b>\nnext") == "A &amp; B &lt;b&gt;<br/>next"
    assert pdf.escape(None) == ""


def test_a_document_shows_its_blocks_and_says_when_a_section_is_empty():
    story = [
        pdf.title("Report <1>"),
        pdf.key_value_table([["Name", "Ana & Bo"]], cell_style=pdf.STYLES.body),
        *pdf.section("Rows", pdf.table([["Column"], ["first"]], (50,), cell_style=pdf.STYLES.small), empty="None."),
        *pdf.section("Nothing here", None, empty="No rows yet."),
    ]

    reader = read(pdf.document_pdf(story, title="Report", author="The portal", subject="Testing"))

    text = reader.pages[0].extract_text()
    assert [line.strip() for line in text.splitlines() if line.strip()] == [
        "Report <1>",
        "Name",
        "Ana & Bo",
        "Rows",
        "Column",
        "first",
        "Nothing here",
        "No rows yet.",
    ]
    assert (reader.metadata.title, reader.metadata.author, reader.metadata.subject) == (
        "Report",
        "The portal",
        "Testing",
    )


def test_the_footer_is_on_every_page_with_its_number():
    story = [pdf.paragraph(f"Line {n}") for n in range(120)]

    reader = read(
        pdf.document_pdf(story, title="Long", author="", subject="", footer=lambda page: ("Left", f"Page {page}"))
    )

    assert len(reader.pages) > 1
    assert [
        ("Left" in page.extract_text(), f"Page {number}" in page.extract_text())
        for number, page in enumerate(reader.pages, start=1)
    ] == [(True, True)] * len(reader.pages)
