"""Real files for upload tests, made on the fly: good documents and every kind of bad one.

Every function returns the file's bytes. PDFs come from reportlab and pypdf, or are assembled by hand
where a library would refuse to write something hostile; images come from Pillow.
"""

import io
import random
import struct
import textwrap
import zipfile
import zlib

from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

GPS_LATITUDE = (52.0, 13.0, 0.0)  # Groningen, roughly
GPS_LONGITUDE = (6.0, 34.0, 0.0)
CAMERA_MAKER = "AcmePhone"
HIDDEN_SCRIPT = b"<html><script>alert('polyglot')</script></html>"

# --- PDFs --------------------------------------------------------------------------------------------------------


def pdf_with_text(text: str = "Curriculum vitae", pages: int = 1, *, compress: bool = True) -> bytes:
    """A plain A4 PDF with `text` on every page; compress=False leaves the content streams readable."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1 if compress else 0)
    for _ in range(pages):
        lines = canvas.beginText(50, 800)
        lines.setFont("Helvetica", 11)
        for paragraph in text.splitlines() or [""]:
            for line in textwrap.wrap(paragraph, 90) or [""]:
                lines.textLine(line)
        canvas.drawText(lines)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_with_pages(count: int) -> bytes:
    """`count` blank pages, cheap even for thousands."""
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    return _written(writer)


def pdf_with_javascript(script: str = "app.alert('hello');") -> bytes:
    """Document-level JavaScript in the /Names /JavaScript tree (pypdf's add_open_action)."""
    writer = _writer_with_text()
    writer.add_open_action(JavaScript(script))
    return _written(writer)


def pdf_with_open_action_javascript() -> bytes:
    """A catalog /OpenAction that runs JavaScript."""
    writer = _writer_with_text()
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(JavaScript("app.alert('opened');"))
    return _written(writer)


def pdf_with_open_action_uri(uri: str = "https://example.org/tracker") -> bytes:
    """A catalog /OpenAction that is an action but not a script: opens a web page on opening."""
    writer = _writer_with_text()
    writer.root_object[NameObject("/OpenAction")] = _action("/URI", URI=TextStringObject(uri))
    return _written(writer)


def pdf_opening_at_first_page(*, as_goto_action: bool = False) -> bytes:
    """A harmless /OpenAction: a destination (page 1, fit), or the same as a GoTo action."""
    writer = _writer_with_text()
    destination = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    value = _action("/GoTo", D=destination) if as_goto_action else destination
    writer.root_object[NameObject("/OpenAction")] = value
    return _written(writer)


def pdf_with_launch_action(program: str = "cmd.exe") -> bytes:
    """A link annotation whose action starts a program."""
    writer = _writer_with_text()
    writer.add_annotation(0, _link(_action("/Launch", F=TextStringObject(program))))
    return _written(writer)


def pdf_with_link(uri: str = "https://www.umcg.nl/") -> bytes:
    """An ordinary web link, which is allowed."""
    writer = _writer_with_text()
    writer.add_annotation(0, _link(_action("/URI", URI=TextStringObject(uri))))
    return _written(writer)


def pdf_with_attachment(name: str = "invoice.exe", data: bytes = b"MZ not really a program") -> bytes:
    """A file embedded in the document's /EmbeddedFiles name tree."""
    writer = _writer_with_text()
    writer.add_attachment(name, data)
    return _written(writer)


def pdf_with_file_attachment_annotation(name: str = "notes.txt") -> bytes:
    """A /FileAttachment annotation on the page (its file specification names the file only)."""
    writer = _writer_with_text()
    filespec = DictionaryObject(
        {NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(name)}
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (50, 50, 70, 70)]),
            NameObject("/FS"): filespec,
        }
    )
    writer.add_annotation(0, annotation)
    return _written(writer)


def pdf_with_page_open_action(uri: str = "https://example.org/seen") -> bytes:
    """A page /AA (additional actions) entry that fires when the page is shown."""
    writer = _writer_with_text()
    on_open = _action("/URI", URI=TextStringObject(uri))
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): on_open})
    return _written(writer)


def pdf_encrypted(password: str = "secret") -> bytes:  # noqa: S107
    """Needs `password` to open."""
    writer = _writer_with_text()
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    return _written(writer)


def pdf_with_owner_password_only(text: str = "IELTS Test Report Form, overall band 7.5") -> bytes:
    """Encrypted with permissions only: opens without a password, like many official certificates."""
    writer = _writer_with_text(text)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    return _written(writer)


def pdf_with_metadata_title(title: str) -> bytes:
    writer = _writer_with_text()
    writer.add_metadata({"/Title": title})
    return _written(writer)


def pdf_truncated() -> bytes:
    """The first half of a three-page PDF, as an interrupted upload leaves it."""
    data = pdf_with_text("A letter that was cut off", pages=3)
    return data[: len(data) // 2]


def pdf_with_hex_escaped_javascript() -> bytes:
    """Names written with #xx escapes (/J#61vaScript, /J#53), which readers decode and naive scans miss."""
    return assemble_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 4 0 R >> >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            4: b"<< /Names [(x) 5 0 R] >>",
            5: b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
        }
    )


def pdf_with_orphan_javascript() -> bytes:
    """A script object that nothing in the tree points to: only the raw scan can see it."""
    return assemble_pdf({**_minimal_objects(), 4: b"<< /S /JavaScript /JS (app.alert(2)) >>"})


def pdf_with_javascript_in_object_stream() -> bytes:
    """The open action and its script sit in a compressed object stream: only the object walk sees it."""
    return assemble_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        },
        compressed={4: b"<< /S /JavaScript /JS (app.alert(3)) >>"},
    )


