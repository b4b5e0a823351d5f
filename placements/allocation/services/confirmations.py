"""Issuing a placement confirmation: its verification token, once per confirmed application."""

from applicants.models import Application
from placements.allocation.models import PlacementConfirmation


def confirmation_issue(*, application: Application) -> PlacementConfirmation:
    """The confirmation of `application`, made with its token the first time it is asked for (two
    downloads at the same moment get the same one)."""
    confirmation, _created = PlacementConfirmation.objects.get_or_create(application=application)
    return confirmation
