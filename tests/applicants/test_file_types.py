import hashlib
import io

import pytest

from applicants.files.types import check_upload, sanitize_filename, sha256_of, sniff_kind
from tests.applicants import corpus

MB = 1024 * 1024
ALL_KINDS = ["pdf", "jpeg", "png"]


def upload(name: str, data: bytes, *, allowed: list[str] | None = None, max_bytes: int = 10 * MB, size=None):
    return check_upload(
        name=name,
        size=len(data) if size is None else size,
        head=data[:2048],
        allowed_kinds=["pdf"] if allowed is None else allowed,
        max_bytes=max_bytes,
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cv.pdf", "cv.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\System32\\cv.pdf", "cv.pdf"),
        ("C:\\Users\\jane\\Desktop\\Motivation letter.pdf", "Motivation letter.pdf"),
        ("cv\x00.pdf", "cv.pdf"),
        ("evil.pdf\x00.exe", "evil.pdf.exe"),
        ("cv\u202efdp.exe", "cvfdp.exe"),
        ("\u2066cv\u2069\u200e.pdf", "cv.pdf"),
        ("ｃｖ．ｐｄｆ", "cv.pdf"),  # fullwidth letters, NFKC
        ("my   cv\t\n .pdf", "my cv.pdf"),
        ("Lebenslauf Müller.pdf", "Lebenslauf Müller.pdf"),
        ('CV <b>"Jane" & co</b>.pdf', "b_.pdf"),  # the slash of </b> is a folder separator
        ('CV <b>"Jane" & co.pdf', "CV _b_Jane_ _ co.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("..pdf", "document.pdf"),
        (".pdf", "document.pdf"),
        ("", "document"),
        ("...", "document"),
        ("/", "document"),
        ("CV.PDF", "CV.pdf"),
        ("cv.pdf.exe", "cv.pdf.exe"),
        ("trailing dots. . .", "trailing dots"),
    ],
)
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_sanitize_filename_caps_length_and_keeps_the_extension():
    name = sanitize_filename("a" * 300 + ".jpeg")

    assert len(name) == 120
    assert name == "a" * 115 + ".jpeg"


def test_sanitize_filename_of_only_unsafe_characters_is_not_empty():
    assert sanitize_filename("\u202e\u200f\x07") == "document"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (corpus.pdf_with_text("x"), "pdf"),
        (b"\xef\xbb\xbf garbage before the header\n" + corpus.pdf_with_text("x"), "pdf"),
        (corpus.png(), "png"),
        (corpus.jpeg(), "jpeg"),
        (corpus.png_html_polyglot(), "png"),
        (b" " * 1024 + corpus.pdf_with_text("x"), None),
        (b"%PDF-x", None),
        (corpus.html_page(), None),
        (corpus.svg_image(), None),
        (corpus.zip_archive(), None),
        (corpus.eicar(), None),
        (corpus.empty(), None),
        (b"\x89PNG", None),
        (b"\xff\xd8", None),
    ],
)
def test_sniff_kind(data, expected):
    assert sniff_kind(data[:2048]) == expected


def test_check_upload_accepts_a_pdf():
    result = upload("Curriculum Vitae.pdf", corpus.pdf_with_text("CV"))

    assert (result.ok, result.kind, result.reason, result.safe_name) == (True, "pdf", "", "Curriculum Vitae.pdf")
    assert result.mime_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "kind", "mime_type"),
    [
        ("photo.JPG", corpus.jpeg(), "jpeg", "image/jpeg"),
        ("photo.jpeg", corpus.jpeg(), "jpeg", "image/jpeg"),
        ("scan.png", corpus.png(), "png", "image/png"),
    ],
)
def test_check_upload_accepts_images(name, data, kind, mime_type):
    result = upload(name, data, allowed=ALL_KINDS)

    assert (result.ok, result.kind, result.mime_type) == (True, kind, mime_type)


