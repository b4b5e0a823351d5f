class DomainError(Exception):
    """A business rule refused an action; the message is shown to the user as it is."""


class TransitionNotAllowed(DomainError):
    pass


class PlacementSideMissing(TransitionNotAllowed):
    """An application transition that changes the placements too was asked for without its placement
    side (only the allocation layer's lifecycle services perform those)."""
