from applicants.models.applications import (
    ApplicantProfile,
    Application,
    ApplicationComponent,
    ReferenceCounter,
)
from applicants.models.documents import Document, DocumentCheck
from applicants.models.dossiers import Dossier, DossierStatus
from applicants.models.events import Event
from applicants.models.privacy import DataExport, PrivacyNotice
from applicants.models.proposals import HospitalProposal
from applicants.models.reviews import InternalNote, Review, ReviewScore, RubricCriterion

__all__ = [
    "ApplicantProfile",
    "Application",
    "ApplicationComponent",
    "DataExport",
    "Document",
    "DocumentCheck",
    "Dossier",
    "DossierStatus",
    "Event",
    "HospitalProposal",
    "InternalNote",
    "PrivacyNotice",
    "ReferenceCounter",
    "Review",
    "ReviewScore",
    "RubricCriterion",
]
