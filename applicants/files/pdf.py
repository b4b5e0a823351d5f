"""PDF inspection: refuse what can act on the reader's computer, count pages, extract text, preview.

Two independent looks, because each misses something: pypdf walks the object tree (which sees inside
compressed object streams), and a scan of the raw bytes sees objects pypdf could not reach or parse
while a lenient viewer might.

An upload gets the first look (`precheck_pdf`: what cannot be rebuilt is refused, active content is
only noted), is rebuilt without its active content by `applicants.files.disarm` (qpdf), and the
rebuilt file gets the whole look (`inspect_pdf`): pypdf is the second, independent parser that must
find nothing active left.
"""

import io
import logging
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pypdfium2 as pdfium
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from applicants.files import PreviewError

logger = logging.getLogger(__name__)

MAX_OBJECTS_WALKED = 200_000
MAX_PAGE_TREE_NODES = 200_000
PAGE_COUNT_CEILING = 100_000
TEXT_PAGES = 20
TEXT_MAX_CHARS = 200_000
PREVIEW_MAX_PIXELS = 12_000_000


class PdfFlag(StrEnum):
    # Refused, in the order their reason is given.
    ENCRYPTED = "encrypted"
    UNREADABLE_ENCRYPTION = "unreadable_encryption"
    JAVASCRIPT = "javascript"
    LAUNCH = "launch"
    EMBEDDED_FILE = "embedded_file"
    OPEN_ACTION = "open_action"
    ADDITIONAL_ACTIONS = "additional_actions"
    FORM = "form"
    OTHER_ACTION = "other_action"
    NOT_DISARMED = "not_disarmed"
    TEST_VIRUS = "test_virus"
    DAMAGED = "damaged"
    TOO_COMPLEX = "too_complex"
    NO_PAGES = "no_pages"
    TOO_MANY_PAGES = "too_many_pages"
    # Noted for the coordinator, not refused.
    LINKS = "links"
    RESTRICTED = "restricted"
    NO_TEXT = "no_text"


_RESAVE = gettext_lazy("Print it to a new PDF (“Save as PDF” in the print dialogue) and upload that copy.")


def _resave(problem) -> str:  # the problem, then how to get a PDF without it: two whole sentences
    return format_lazy("{} {}", problem, _RESAVE)


REASONS: dict[PdfFlag, str] = {
    PdfFlag.ENCRYPTED: gettext_lazy("The PDF is password-protected; upload it without a password."),
    PdfFlag.UNREADABLE_ENCRYPTION: _resave(
        gettext_lazy("The PDF is protected with encryption the portal cannot open.")
    ),
    PdfFlag.JAVASCRIPT: _resave(gettext_lazy("The PDF contains JavaScript.")),
    PdfFlag.LAUNCH: _resave(gettext_lazy("The PDF contains an action that starts another program.")),
    PdfFlag.EMBEDDED_FILE: _resave(gettext_lazy("The PDF has files attached inside it.")),
    PdfFlag.OPEN_ACTION: _resave(gettext_lazy("The PDF runs an action when it is opened.")),
    PdfFlag.ADDITIONAL_ACTIONS: _resave(
        gettext_lazy("The PDF runs actions automatically (on opening a page or a form field).")
    ),
    PdfFlag.FORM: _resave(gettext_lazy("The PDF is a fillable form.")),
    PdfFlag.OTHER_ACTION: _resave(
        gettext_lazy("The PDF contains actions that send data, open other files or play media.")
    ),
    PdfFlag.NOT_DISARMED: _resave(gettext_lazy("The PDF could not be made safe to open.")),
    PdfFlag.TEST_VIRUS: gettext_lazy("The PDF contains the EICAR anti-virus test signature, so it cannot be accepted."),
    PdfFlag.DAMAGED: gettext_lazy("The PDF is damaged and cannot be read."),
    PdfFlag.TOO_COMPLEX: _resave(gettext_lazy("The PDF is too complex to check.")),
    PdfFlag.NO_PAGES: gettext_lazy("The PDF has no pages."),
}
_REFUSED = [*REASONS, PdfFlag.TOO_MANY_PAGES]
# What cannot be rebuilt, so it is refused at the first look.
STRUCTURAL = frozenset({
    PdfFlag.ENCRYPTED, PdfFlag.UNREADABLE_ENCRYPTION, PdfFlag.DAMAGED, PdfFlag.TOO_COMPLEX, PdfFlag.NO_PAGES,
    PdfFlag.TOO_MANY_PAGES,
})  # fmt: skip
# What the rebuild removes: noted in an upload, refused if it is still found in the rebuilt file.
DISARMED = frozenset({
    PdfFlag.JAVASCRIPT, PdfFlag.LAUNCH, PdfFlag.EMBEDDED_FILE, PdfFlag.OPEN_ACTION, PdfFlag.ADDITIONAL_ACTIONS,
    PdfFlag.FORM, PdfFlag.OTHER_ACTION,
})  # fmt: skip


