"""Content disarm and reconstruction of uploaded PDFs: what is stored and served is a new PDF, rebuilt
from the upload's pages, with nothing left in it that can act.

Why pikepdf: it is the Python binding of qpdf, a long-kept, fuzzed PDF library (OCRmyPDF is built on
it) that parses a file, repairing what it can, into an object graph and writes a new file from that
graph: one cross-reference table, only the objects the document uses (unreferenced objects are
dropped), nothing after the final %%EOF and no earlier revisions (the objects an incremental update
replaced are gone). Its annotation flattening draws form fields and comments into the page, so a
filled-in form looks the same without being a form. Its wheels carry qpdf, so nothing else is
installed. Drawing every page as an image (Dangerzone's way) would also guard against bugs in font and
image decoders, but it loses the selectable text that the automatic checks and the coordinators read;
this rebuild keeps the pages' content, fonts and images as they are and removes everything else that
acts.

Kept: pages with their content, fonts and images; bookmarks and named destinations; the structure
tree (accessibility), metadata, page labels, viewer preferences, optional content; links to http(s)
and mailto addresses (the address alone) and links within the document (as destinations).

Removed: JavaScript; every other action (on opening, on pages, on form fields, chained with /Next,
submitting or importing form data, links to other files and network paths, launching programs,
media); forms (AcroForm and XFA), their visible values drawn into the page; annotations other than
links, their appearance drawn into the page; embedded and attached files; encryption (a PDF that a
password protects from opening is refused before; an owner password only restricted printing or
copying); bytes after the end, earlier revisions and objects nothing uses.

The rebuilt file is then read by pypdf, an independent parser, which must find nothing active in it
(applicants.files.pdf.inspect_pdf), and the EICAR test signature must be gone from it
(applicants.files.signatures); otherwise the upload is refused.
"""

import dataclasses
import logging
import secrets
from decimal import Decimal
from pathlib import Path

import pikepdf
from django.utils.translation import gettext, pgettext_lazy
from pikepdf import Array, Dictionary, Name, ObjectStreamMode, StreamDecodeLevel

from applicants.files.pdf import (
    DISARMED,
    WEB_LINK,
    PdfFlag,
    PdfReport,
    inspect_pdf,
    precheck_pdf,
    refused_report,
)
from applicants.files.signatures import ScanLimitExceeded, contains_eicar

logger = logging.getLogger(__name__)

# The version of these rules. A stored PDF remembers the version it was rebuilt with (Document.disarm_version);
# raising it has every stored PDF rebuilt again by applicants.disarm_stored_documents.
RULES_VERSION = 1
# qpdf stops decoding one stream past this many bytes (a decompression bomb); the file then fails its checks.
MAX_DECODED_STREAM = 256 * 1024 * 1024
pikepdf.settings.set_qpdf_limits(
    flate_max_memory=MAX_DECODED_STREAM,
    png_max_memory=MAX_DECODED_STREAM,
    tiff_max_memory=MAX_DECODED_STREAM,
    run_length_max_memory=MAX_DECODED_STREAM,
)

