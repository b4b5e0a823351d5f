"""The EICAR anti-virus test signature, looked for in a rebuilt PDF before it is stored.

This is not an antivirus. EICAR is the string every virus scanner reports as a virus so that a
scanner's handling can be tested; an upload carries it only on purpose, and the portal treats it the
way it would treat a virus: a PDF still holding it after the rebuild is refused. Often the rebuild has
already dropped it (in bytes after the end of the file, an object nothing uses, an attachment).

Where it is looked for: the file's bytes, and the data of every Flate stream, inflated in chunks. The
rebuild (applicants.files.disarm) writes every stream as plain Flate without predictors, except image
data kept as stored (JPEG, JPEG 2000, JBIG2, CCITT, possibly inside Flate), which is read as it is. A
stream in any other encoding (one the rebuild could not decode), or more than MAX_INFLATED bytes of
inflated data in all, cannot be checked: the file is refused as too complex to check.
"""

import zlib
from pathlib import Path

import pikepdf

# Assembled from two halves so that this source file is not itself reported by a scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MAX_INFLATED = 512 * 1024 * 1024
_CHUNK = 4 * 1024 * 1024
_STORED_AS_IS = frozenset({"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"})


class ScanLimitExceeded(Exception):
    """A stream the scan cannot read, or more inflated data than it reads."""


def contains_eicar(path: str | Path, *, max_inflated: int = MAX_INFLATED) -> bool:
    """Whether the file holds the EICAR test string in its bytes or in a Flate stream's data.

    Raises ScanLimitExceeded when the streams inflate to more than `max_inflated` bytes in all.
    """
    if EICAR in Path(path).read_bytes():
        return True
    budget = max_inflated
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream) or not _needs_inflating(obj):
                continue
            found, budget = _inflated_contains(obj.read_raw_bytes(), budget)
            if found:
                return True
    return False


def _needs_inflating(stream: pikepdf.Stream) -> bool:
    """True for Flate data, False for data the byte scan reads as stored; ScanLimitExceeded for anything else."""
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        names = [str(name) for name in filters]
    else:
        names = [] if filters is None else [str(filters)]
    if names[:1] == ["/FlateDecode"] and (len(names) == 1 or (len(names) == 2 and names[1] in _STORED_AS_IS)):
        return True  # Flate, or image data inside Flate
    if not names or (len(names) == 1 and names[0] in _STORED_AS_IS):
        return False
    raise ScanLimitExceeded


def _inflated_contains(raw: bytes, budget: int) -> tuple[bool, int]:
    """Inflate `raw` chunk by chunk, looking for EICAR across chunk borders; returns (found, budget left)."""
    inflater = zlib.decompressobj()
    tail = b""
    pending = raw
    while True:
        try:
            chunk = inflater.decompress(pending, _CHUNK)
        except zlib.error:  # damaged data: what was inflated so far has been read
            return False, budget
        if not chunk:
            return False, budget
        budget -= len(chunk)
        if budget < 0:
            raise ScanLimitExceeded
        window = tail + chunk
        if EICAR in window:
            return True, budget
        tail = window[-(len(EICAR) - 1) :]
        pending = inflater.unconsumed_tail