@dataclass(frozen=True)
class PdfReport:
    ok: bool
    reason: str
    pages: int
    text: str
    flags: frozenset[PdfFlag]
    # Active content the rebuild took out of the upload (see applicants.files.disarm).
    removed: frozenset[PdfFlag] = frozenset()


def inspect_pdf(path: str | Path, *, max_pages: int = 500) -> PdfReport:
    """Refuse a PDF that is encrypted, active (scripts, actions, forms, attachments), damaged or too long."""
    flags, pages, reader = _examine(path, max_pages=max_pages)
    refused = _refusal(flags, pages, max_pages=max_pages, refusable=_REFUSED)
    if refused:
        return refused
    text = _extract_text(reader)
    if not text.strip():
        flags.add(PdfFlag.NO_TEXT)
    return PdfReport(ok=True, reason="", pages=pages, text=text, flags=frozenset(flags))


def precheck_pdf(path: str | Path, *, max_pages: int = 500) -> PdfReport:
    """The first look at an upload: refuse what cannot be rebuilt (a password, damage, too many pages);
    active content is only noted in `flags`, since the rebuild removes it. No text is read."""
    flags, pages, _ = _examine(path, max_pages=max_pages)
    refused = _refusal(flags, pages, max_pages=max_pages, refusable=[f for f in _REFUSED if f in STRUCTURAL])
    return refused or PdfReport(ok=True, reason="", pages=pages, text="", flags=frozenset(flags))


def refused_report(flag: PdfFlag, *, flags: frozenset[PdfFlag] = frozenset(), pages: int = 0) -> PdfReport:
    """A refusal for `flag`, with the reason an applicant reads."""
    return PdfReport(ok=False, reason=str(REASONS[flag]), pages=pages, text="", flags=flags | {flag})


def _examine(path: str | Path, *, max_pages: int) -> tuple[set[PdfFlag], int, PdfReader | None]:
    data = Path(path).read_bytes()
    flags = scan_raw_names(data)
    pages = 0
    ceiling = max(max_pages, PAGE_COUNT_CEILING)
    reader = None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An owner password alone only restricts printing or copying; the file opens for everyone.
            flags.add(PdfFlag.RESTRICTED if reader.decrypt("") else PdfFlag.ENCRYPTED)
        if PdfFlag.ENCRYPTED not in flags:
            pages = _count_pages(reader, ceiling=ceiling)
            if pages == 0:
                flags.add(PdfFlag.NO_PAGES)
            elif pages > max_pages:
                flags.add(PdfFlag.TOO_MANY_PAGES)
            else:
                flags |= _walk_objects(reader)
    except DependencyError:  # AES needs the `cryptography` package
        flags.add(PdfFlag.UNREADABLE_ENCRYPTION)
    except Exception:  # pypdf raises many kinds of errors on hostile input, RecursionError included
        logger.info("PDF %s could not be parsed", path, exc_info=True)
        flags.add(PdfFlag.DAMAGED)
    return flags, pages, reader


def _refusal(flags: set[PdfFlag], pages: int, *, max_pages: int, refusable: list[PdfFlag]) -> PdfReport | None:
    refused = [flag for flag in refusable if flag in flags]
    if not refused:
        return None
    ceiling = max(max_pages, PAGE_COUNT_CEILING)
    if refused[0] in REASONS:
        reason = str(REASONS[refused[0]])
    elif pages > ceiling:
        reason = gettext("The PDF has more than %(ceiling)s pages; the limit is %(limit)s.") % {
            "ceiling": ceiling,
            "limit": max_pages,
        }
    else:
        reason = gettext("The PDF has %(pages)s pages; the limit is %(limit)s.") % {"pages": pages, "limit": max_pages}
    return PdfReport(ok=False, reason=reason, pages=pages, text="", flags=frozenset(flags))