_CATALOG_KEPT = frozenset({
    "/Type", "/Version", "/Pages", "/PageLabels", "/Names", "/Dests", "/ViewerPreferences", "/PageLayout",
    "/PageMode", "/Outlines", "/Metadata", "/StructTreeRoot", "/MarkInfo", "/Lang", "/OCProperties",
    "/OutputIntents"
})  # fmt: skip
_TRAILER_KEPT = frozenset({"/Root", "/Info", "/ID", "/Size"})
# Wherever they hang: scripts, attached files (/EF, /RF, /AF), forms, additional and "previous" actions.
_DROPPED_KEYS = frozenset(
    {"/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RF", "/AF", "/XFA", "/AcroForm", "/PA"}
)
_ACTIONS = frozenset({
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide",
    "/Named", "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/SetOCGState", "/Rendition",
    "/Trans", "/GoTo3DView", "/RichMediaExecute"
})  # fmt: skip
_CONTAINERS = (Array, Dictionary, pikepdf.Stream)
_REMOVED_WORDS = {
    PdfFlag.JAVASCRIPT: pgettext_lazy("removed from a PDF", "JavaScript"),
    PdfFlag.OPEN_ACTION: pgettext_lazy("removed from a PDF", "an action on opening"),
    PdfFlag.ADDITIONAL_ACTIONS: pgettext_lazy("removed from a PDF", "automatic actions"),
    PdfFlag.LAUNCH: pgettext_lazy("removed from a PDF", "an action starting a program"),
    PdfFlag.OTHER_ACTION: pgettext_lazy("removed from a PDF", "other actions"),
    PdfFlag.FORM: pgettext_lazy("removed from a PDF", "form fields"),
    PdfFlag.EMBEDDED_FILE: pgettext_lazy("removed from a PDF", "attached files"),
}


def disarm_pdf_file(path: str | Path, *, max_pages: int = 500) -> PdfReport:
    """Replace the PDF at `path` by its rebuilt copy and report on that copy, or refuse it (left as it was)."""
    path = Path(path)
    first = precheck_pdf(path, max_pages=max_pages)
    if not first.ok:
        return first
    rebuilt = path.with_name(f".{path.name}.{secrets.token_hex(8)}.rebuilt")
    try:
        report = _rebuild_and_check(path, rebuilt, max_pages=max_pages)
        if report.ok:
            rebuilt.replace(path)  # the original bytes are gone from here on
            report = dataclasses.replace(report, removed=first.flags & DISARMED)
        return report
    finally:
        rebuilt.unlink(missing_ok=True)


