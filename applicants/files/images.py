"""Image cleaning: refuse decompression bombs and broken files, keep the pixels, drop everything else.

A stored image is always our own re-encoding: EXIF (with GPS position and camera serials), ICC
profiles, text chunks, comments and anything appended after the image data (polyglots) are gone.
"""

import io
import logging
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext, gettext_lazy
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, PngImagePlugin

from applicants.files import PreviewError
from applicants.files.types import ALLOWED_KINDS, sniff_kind
from placements.catalogue.enums import FileKind

logger = logging.getLogger(__name__)

MAX_PIXELS = 40_000_000
JPEG_QUALITY = 90
DAMAGED = gettext_lazy("The image is damaged and cannot be read.")

_FORMATS = {
    FileKind.JPEG: ("JPEG", JpegImagePlugin.JpegImageFile),
    FileKind.PNG: ("PNG", PngImagePlugin.PngImageFile),
}
_PNG_MODES = {"1", "L", "LA", "I", "I;16", "RGB", "RGBA"}
_JPEG_MODES = {"L", "RGB"}


@dataclass(frozen=True)
class ImageReport:
    ok: bool
    reason: str
    width: int
    height: int


class _Refused(Exception):
    def __init__(self, reason: str, size: tuple[int, int] = (0, 0)):
        super().__init__(reason)
        self.reason = reason
        self.size = size


def sanitize_image(path: str | Path, out_path: str | Path, *, kind: str, max_pixels: int = MAX_PIXELS) -> ImageReport:
    """Re-encode an uploaded JPEG or PNG to `out_path` upright and without metadata, or say why not."""
    try:
        image = _load(path, kind=kind, max_pixels=max_pixels)
    except _Refused as refusal:
        return ImageReport(ok=False, reason=refusal.reason, width=refusal.size[0], height=refusal.size[1])

    try:
        image = _plain_mode(_to_srgb(ImageOps.exif_transpose(image)), kind)
    except Exception:  # a malformed EXIF block
        logger.info("Image %s could not be turned upright", path, exc_info=True)
        return ImageReport(ok=False, reason=DAMAGED, width=image.width, height=image.height)
    image.info = {}  # encoders copy ICC profiles, comments and transparency from here
    save_format = _FORMATS[kind][0]
    options = {"quality": JPEG_QUALITY, "optimize": True} if kind == FileKind.JPEG else {}
    image.save(out_path, format=save_format, **options)
    return ImageReport(ok=True, reason="", width=image.width, height=image.height)


def render_image_preview(path: str | Path, out_path: str | Path, *, width: int = 600) -> None:
    """Write a PNG at most `width` pixels wide of an image; raise PreviewError if it cannot be read."""
    with open(path, "rb") as file:
        kind = sniff_kind(file.read(16))
    if kind not in _FORMATS:
        raise PreviewError(gettext("The file is not a JPEG or PNG image."))
    try:
        image = _load(path, kind=kind, max_pixels=MAX_PIXELS)
    except _Refused as refusal:
        raise PreviewError(refusal.reason) from refusal
    image = ImageOps.exif_transpose(image)
    image.thumbnail((width, width * 4))
    if image.mode not in {"RGB", "RGBA", "L", "LA"}:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.info = {}
    image.save(out_path, format="PNG", optimize=True)


def image_dimensions(path: str | Path, *, kind: str) -> tuple[int, int]:
    """Width and height from the header alone, before Pillow's own bomb check and before any pixel."""
    _, factory = _FORMATS[kind]
    with open(path, "rb") as file, factory(file) as header:
        return header.size


def _load(path: str | Path, *, kind: str, max_pixels: int) -> Image.Image:
    if kind not in _FORMATS:
        raise ValueError(f"Not an image kind: {kind!r}")
    save_format, _ = _FORMATS[kind]
    label = ALLOWED_KINDS[kind].label
    with open(path, "rb") as file:
        if sniff_kind(file.read(16)) != kind:
            raise _Refused(gettext("The file is not a %(kind)s.") % {"kind": label})
    try:
        size = image_dimensions(path, kind=kind)
    except Exception as error:  # Pillow raises SyntaxError, OSError, struct.error... on hostile headers
        raise _Refused(DAMAGED) from error
    if size[0] * size[1] > max_pixels:
        raise _Refused(_too_large(size[0] * size[1], max_pixels), size)

    try:
        with warnings.catch_warnings():
            # Pillow's global limit is a second fence; as a warning it would let the image through.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[save_format]) as image:
                image.verify()
            # verify() leaves the image unusable, so it is opened again to decode the pixels.
            with Image.open(path, formats=[save_format]) as image:
                image.load()
                if image.mode in {"P", "PA"}:
                    return image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
                return image.copy()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _Refused(_too_large(size[0] * size[1], max_pixels), size) from error
    except Exception as error:  # truncated data, bad CRCs, broken Huffman tables...
        logger.info("Image %s could not be decoded", path, exc_info=True)
        raise _Refused(DAMAGED, size) from error


def _too_large(pixels: int, max_pixels: int) -> str:
    sizes = {"size": _megapixels(pixels), "limit": _megapixels(max_pixels)}
    return gettext("The image is too large (%(size)s megapixels); the limit is %(limit)s.") % sizes


def _megapixels(pixels: int) -> str:
    """One decimal, rounded up, so that an image just over 40 megapixels never reads "40"."""
    return f"{math.ceil(pixels / 100_000) / 10:.1f}".removesuffix(".0")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert to sRGB before the colour profile is dropped, so that phone photos keep their colours."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, target, outputMode=mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _plain_mode(image: Image.Image, kind: str) -> Image.Image:
    if kind == FileKind.JPEG and image.mode not in _JPEG_MODES:
        return image.convert("RGB")
    if kind == FileKind.PNG and image.mode not in _PNG_MODES:
        return image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return image
