class DomainError(Exception):
    """A business rule refused an action; the message is shown to the user as it is."""


class TransitionNotAllowed(DomainError):
    pass