def describe_removed(removed: frozenset[PdfFlag]) -> str:
    """'JavaScript, an action on opening and attached files' ("" when nothing was removed)."""
    words = [str(word) for flag, word in _REMOVED_WORDS.items() if flag in removed]
    if len(words) > 1:
        return gettext("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}
    return "".join(words)


def rebuild_pdf(source: str | Path, target: str | Path) -> None:
    """Write to `target` a new PDF of `source`'s pages without anything that acts (the module docstring lists it)."""
    with pikepdf.open(source, password="") as pdf:
        _flatten_annotations(pdf)
        _keep_catalog_entries(pdf)
        _remove_active_entries(pdf)
        pdf.remove_unreferenced_resources()
        pdf.save(
            target,
            encryption=False,
            # Every object written out in the open and every stream as plain Flate (or image data as
            # stored), so that any scanner reads the whole file.
            object_stream_mode=ObjectStreamMode.disable,
            compress_streams=True,
            stream_decode_level=StreamDecodeLevel.specialized,
            recompress_flate=True,
            deterministic_id=True,
        )


def _rebuild_and_check(source: Path, target: Path, *, max_pages: int) -> PdfReport:
    try:
        rebuild_pdf(source, target)
    except pikepdf.PasswordError:
        return refused_report(PdfFlag.ENCRYPTED)
    except Exception:  # qpdf refuses some hostile or broken files that pypdf read
        logger.info("PDF %s could not be rebuilt", source.name, exc_info=True)
        return refused_report(PdfFlag.NOT_DISARMED)
    report = inspect_pdf(target, max_pages=max_pages)
    if not report.ok:
        if report.flags & DISARMED:
            logger.error("Rebuilt PDF %s still has %s", source.name, sorted(report.flags & DISARMED))
        return refused_report(PdfFlag.NOT_DISARMED, flags=report.flags, pages=report.pages)
    try:
        if contains_eicar(target):
            return refused_report(PdfFlag.TEST_VIRUS, pages=report.pages)
    except ScanLimitExceeded:
        return refused_report(PdfFlag.TOO_COMPLEX, pages=report.pages)
    except pikepdf.PikepdfError:
        logger.error("Rebuilt PDF %s could not be scanned", source.name, exc_info=True)
        return refused_report(PdfFlag.NOT_DISARMED, pages=report.pages)
    return report


def _flatten_annotations(pdf: pikepdf.Pdf) -> None:
    """Draw every annotation seen on screen, form fields included, into its page; keep only the links."""
    links_by_page = []
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        items = [item for item in annotations if _is_annotation(item)] if isinstance(annotations, Array) else []
        links = [item for item in items if item.Subtype == Name.Link]
        if annotations is not None:  # what is no annotation at all (no type, no place) is dropped here
            page.obj.Annots = Array([item for item in items if item.Subtype != Name.Link])
        links_by_page.append(links)
    if "/AcroForm" in pdf.Root:
        pdf.generate_appearance_streams()  # field values a viewer was asked to draw itself
    pdf.flatten_annotations("screen")
    for page, links in zip(pdf.pages, links_by_page, strict=True):
        if links:
            page.obj.Annots = Array(links)
        elif "/Annots" in page.obj:
            del page.obj["/Annots"]


def _is_annotation(item) -> bool:
    if not isinstance(item, Dictionary) or not isinstance(item.get("/Subtype"), Name):
        return False
    place = item.get("/Rect")
    return isinstance(place, Array) and len(place) == 4 and all(isinstance(n, int | float | Decimal) for n in place)


def _keep_catalog_entries(pdf: pikepdf.Pdf) -> None:
    """Only the catalog entries that describe the pages (no /OpenAction, /AcroForm, /URI, /Collection ...);
    of the name trees, only named destinations."""
    root = pdf.Root
    for key in set(root.keys()) - _CATALOG_KEPT:
        del root[key]
    names = root.get("/Names")
    destinations = names.get("/Dests") if isinstance(names, Dictionary) else None
    if destinations is not None:
        root.Names = Dictionary(Dests=destinations)
    elif names is not None:
        del root["/Names"]
    for key in set(pdf.trailer.keys()) - _TRAILER_KEPT:
        del pdf.trailer[key]


def _remove_active_entries(pdf: pikepdf.Pdf) -> None:
    """Walk every object the file still uses, without recursion: drop scripts, attachments and forms wherever
    they hang, and every action except a link's web address or a jump within the document."""
    seen: set[tuple[int, int]] = set()
    stack: list = [pdf.trailer]
    while stack:
        node = stack.pop()
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if isinstance(node, Array):
            for index, item in enumerate(list(node)):
                if _is_action(item):
                    node[index] = None
            stack.extend(item for item in node if isinstance(item, _CONTAINERS))
        else:
            _clean_dictionary(node)
            stack.extend(value for value in node.values() if isinstance(value, _CONTAINERS))


def _clean_dictionary(node) -> None:
    for key in list(node.keys()):
        if key in _DROPPED_KEYS:
            del node[key]
            continue
        value = node[key]
        if _is_action(value):
            del node[key]
            if key == "/A":
                _keep_harmless_part(node, value)


def _keep_harmless_part(owner, action: Dictionary) -> None:
    """A link keeps a web or e-mail address (nothing chained to it); a link or bookmark keeps a jump within the
    document, as a destination instead of an action."""
    kind = action.get("/S")
    is_link = owner.get("/Subtype") == Name.Link
    if kind == Name.URI and is_link:
        address = str(action.get("/URI", ""))
        if WEB_LINK.match(address):
            owner.A = Dictionary(S=Name.URI, URI=pikepdf.String(address))
    elif kind == Name.GoTo and "/D" in action and (is_link or ("/Title" in owner and "/Parent" in owner)):
        owner.Dest = action.D


def _is_action(value) -> bool:
    if not isinstance(value, Dictionary):
        return False
    return str(value.get("/S", "")) in _ACTIONS or value.get("/Type") == Name.Action
