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
from placements.models.placements import CapacityOverride, Placement, PlanRun, monday_of

__all__ = [
    "CapacityOverride",
    "Department",
    "DocumentType",
    "EligibilityQuestion",
    "Institution",
    "Offering",
    "OfferingGroup",
    "Placement",
    "PlanRun",
    "Programme",
    "ProgrammeDocument",
    "RotationPattern",
    "Specialization",
    "monday_of",
]
