import io

import pytest
from PIL import Image

from applicants.files import PreviewError
from applicants.files.images import render_image_preview, sanitize_image
from tests.applicants import corpus


@pytest.fixture
def sanitize(tmp_path):
    def run(data: bytes, *, kind: str, **options):
        source = tmp_path / "upload"
        source.write_bytes(data)
        report = sanitize_image(source, tmp_path / "clean", kind=kind, **options)
        return report, tmp_path / "clean"

    return run


def test_jpeg_with_gps_is_re_encoded_without_any_metadata(sanitize):
    report, output = sanitize(corpus.jpeg_with_gps(), kind="jpeg")

    assert (report.ok, report.reason, report.width, report.height) == (True, "", 40, 30)
    with Image.open(output) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(0x8825) == {}
        assert {"exif", "icc_profile", "comment", "xmp"}.isdisjoint(image.info)
    data = output.read_bytes()
    assert b"Exif" not in data
    assert corpus.CAMERA_MAKER.encode() not in data


def test_the_gps_fixture_really_carries_a_position():
    with Image.open(io.BytesIO(corpus.jpeg_with_gps())) as image:
        gps = image.getexif().get_ifd(0x8825)

    assert (gps[1], gps[2], gps[3], gps[4]) == ("N", corpus.GPS_LATITUDE, "E", corpus.GPS_LONGITUDE)


def test_png_with_gps_and_text_chunks_keeps_only_pixels(sanitize):
    report, output = sanitize(corpus.png_with_gps(), kind="png")

    assert report.ok
    with Image.open(output) as image:
        assert image.info == {}
        assert dict(image.getexif()) == {}
    data = output.read_bytes()
    for chunk in (b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"iCCP"):
        assert chunk not in data


def test_pixels_survive_the_re_encoding(sanitize):
    report, output = sanitize(corpus.png(), kind="png")

    assert report.ok
    with Image.open(output) as image:
        assert (image.getpixel((0, 0)), image.getpixel((39, 29))) == ((255, 0, 0), (255, 255, 255))


def test_exif_orientation_is_applied(sanitize):
    report, output = sanitize(corpus.jpeg_rotated(), kind="jpeg")

    assert (report.ok, report.width, report.height) == (True, 20, 40)
    with Image.open(output) as image:
        assert image.size == (20, 40)


def test_decompression_bomb_header_is_refused_before_decoding(sanitize):
    report, output = sanitize(corpus.png_bomb(), kind="png")

    assert (report.ok, report.reason) == (False, "The image is too large (900 megapixels); the limit is 40.")
    assert (report.width, report.height) == (30_000, 30_000)
    assert not output.exists()


def test_exactly_40_megapixels_pass(sanitize):
    report, _ = sanitize(corpus.png(8_000, 5_000, mode="1"), kind="png")

    assert (report.ok, report.width, report.height) == (True, 8_000, 5_000)


def test_just_over_40_megapixels_is_refused(sanitize):
    report, _ = sanitize(corpus.png(8_000, 5_001, mode="1"), kind="png")

    assert report.reason == "The image is too large (40.1 megapixels); the limit is 40."


@pytest.mark.parametrize(
    ("width", "height", "megapixels"),
    [(10_000, 10_000, "100"), (30_000, 30_000, "900")],
    ids=["pillow-warning", "pillow-error"],
)
def test_pillow_global_limit_still_refuses_when_the_caller_allows_more(sanitize, width, height, megapixels):
    report, _ = sanitize(corpus.png_bomb(width, height), kind="png", max_pixels=1_000_000_000)

    assert report.reason == f"The image is too large ({megapixels} megapixels); the limit is 1000."


def test_truncated_image_is_refused(sanitize):
    report, output = sanitize(corpus.png_truncated(), kind="png")

    assert (report.ok, report.reason) == (False, "The image is damaged and cannot be read.")
    assert not output.exists()


def test_content_of_another_kind_is_refused(sanitize):
    report, _ = sanitize(corpus.jpeg(), kind="png")

    assert report.reason == "The file is not a PNG image."


def test_html_appended_to_a_png_is_dropped(sanitize):
    report, output = sanitize(corpus.png_html_polyglot(), kind="png")

    assert report.ok
    assert corpus.HIDDEN_SCRIPT not in output.read_bytes()


def test_palette_png_with_transparency_keeps_it(sanitize):
    image = Image.new("P", (10, 10), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)

    report, output = sanitize(buffer.getvalue(), kind="png")

    assert report.ok
    with Image.open(output) as clean:
        assert (clean.mode, clean.getpixel((0, 0))) == ("RGBA", (255, 0, 0, 0))


def test_cmyk_jpeg_becomes_rgb(sanitize):
    buffer = io.BytesIO()
    Image.new("CMYK", (10, 10), (0, 255, 255, 0)).save(buffer, "JPEG")

    report, output = sanitize(buffer.getvalue(), kind="jpeg")

    assert report.ok
    with Image.open(output) as image:
        assert image.mode == "RGB"


def test_colours_are_converted_to_srgb_before_the_profile_is_dropped(sanitize):
    report, output = sanitize(corpus.png_with_swapped_colour_profile(), kind="png")

    assert report.ok
    with Image.open(output) as image:
        assert ("icc_profile" in image.info, image.getpixel((0, 0))) == (False, (0, 0, 255))


def test_preview_is_600_pixels_wide_and_without_metadata(tmp_path):
    source = tmp_path / "photo.jpg"
    source.write_bytes(corpus.jpeg(1_200, 800))
    preview = tmp_path / "preview.png"

    render_image_preview(source, preview)

    with Image.open(preview) as image:
        assert (image.format, image.size, image.info) == ("PNG", (600, 400), {})


def test_preview_keeps_a_small_image_small(tmp_path):
    source = tmp_path / "scan.png"
    source.write_bytes(corpus.png(40, 30))

    render_image_preview(source, tmp_path / "preview.png")

    with Image.open(tmp_path / "preview.png") as image:
        assert image.size == (40, 30)


@pytest.mark.parametrize("data", [corpus.png_bomb(), corpus.html_page()], ids=["bomb", "html"])
def test_preview_of_a_bad_image_raises_preview_error(tmp_path, data):
    source = tmp_path / "image"
    source.write_bytes(data)

    with pytest.raises(PreviewError):
        render_image_preview(source, tmp_path / "preview.png")
