from placements.allocation.models.confirmations import PlacementConfirmation
from placements.allocation.models.placements import CapacityOverride, Placement, PlanRun, monday_of
from placements.allocation.models.proposals import SeatProposal
from placements.allocation.models.reports import InsightsReport, ReportStatus

__all__ = [
    "CapacityOverride",
    "InsightsReport",
    "Placement",
    "PlacementConfirmation",
    "PlanRun",
    "ReportStatus",
    "SeatProposal",
    "monday_of",
]
