"""The models of the placements app, gathered for Django's app registry.

The code imports them from their layer: `placements.catalogue.models` and `placements.allocation.models`.
"""

from placements.allocation.models import CapacityOverride, Placement, PlacementConfirmation, PlanRun, SeatProposal
from placements.catalogue.models import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Intake,
    Offering,
    OfferingGroup,
    Programme,
    ProgrammeDocument,
    RotationPattern,
    Specialization,
)

__all__ = [
    "CapacityOverride",
    "Department",
    "DocumentType",
    "EligibilityQuestion",
    "Institution",
    "Intake",
    "Offering",
    "OfferingGroup",
    "Placement",
    "PlacementConfirmation",
    "PlanRun",
    "Programme",
    "ProgrammeDocument",
    "RotationPattern",
    "SeatProposal",
    "Specialization",
]
