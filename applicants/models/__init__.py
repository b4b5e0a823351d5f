from applicants.models.applications import (
    ApplicantProfile,
    Application,
    ApplicationComponent,
    ReferenceCounter,
)
from applicants.models.documents import Document, DocumentCheck
from applicants.models.events import Event

__all__ = [
    "ApplicantProfile",
    "Application",
    "ApplicationComponent",
    "Document",
    "DocumentCheck",
    "Event",
    "ReferenceCounter",
]
