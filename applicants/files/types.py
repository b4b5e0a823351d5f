"""Which files the portal accepts, and the first look at an upload: its name, size and magic bytes.

Only three kinds are accepted, on purpose: office documents can carry macros and need a converter to
preview, SVG is a script-capable web page, and HEIC/TIFF/GIF add decoders for no real need. Anything
else can be printed or exported to PDF, or photographed as JPEG.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placements.catalogue.enums import FileKind


@dataclass(frozen=True)
class AllowedKind:
    kind: str
    extensions: tuple[str, ...]
    mime_type: str
    reason: str

    @property
    def label(self) -> str:
        return FileKind(self.kind).label


ALLOWED_KINDS: dict[str, AllowedKind] = {
    FileKind.PDF: AllowedKind(
        FileKind.PDF,
        (".pdf",),
        "application/pdf",
        "CVs, letters and certificates: their text is read for the automatic checks, and the stored copy is "
        "rebuilt without scripts, actions, forms or attachments.",
    ),
    FileKind.JPEG: AllowedKind(
        FileKind.JPEG,
        (".jpg", ".jpeg"),
        "image/jpeg",
        "Photos and scans of paper documents; re-encoded so that location and camera data are dropped.",
    ),
    FileKind.PNG: AllowedKind(
        FileKind.PNG,
        (".png",),
        "image/png",
        "Screenshots and scans; re-encoded so that nothing but the pixels is kept.",
    ),
}

KIND_BY_EXTENSION: dict[str, str] = {ext: spec.kind for spec in ALLOWED_KINDS.values() for ext in spec.extensions}

MAX_NAME_LENGTH = 120
FALLBACK_NAME = "document"
HEAD_BYTES = 2048  # read this much of an upload for `sniff_kind`

_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F])
_KEPT_PUNCTUATION = frozenset(" ._-()+,")
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_MB = 1024 * 1024
_KB = 1024


@dataclass(frozen=True)
class UploadCheck:
    ok: bool
    kind: str | None
    reason: str
    safe_name: str

    @property
    def mime_type(self) -> str:
        return ALLOWED_KINDS[self.kind].mime_type if self.kind else ""


def sanitize_filename(name: str) -> str:
    """The name to show and to offer on download: no folders, no invisible or reordering characters."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.translate(_BIDI_CONTROLS)
    name = re.sub(r"\s+", " ", name)
    # Categories C* are controls, format characters (zero-width, bidi), surrogates and unassigned.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch if ch.isalnum() or ch in _KEPT_PUNCTUATION else "_" for ch in name)
    name = re.sub(r"_{2,}", "_", re.sub(r" {2,}", " ", name)).rstrip(" .").lstrip(" ")

    stem, dot, extension = name.rpartition(".")
    if not (dot and extension.isalnum() and len(extension) <= 10):
        stem, extension = name, ""
    extension = f".{extension.lower()}" if extension else ""
    stem = stem.strip(" .")[: MAX_NAME_LENGTH - len(extension)].rstrip(" .")
    return f"{stem or FALLBACK_NAME}{extension}"


def sniff_kind(head: bytes) -> str | None:
    """The kind the content really is, from its first bytes; None for anything not accepted."""
    if head.startswith(_PNG_SIGNATURE):
        return FileKind.PNG
    if head.startswith(_JPEG_SIGNATURE):
        return FileKind.JPEG
    # Readers accept the PDF header anywhere in the first kilobyte, so the check does too.
    if _PDF_HEADER.search(head[:1024]):
        return FileKind.PDF
    return None


def check_upload(*, name: str, size: int, head: bytes, allowed_kinds: list[str], max_bytes: int) -> UploadCheck:
    """Accept or refuse an upload before it is stored, with the reason in words an applicant understands."""
    safe_name = sanitize_filename(name)

    def refuse(reason: str) -> UploadCheck:
        return UploadCheck(ok=False, kind=None, reason=reason, safe_name=safe_name)

    if size <= 0:
        return refuse(_("The file is empty."))
    if size > max_bytes:
        sizes = {"size": format_size(size), "limit": format_size(max_bytes, exact=True)}
        return refuse(_("The file is %(size)s; the limit is %(limit)s.") % sizes)

    accepted = [spec for kind, spec in ALLOWED_KINDS.items() if kind in allowed_kinds]
    if not accepted:
        return refuse(_("No files are accepted for this document; please contact the programme coordinator."))
    extension = file_extension(safe_name)
    expected = KIND_BY_EXTENSION.get(extension)
    if expected not in {spec.kind for spec in accepted}:
        kinds = describe_kinds(accepted)
        if extension:
            message = _("Files ending in %(extension)s are not accepted for this document; upload %(kinds)s.")
            return refuse(message % {"extension": extension, "kinds": kinds})
        return refuse(
            _("Files without an extension are not accepted for this document; upload %(kinds)s.") % {"kinds": kinds}
        )

    if sniff_kind(head) != expected:
        message = _("The file is named %(extension)s but its content is not a %(kind)s.")
        return refuse(message % {"extension": extension, "kind": ALLOWED_KINDS[expected].label})
    return UploadCheck(ok=True, kind=expected, reason="", safe_name=safe_name)


def file_extension(name: str) -> str:
    """The last extension, lower case with its dot ("cv.pdf.exe" -> ".exe"), or ""."""
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and stem and extension else ""


def describe_kinds(specs: list[AllowedKind]) -> str:
    """'a PDF (.pdf), a JPEG image (.jpg, .jpeg) or a PNG image (.png)'."""
    parts = [
        _("a %(kind)s (%(extensions)s)") % {"kind": spec.label, "extensions": ", ".join(spec.extensions)}
        for spec in specs
    ]
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def format_size(size: int, *, exact: bool = False) -> str:
    """'10.0 MB' for a measured size; with exact=True a round limit reads '10 MB'."""
    for unit, factor in (("MB", _MB), ("KB", _KB)):
        if size >= factor:
            text = f"{size / factor:.1f}"
            return f"{text.removesuffix('.0') if exact else text} {unit}"
    return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": size}


def sha256_of(fileobj: BinaryIO, *, chunk_size: int = _MB) -> str:
    """Hex SHA-256 of a whole file object, read in chunks; the file is left rewound."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(chunk_size):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()
