"""Checks on uploaded documents: plain functions on bytes and paths, returning dataclasses.

`types` decides whether an upload is accepted at all (name, size, magic bytes); `pdf` and `images`
inspect and clean the stored file in the worker; `checks` reads the extracted text.
"""


class PreviewError(Exception):
    """A preview image could not be made; the document itself may still be fine."""
