import pytest
from PIL import Image

from applicants.files import PreviewError
from applicants.files.pdf import PdfFlag, inspect_pdf, precheck_pdf, render_pdf_preview, scan_raw_names
from tests.applicants import corpus
from tests.applicants import hostile_pdfs as hostile

RESAVE = "Print it to a new PDF (“Save as PDF” in the print dialogue) and upload that copy."


@pytest.fixture
def inspect(tmp_path):
    def run(data: bytes, **options):
        path = tmp_path / "upload.pdf"
        path.write_bytes(data)
        return inspect_pdf(path, **options)

    return run


def test_plain_pdf_passes_with_its_text(inspect):
    report = inspect(corpus.pdf_with_text("Motivation letter\nI would like to start on 3 March 2027."))

    assert (report.ok, report.reason, report.pages, report.flags) == (True, "", 1, frozenset())
    assert report.text.splitlines() == ["Motivation letter", "I would like to start on 3 March 2027."]


def test_text_is_taken_from_the_first_20_pages_only(inspect):
    report = inspect(corpus.pdf_with_text("Repeated page", pages=25))

    assert (report.ok, report.pages) == (True, 25)
    assert report.text.count("Repeated page") == 20


def test_text_is_capped_at_200_000_characters(inspect):
    report = inspect(corpus.pdf_with_text("lorem ipsum " * 1_500, pages=12))

    assert len(report.text) == 200_000


def test_pdf_without_text_is_noted_not_refused(inspect):
    report = inspect(corpus.pdf_with_pages(2))

    assert (report.ok, report.pages, report.text, report.flags) == (True, 2, "", frozenset({PdfFlag.NO_TEXT}))