def test_check_upload_refuses_an_empty_file():
    result = upload("cv.pdf", corpus.empty())

    assert (result.ok, result.kind, result.reason) == (False, None, "The file is empty.")
    assert result.mime_type == ""


def test_check_upload_accepts_exactly_the_size_limit():
    assert upload("cv.pdf", corpus.pdf_with_text("CV"), size=10 * MB).ok


def test_check_upload_refuses_one_byte_over_the_limit():
    result = upload("cv.pdf", corpus.pdf_with_text("CV"), size=10 * MB + 1)

    assert (result.ok, result.reason) == (False, "The file is 10.0 MB; the limit is 10 MB.")


def test_check_upload_states_small_sizes_in_kilobytes():
    result = upload("cv.pdf", corpus.pdf_with_text("CV"), size=3000, max_bytes=2048)

    assert result.reason == "The file is 2.9 KB; the limit is 2 KB."


def test_check_upload_judges_a_double_extension_by_the_last_one():
    result = upload("cv.pdf.exe", corpus.pdf_with_text("CV"))

    assert (result.ok, result.safe_name) == (False, "cv.pdf.exe")
    assert result.reason == "Files ending in .exe are not accepted for this document; upload a PDF (.pdf)."


def test_check_upload_accepts_a_pdf_whose_earlier_extension_is_odd():
    assert upload("cv.exe.pdf", corpus.pdf_with_text("CV")).ok


def test_check_upload_sees_through_a_right_to_left_override():
    # Shown by a browser as "cvexe.pdf", but the name ends in .exe.
    result = upload("cv\u202efdp.exe", corpus.pdf_with_text("CV"))

    assert result.reason == "Files ending in .exe are not accepted for this document; upload a PDF (.pdf)."


def test_check_upload_lists_every_accepted_kind():
    result = upload("cv.docx", corpus.zip_archive(), allowed=ALL_KINDS)

    assert result.reason == (
        "Files ending in .docx are not accepted for this document; "
        "upload a PDF (.pdf), a JPEG image (.jpg, .jpeg) or a PNG image (.png)."
    )


def test_check_upload_refuses_an_image_where_only_pdf_is_accepted():
    result = upload("letter.png", corpus.png())

    assert result.reason == "Files ending in .png are not accepted for this document; upload a PDF (.pdf)."


def test_check_upload_refuses_a_name_without_extension():
    result = upload("cv", corpus.pdf_with_text("CV"), allowed=["pdf", "png"])

    assert result.reason == (
        "Files without an extension are not accepted for this document; upload a PDF (.pdf) or a PNG image (.png)."
    )


@pytest.mark.parametrize(
    "data",
    [corpus.html_page(), corpus.svg_image(), corpus.zip_archive(), corpus.eicar(), corpus.png(), corpus.jpeg()],
    ids=["html", "svg", "zip", "eicar", "png", "jpeg"],
)
def test_check_upload_refuses_a_pdf_name_on_other_content(data):
    result = upload("cv.pdf", data)

    assert (result.ok, result.reason) == (False, "The file is named .pdf but its content is not a PDF.")


def test_check_upload_refuses_a_png_named_jpg():
    result = upload("photo.jpg", corpus.png(), allowed=ALL_KINDS)

    assert result.reason == "The file is named .jpg but its content is not a JPEG image."


def test_check_upload_ignores_unknown_kinds_in_the_catalogue():
    result = upload("cv.pdf", corpus.pdf_with_text("CV"), allowed=["docx"])

    assert result.reason == "No files are accepted for this document; please contact the programme coordinator."


def test_sha256_of_streams_the_whole_file_and_rewinds_it():
    data = bytes(range(256)) * 12_000  # about 3 MB, several chunks
    file = io.BytesIO(data)
    file.read(10)

    digest = sha256_of(file, chunk_size=64 * 1024)

    assert digest == hashlib.sha256(data).hexdigest()
    assert file.tell() == 0
