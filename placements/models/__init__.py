from placements.models.catalogue import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Programme,
    ProgrammeDocument,
    Specialization,
)
from placements.models.offerings import Offering, OfferingGroup, RotationPattern

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