@pytest.mark.parametrize(
    ("make", "flag", "reason"),
    [
        (corpus.pdf_with_javascript, PdfFlag.JAVASCRIPT, f"The PDF contains JavaScript. {RESAVE}"),
        (corpus.pdf_with_open_action_javascript, PdfFlag.JAVASCRIPT, f"The PDF contains JavaScript. {RESAVE}"),
        (corpus.pdf_with_hex_escaped_javascript, PdfFlag.JAVASCRIPT, f"The PDF contains JavaScript. {RESAVE}"),
        (corpus.pdf_with_orphan_javascript, PdfFlag.JAVASCRIPT, f"The PDF contains JavaScript. {RESAVE}"),
        (corpus.pdf_with_javascript_in_object_stream, PdfFlag.JAVASCRIPT, f"The PDF contains JavaScript. {RESAVE}"),
        (corpus.pdf_with_open_action_uri, PdfFlag.OPEN_ACTION, f"The PDF runs an action when it is opened. {RESAVE}"),
        (
            corpus.pdf_with_launch_action,
            PdfFlag.LAUNCH,
            f"The PDF contains an action that starts another program. {RESAVE}",
        ),
        (corpus.pdf_with_attachment, PdfFlag.EMBEDDED_FILE, f"The PDF has files attached inside it. {RESAVE}"),
        (
            corpus.pdf_with_file_attachment_annotation,
            PdfFlag.EMBEDDED_FILE,
            f"The PDF has files attached inside it. {RESAVE}",
        ),
        (
            corpus.pdf_with_page_open_action,
            PdfFlag.ADDITIONAL_ACTIONS,
            f"The PDF runs actions automatically (on opening a page or a form field). {RESAVE}",
        ),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_active_content_is_refused(inspect, make, flag, reason):
    report = inspect(make())

    assert (report.ok, report.reason, report.text) == (False, reason, "")
    assert flag in report.flags


def test_open_action_running_javascript_is_flagged_both_ways(inspect):
    report = inspect(corpus.pdf_with_open_action_javascript())

    assert {PdfFlag.JAVASCRIPT, PdfFlag.OPEN_ACTION} <= report.flags


def test_raw_scan_decodes_hex_escaped_names():
    assert scan_raw_names(corpus.pdf_with_hex_escaped_javascript()) == {PdfFlag.JAVASCRIPT}


def test_raw_scan_finds_a_script_nothing_points_to():
    assert scan_raw_names(corpus.pdf_with_orphan_javascript()) == {PdfFlag.JAVASCRIPT}


def test_object_walk_finds_a_script_hidden_in_a_compressed_object_stream(inspect):
    data = corpus.pdf_with_javascript_in_object_stream()

    assert scan_raw_names(data) == set()
    assert {PdfFlag.JAVASCRIPT, PdfFlag.OPEN_ACTION} <= inspect(data).flags


def test_the_word_javascript_in_the_text_is_not_a_script(inspect):
    report = inspect(corpus.pdf_with_text("Skills: HTML/JavaScript, /JS, /Launch and /AA", compress=False))

    assert (report.ok, report.flags) == (True, frozenset())


def test_the_word_javascript_in_the_title_is_not_a_script(inspect):
    report = inspect(corpus.pdf_with_metadata_title("Web (HTML/JavaScript) developer"))

    assert (report.ok, report.flags) == (True, frozenset())


def test_web_links_are_allowed_and_noted(inspect):
    report = inspect(corpus.pdf_with_link())

    assert (report.ok, report.flags) == (True, frozenset({PdfFlag.LINKS}))


@pytest.mark.parametrize("as_goto_action", [False, True])
def test_opening_at_the_first_page_is_allowed(inspect, as_goto_action):
    report = inspect(corpus.pdf_opening_at_first_page(as_goto_action=as_goto_action))

    assert (report.ok, report.flags) == (True, frozenset())


def test_password_protected_pdf_is_refused(inspect):
    report = inspect(corpus.pdf_encrypted())

    assert (report.ok, report.reason) == (False, "The PDF is password-protected; upload it without a password.")
    assert PdfFlag.ENCRYPTED in report.flags


def test_pdf_with_only_an_owner_password_is_read(inspect):
    report = inspect(corpus.pdf_with_owner_password_only("IELTS Test Report Form"))

    assert (report.ok, report.flags, report.text.strip()) == (True, {PdfFlag.RESTRICTED}, "IELTS Test Report Form")


@pytest.mark.parametrize(
    "data",
    [corpus.pdf_truncated(), corpus.html_page(), b"%PDF-1.7\n" + b"\x00" * 100, corpus.empty()],
    ids=["truncated", "html", "header-only", "empty"],
)
def test_damaged_pdf_is_refused(inspect, data):
    report = inspect(data)

    assert (report.ok, report.reason, report.flags) == (
        False,
        "The PDF is damaged and cannot be read.",
        {PdfFlag.DAMAGED},
    )


def test_pdf_with_no_pages_is_refused(inspect):
    report = inspect(corpus.assemble_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] >>"}))

    assert (report.ok, report.reason) == (False, "The PDF has no pages.")


def test_exactly_the_page_limit_passes(inspect):
    report = inspect(corpus.pdf_with_pages(3), max_pages=3)

    assert (report.ok, report.pages) == (True, 3)


def test_one_page_over_the_limit_is_refused(inspect):
    report = inspect(corpus.pdf_with_pages(4), max_pages=3)

    assert (report.ok, report.reason, report.pages) == (False, "The PDF has 4 pages; the limit is 3.", 4)


def test_5000_pages_are_refused(inspect):
    report = inspect(corpus.pdf_with_pages(5_000))

    assert (report.ok, report.reason, report.flags) == (
        False,
        "The PDF has 5000 pages; the limit is 500.",
        {PdfFlag.TOO_MANY_PAGES},
    )


def test_page_tree_claiming_a_hundred_million_pages_is_refused_without_expanding_it(inspect):
    report = inspect(corpus.pdf_with_page_tree_bomb())

    assert (report.ok, report.reason) == (False, "The PDF has more than 100000 pages; the limit is 500.")


def test_preview_is_the_first_page_600_pixels_wide(tmp_path):
    source = tmp_path / "cv.pdf"
    source.write_bytes(corpus.pdf_with_text("First page", pages=2))
    preview = tmp_path / "preview.png"

    render_pdf_preview(source, preview)

    with Image.open(preview) as image:
        assert (image.format, image.width, image.height) == ("PNG", 600, 849)  # A4 proportions


def test_preview_of_something_that_is_no_pdf_raises_preview_error(tmp_path):
    source = tmp_path / "cv.pdf"
    source.write_bytes(corpus.html_page())

    with pytest.raises(PreviewError):
        render_pdf_preview(source, tmp_path / "preview.png")


# --- what the second look at a rebuilt file must also catch (and the first look at an upload only notes) ---------

FORM_REASON = f"The PDF is a fillable form. {RESAVE}"
ACTION_REASON = f"The PDF contains actions that send data, open other files or play media. {RESAVE}"


@pytest.mark.parametrize(
    ("make", "flag", "reason"),
    [
        (lambda: hostile.open_action_chain("uri"), PdfFlag.OTHER_ACTION, ACTION_REASON),
        (lambda: hostile.open_action_chain("submit"), PdfFlag.OTHER_ACTION, ACTION_REASON),
        (hostile.xfa_form_with_script, PdfFlag.FORM, FORM_REASON),
        (hostile.widgets_submitting_and_importing, PdfFlag.OTHER_ACTION, None),
        (hostile.link_to_network_share, PdfFlag.OTHER_ACTION, ACTION_REASON),
        (hostile.links_of_every_kind, PdfFlag.OTHER_ACTION, None),
    ],
    ids=["next-uri", "next-submit-form", "xfa", "widgets", "goto-remote", "script-and-file-links"],
)
def test_chained_actions_forms_and_links_to_other_files_are_refused_but_only_noted_before_the_rebuild(
    inspect, tmp_path, make, flag, reason
):
    data = make()
    report = inspect(data)
    path = tmp_path / "before.pdf"
    path.write_bytes(data)
    first_look = precheck_pdf(path)

    assert report.ok is False
    assert flag in report.flags
    if reason:
        assert report.reason == reason
    assert (first_look.ok, first_look.text) == (True, "")
    assert flag in first_look.flags


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (corpus.pdf_encrypted, "The PDF is password-protected; upload it without a password."),
        (corpus.pdf_truncated, "The PDF is damaged and cannot be read."),
        (lambda: corpus.pdf_with_pages(501), "The PDF has 501 pages; the limit is 500."),
    ],
    ids=["password", "damaged", "too-many-pages"],
)
def test_first_look_refuses_what_cannot_be_rebuilt(tmp_path, make, reason):
    path = tmp_path / "upload.pdf"
    path.write_bytes(make())

    report = precheck_pdf(path)

    assert (report.ok, report.reason) == (False, reason)
