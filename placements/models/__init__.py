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
from placements.models.proposals import SeatProposal

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
    "SeatProposal",
    "Specialization",
    "monday_of",
]
