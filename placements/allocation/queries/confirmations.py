"""What the public verification page of a placement confirmation shows: the reference, the name and
the dates of the confirmed placements, and whether the confirmation still holds. Nothing else about
the person (no e-mail address, no documents)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, PlacementConfirmation


@dataclass(frozen=True)
class Verification:
    reference: str
    name: str
    programme: str
    provider: str
    issued: date
    placements: list[Placement]  # confirmed, in week order, with their department and hospital
    valid: bool  # the application is still confirmed (not withdrawn since)


def confirmation_verification(token: str) -> Verification | None:
    """The confirmation with `token`, as the verification page shows it; None for an unknown token."""
    confirmed = Placement.objects.filter(status=PlacementStatus.CONFIRMED).select_related("department__institution")
    confirmation = (
        PlacementConfirmation.objects.filter(token=token)
        .select_related("application__applicant", "application__programme__provider")
        .prefetch_related(
            Prefetch("application__placements", queryset=confirmed.order_by("start_week", "pk"), to_attr="confirmed")
        )
        .first()
    )
    if confirmation is None:
        return None
    application = confirmation.application
    applicant = application.applicant
    return Verification(
        reference=application.reference or "",
        name=applicant.get_full_name() or "(name not given)",
        programme=application.programme.title,
        provider=application.programme.provider.name,
        issued=timezone.localtime(confirmation.issued_at).date(),
        placements=application.confirmed,
        valid=application.status == ApplicationStatus.CONFIRMED and bool(application.confirmed),
    )