def pdf_with_page_tree_bomb(levels: int = 8, fan_out: int = 10) -> bytes:
    """A few hundred bytes whose page tree reuses the same /Kids so that it claims 10**8 pages."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] >>"}
    child = 3
    for level in range(levels):
        number = 10 + level
        kids = b" ".join(b"%d 0 R" % child for _ in range(fan_out))
        objects[number] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, fan_out ** (level + 1))
        child = number
    objects[2] = b"<< /Type /Pages /Kids [%d 0 R] /Count %d >>" % (child, fan_out**levels)
    return assemble_pdf(objects)


def assemble_pdf(objects: dict[int, bytes], *, compressed: dict[int, bytes] | None = None) -> bytes:
    """A PDF from object bodies (object 1 is the catalog), with a correct cross-reference stream."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, tuple[int, int, int]] = {}
    for number, body in sorted(objects.items()):
        offsets[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    last = max([*objects, *(compressed or {})])
    if compressed:
        stream_number = last = last + 1
        index, bodies = [], b""
        for position, (number, body) in enumerate(sorted(compressed.items())):
            index.append(b"%d %d" % (number, len(bodies)))
            offsets[number] = (2, stream_number, position)
            bodies += body + b"\n"
        header = b" ".join(index) + b"\n"
        data = zlib.compress(header + bodies)
        offsets[stream_number] = (1, len(out), 0)
        out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
            stream_number, len(compressed), len(header), len(data),
        )  # fmt: skip
        out += data + b"\nendstream\nendobj\n"
    xref_number = last + 1
    offsets[xref_number] = (1, len(out), 0)
    rows = b"".join(struct.pack(">BIH", *offsets.get(n, (0, 0, 0))) for n in range(xref_number + 1))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number, xref_number + 1, len(rows),
    )  # fmt: skip
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number][1]
    return bytes(out)


def _minimal_objects() -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }


def _writer_with_text(text: str = "Motivation letter") -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text(text))))


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    action.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return action


def _link(action: DictionaryObject) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (50, 700, 250, 720)]),
            NameObject("/A"): action,
        }
    )


# --- Images ------------------------------------------------------------------------------------------------------


def png(width: int = 40, height: int = 30, *, mode: str = "RGB", noise: bool = False) -> bytes:
    return _saved(_picture(width, height, mode=mode, noise=noise), "PNG")


def jpeg(width: int = 40, height: int = 30, *, noise: bool = False) -> bytes:
    return _saved(_picture(width, height, noise=noise), "JPEG")


def jpeg_with_gps() -> bytes:
    """A phone photo: camera maker, GPS position, an ICC profile and a comment."""
    return _saved(_picture(40, 30), "JPEG", exif=_exif_with_gps(), icc_profile=_srgb_profile(), comment=b"home")


def png_with_gps() -> bytes:
    """A PNG with an eXIf chunk (GPS included), a text chunk and an ICC profile."""
    text = PngInfo()
    text.add_text("Author", "Jane Applicant, 12 Home Street")
    return _saved(_picture(40, 30), "PNG", exif=_exif_with_gps(), pnginfo=text, icc_profile=_srgb_profile())


def jpeg_rotated() -> bytes:
    """40 wide and 20 high as stored, with EXIF orientation 6: upright it is 20 wide and 40 high."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return _saved(_picture(40, 20), "JPEG", exif=exif)


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A small, well-formed PNG whose header says `width` x `height` (a decompression bomb's header)."""
    data = bytearray(png(8, 8))
    ihdr = data[12:29]  # type, width, height, depth, colour, compression, filter, interlace
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


def png_truncated() -> bytes:
    data = png(64, 64, noise=True)
    return data[: len(data) // 2]


def png_html_polyglot() -> bytes:
    """A valid PNG with an HTML page appended: a browser sniffing it could run the script."""
    return png() + HIDDEN_SCRIPT


def png_with_swapped_colour_profile() -> bytes:
    """Pure red pixels whose ICC profile swaps the red and blue primaries: in sRGB they are blue."""
    icc = bytearray(_srgb_profile())
    (tag_count,) = struct.unpack(">I", icc[128:132])
    tags = {bytes(icc[at : at + 4]): at for at in range(132, 132 + 12 * tag_count, 12)}
    red, blue = tags[b"rXYZ"] + 4, tags[b"bXYZ"] + 4
    icc[red : red + 8], icc[blue : blue + 8] = icc[blue : blue + 8], icc[red : red + 8]
    return _saved(Image.new("RGB", (4, 4), (255, 0, 0)), "PNG", icc_profile=bytes(icc))


def _picture(width: int, height: int, *, mode: str = "RGB", noise: bool = False) -> Image.Image:
    if noise:
        size = width * height * len(Image.new(mode, (1, 1)).getbands())
        return Image.frombytes(mode, (width, height), random.Random(7).randbytes(size))
    image = Image.new(mode, (width, height), "white" if mode != "1" else 1)
    image.paste("red" if mode in {"RGB", "RGBA"} else 0, (0, 0, width // 2, height // 2))
    return image


def _saved(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKER
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: GPS_LONGITUDE,
    }
    return exif


def _srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


# --- Things that are not what they claim -------------------------------------------------------------------------


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>document.location='https://evil.example'</script></body></html>"


def svg_image() -> bytes:
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def eicar() -> bytes:
    """The EICAR antivirus test string, assembled here so that this source file is not itself flagged."""
    return b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def empty() -> bytes:
    return b""