def render_pdf_preview(path: str | Path, out_path: str | Path, *, width: int = 600) -> None:
    """Write the first page as a PNG `width` pixels wide; raise PreviewError if it cannot be drawn."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise PreviewError(f"The PDF could not be opened: {error}") from error
    try:
        if len(document) == 0:
            raise PreviewError("The PDF has no pages.")
        page = document[0]
        page_width, page_height = page.get_size()
        scale = width / page_width
        # A page of odd proportions must not become a huge bitmap.
        scale = min(scale, math.sqrt(PREVIEW_MAX_PIXELS / (page_width * page_height)))
        image = page.render(scale=scale).to_pil()
        page.close()
        image.thumbnail((width, width * 4))
        image.save(out_path, format="PNG", optimize=True)
    except pdfium.PdfiumError as error:
        raise PreviewError(f"The first page could not be drawn: {error}") from error
    finally:
        document.close()


# --- The object tree -------------------------------------------------------------------------------------------

_CONTAINERS = (DictionaryObject, ArrayObject, IndirectObject)
_ACTION_FLAGS = {
    "/JavaScript": PdfFlag.JAVASCRIPT,
    "/Launch": PdfFlag.LAUNCH,
    "/GoToE": PdfFlag.EMBEDDED_FILE,  # go to a PDF embedded inside this one
    "/URI": PdfFlag.LINKS,
}
# Actions that send data (forms), open other files or programs' documents, or play media.
_OTHER_ACTIONS = frozenset({
    "/SubmitForm", "/ResetForm", "/ImportData", "/GoToR", "/GoToDp", "/Named", "/Hide", "/Sound", "/Movie",
    "/Rendition", "/SetOCGState", "/Thread", "/Trans", "/GoTo3DView", "/RichMediaExecute"
})  # fmt: skip
_MEDIA_ANNOTATIONS = frozenset({"/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"})
# A link that is allowed: a web page or an e-mail address, nothing else (no file:, javascript:, \\server).
WEB_LINK = re.compile(r"(?:https?://|mailto:)[^\x00-\x20\x7f]+\Z", re.IGNORECASE)


def _walk_objects(reader: PdfReader) -> set[PdfFlag]:
    """Every object reachable from the trailer, iteratively (no recursion) and at most MAX_OBJECTS_WALKED."""
    flags: set[PdfFlag] = set()
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    walked = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        walked += 1
        if walked > MAX_OBJECTS_WALKED:
            flags.add(PdfFlag.TOO_COMPLEX)
            break
        if isinstance(node, DictionaryObject):
            flags |= _dictionary_flags(node)
        children = node.values() if isinstance(node, DictionaryObject) else node if isinstance(node, list) else ()
        stack.extend(child for child in children if isinstance(child, _CONTAINERS))
    return flags


def _dictionary_flags(node: DictionaryObject) -> set[PdfFlag]:
    flags = _action_flags(node)
    subtype = _resolved(node.get("/Subtype"))
    if "/JS" in node or "/JavaScript" in node:
        flags.add(PdfFlag.JAVASCRIPT)
    if (
        "/EmbeddedFiles" in node
        or "/EF" in node
        or _resolved(node.get("/Type")) == "/EmbeddedFile"
        or subtype == "/FileAttachment"
    ):
        flags.add(PdfFlag.EMBEDDED_FILE)
    if _resolved(node.get("/AA")):
        flags.add(PdfFlag.ADDITIONAL_ACTIONS)
    if "/AcroForm" in node or "/XFA" in node or subtype == "/Widget":
        flags.add(PdfFlag.FORM)
    if subtype in _MEDIA_ANNOTATIONS:
        flags.add(PdfFlag.OTHER_ACTION)
    open_action = _resolved(node.get("/OpenAction"))
    # An array is a destination ("open at page 1"); a dictionary is an action, harmless only as GoTo.
    if isinstance(open_action, DictionaryObject) and _resolved(open_action.get("/S")) != "/GoTo":
        flags.add(PdfFlag.OPEN_ACTION)
    return flags


def _action_flags(node: DictionaryObject) -> set[PdfFlag]:
    action = _resolved(node.get("/S"))
    if not isinstance(action, str) or action not in {*_ACTION_FLAGS, *_OTHER_ACTIONS, "/GoTo"}:
        return set()
    flags = {_ACTION_FLAGS[action]} if action in _ACTION_FLAGS else set()
    if action in _OTHER_ACTIONS:
        flags.add(PdfFlag.OTHER_ACTION)
    # A chain runs the next actions after this one, whatever this one is ("open page 1, then submit").
    following = _resolved(node.get("/Next"))
    if isinstance(following, DictionaryObject | ArrayObject) and following:
        flags.add(PdfFlag.OTHER_ACTION)
    if action == "/URI" and not WEB_LINK.match(_text(node.get("/URI"))):
        flags.add(PdfFlag.OTHER_ACTION)
    return flags


def _text(value) -> str:
    value = _resolved(value)
    return value.decode("latin-1") if isinstance(value, bytes) else str(value or "")


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _count_pages(reader: PdfReader, *, ceiling: int) -> int:
    """Leaves of the page tree, not trusting /Count: shared or cyclic /Kids can make a tiny file claim
    billions of pages, so this stops at `ceiling` and pypdf's own page list is only built after it."""
    root = _resolved(reader.trailer["/Root"])
    stack = [root["/Pages"]]
    pages = visited = 0
    while stack and pages <= ceiling:
        node = _resolved(stack.pop())
        visited += 1
        if visited > MAX_PAGE_TREE_NODES:
            raise ValueError("The page tree is too large or has a cycle.")
        if not isinstance(node, DictionaryObject):
            continue
        kids = _resolved(node.get("/Kids"))
        if isinstance(kids, ArrayObject):
            stack.extend(reversed(kids))
        else:
            pages += 1
    return pages


