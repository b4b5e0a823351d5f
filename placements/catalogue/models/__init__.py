from placements.catalogue.models.catalogue import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Programme,
    ProgrammeDocument,
    Specialization,
)
from placements.catalogue.models.offerings import Offering, OfferingGroup, RotationPattern

__all__ = [
    "Department",
    "DocumentType",
    "EligibilityQuestion",
    "Institution",
    "Offering",
    "OfferingGroup",
    "Programme",
    "ProgrammeDocument",
    "RotationPattern",
    "Specialization",
]
