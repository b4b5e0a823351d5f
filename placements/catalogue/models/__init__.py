from placements.catalogue.models.catalogue import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Programme,
    ProgrammeDocument,
    Specialization,
    department_label,
)
from placements.catalogue.models.intakes import Intake
from placements.catalogue.models.offerings import Offering, OfferingGroup, RotationPattern

__all__ = [
    "Department",
    "DocumentType",
    "EligibilityQuestion",
    "Institution",
    "Intake",
    "Offering",
    "OfferingGroup",
    "Programme",
    "ProgrammeDocument",
    "RotationPattern",
    "Specialization",
    "department_label",
]
