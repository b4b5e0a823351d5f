"""Checks on uploaded documents: plain functions on bytes and paths, returning dataclasses.

`types` decides whether an upload is accepted at all (name, size, magic bytes); in the worker, `pdf`
inspects PDFs, `disarm` rebuilds them without active content (and `signatures` looks for the EICAR
test string in the result), `images` re-encodes images; `checks` reads the extracted text.
"""


class PreviewError(Exception):
    """A preview image could not be made; the document itself may still be fine."""
