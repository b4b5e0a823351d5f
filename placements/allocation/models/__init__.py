from placements.allocation.models.confirmations import PlacementConfirmation
from placements.allocation.models.placements import CapacityOverride, Placement, PlanRun, monday_of
from placements.allocation.models.proposals import SeatProposal

__all__ = ["CapacityOverride", "Placement", "PlacementConfirmation", "PlanRun", "SeatProposal", "monday_of"]
