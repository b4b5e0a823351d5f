"""Files the bench uploads: text PDFs from the tests' corpus, and phone-photo-like JPEGs (and a scan
in a PDF) of a given size, made on the fly from a fixed seed."""

from __future__ import annotations

import io

from PIL import Image

from tests.applicants.corpus import assemble_pdf, pdf_with_text

LETTER = """Curriculum vitae

Medical student in the clinical phase at the University of Porto. Rotations in internal medicine,
surgery and paediatrics; an elective in radiology. Languages: Portuguese, English (C1), Spanish.
I ask for an observership from the first Monday of the month for four weeks."""


def pdf(pages: int = 1) -> bytes:
    return pdf_with_text(LETTER, pages=pages)


def _picture(width: int, height: int, sigma: float) -> Image.Image:
    """Smooth gradients with sensor-like noise: compresses like a photo, not like a flat colour."""
    gradient = Image.linear_gradient("L").resize((width, height))
    bands = [Image.blend(Image.effect_noise((width, height), sigma), gradient, 0.5) for _ in range(3)]
    return Image.merge("RGB", bands)


def photo(target_bytes: int, *, width: int | None = None, height: int | None = None) -> bytes:
    """A 4:3 JPEG of about `target_bytes` (within ~3%): the quality is bisected on a noisy picture of
    12 megapixels (a phone's) or, for a small file, of about two pixels a byte."""
    if width is None or height is None:
        width = min(4000, int((target_bytes * 2 * 4 / 3) ** 0.5))
        height = width * 3 // 4
    picture = _picture(width, height, sigma=60)
    low, high, best = 30, 98, b""
    for _ in range(6):
        quality = (low + high) // 2
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=quality)
        data = buffer.getvalue()
        if not best or abs(len(data) - target_bytes) < abs(len(best) - target_bytes):
            best = data
        if abs(len(data) - target_bytes) < target_bytes * 0.03:
            break
        low, high = (quality + 1, high) if len(data) < target_bytes else (low, quality - 1)
        if low > high:
            break
    return best


def scanned_pdf(target_bytes: int) -> bytes:
    """A one-page A4 PDF showing a scan (the JPEG embedded as it is) of about `target_bytes`."""
    scan = photo(target_bytes - 1_000)
    width, height = Image.open(io.BytesIO(scan)).size
    drawing = b"q 595 0 0 842 0 0 cm /Scan Do Q"
    return assemble_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Scan 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            4: b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
            b"/Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream" % (width, height, len(scan), scan),
            5: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing),
        }
    )