def _extract_text(reader: PdfReader) -> str:
    parts: list[str] = []
    for number in range(min(TEXT_PAGES, len(reader.pages))):
        try:
            parts.append(reader.pages[number].extract_text())
        except Exception:  # one bad page must not cost the text of the others
            logger.info("No text from page %s", number + 1, exc_info=True)
        if sum(map(len, parts)) >= TEXT_MAX_CHARS:
            break
    # PostgreSQL text cannot hold NUL.
    return "\n".join(part for part in parts if part.strip())[:TEXT_MAX_CHARS].replace("\x00", "")


# --- The raw bytes ---------------------------------------------------------------------------------------------

_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_SKIPPED = re.compile(rb"[(%]|(?<![A-Za-z])stream\r?\n")
_STRING_DELIMITER = re.compile(rb"[\\()]")
_END_OF_LINE = re.compile(rb"[\r\n]")
_INLINE_OPEN_ACTION = re.compile(rb"/OpenAction\s*<<(.{0,1000}?)>>", re.DOTALL)
_ACTION_TYPE = re.compile(rb"/S\s*/(\w+)")
_RAW_NAMES = dict.fromkeys([b"JavaScript", b"JS"], PdfFlag.JAVASCRIPT) | {b"Launch": PdfFlag.LAUNCH}
_RAW_NAMES |= dict.fromkeys([b"EmbeddedFile", b"EmbeddedFiles", b"FileAttachment"], PdfFlag.EMBEDDED_FILE)
_RAW_NAMES[b"AA"] = PdfFlag.ADDITIONAL_ACTIONS
_RAW_NAMES |= dict.fromkeys([b"AcroForm", b"XFA"], PdfFlag.FORM)
_RAW_NAMES |= dict.fromkeys([b"SubmitForm", b"ImportData", b"GoToR"], PdfFlag.OTHER_ACTION)


def scan_raw_names(data: bytes) -> set[PdfFlag]:
    """Flags for dangerous names in the file's structure, with `#xx` escapes decoded (/J#61vaScript).

    Strings, comments and stream contents are left out: a CV saying "HTML/JavaScript" is not a script.
    """
    structure = _structure_only(data)
    normalised = _NAME.sub(lambda m: b"/" + _NAME_ESCAPE.sub(lambda h: bytes([int(h[1], 16)]), m[1]), structure)
    flags = {_RAW_NAMES[name] for name in _NAME.findall(normalised) if name in _RAW_NAMES}
    for match in _INLINE_OPEN_ACTION.finditer(normalised):
        action = _ACTION_TYPE.search(match[1])
        if not action or action[1] != b"GoTo":
            flags.add(PdfFlag.OPEN_ACTION)
    return flags


def _structure_only(data: bytes) -> bytes:
    kept: list[bytes] = []
    position = 0
    while match := _SKIPPED.search(data, position):
        kept.append(data[position : match.start()])
        token = match[0]
        if token == b"(":
            position = _end_of_string(data, match.end())
        elif token == b"%":
            end = _END_OF_LINE.search(data, match.end())
            position = end.start() if end else len(data)
        else:
            end = data.find(b"endstream", match.end())
            position = end if end >= 0 else len(data)
        kept.append(b" ")
    kept.append(data[position:])
    return b"".join(kept)


def _end_of_string(data: bytes, position: int) -> int:
    """Index just after the literal string whose opening parenthesis ends at `position`."""
    depth = 1
    while match := _STRING_DELIMITER.search(data, position):
        position = match.end()
        if match[0] == b"\\":
            position += 1
        elif match[0] == b"(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return position
    return len(data)
