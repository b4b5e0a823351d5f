"""Private storage for applicants' documents: no URL maps to it; a checked view streams files."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise NotImplementedError("Private documents have no URL; use the download view.")


private_storage = PrivateStorage()


def random_document_path(instance, filename: str) -> str:
    """A random name under a per-month folder; the original name is kept only in the database."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"documents/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


def random_preview_path(instance, filename: str) -> str:
    return f"previews/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.png"
