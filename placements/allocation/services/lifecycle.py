"""The business actions that change an application and its placements together, each in one
transaction: the applicant accepting or declining an offer, an offer lapsing, withdrawing.

Each is the application's transition with its placement side (`applicants.workflow` refuses the
one without the other, and the placement state machine the other without the one). Locks are taken
application row first, then placement rows, as publishing does (`offers`).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants import workflow
from applicants.enums import ApplicationStatus
from applicants.models import Application
from placements.allocation import workflow as placement_workflow
from placements.allocation.enums import OPEN_STATES, SEAT_HOLDING_STATES, PlacementStatus, SeatProposalStatus
from placements.allocation.models import Placement, SeatProposal
from placements.allocation.services.offers import OfferError, seat_proposals_create

logger = logging.getLogger(__name__)
S = ApplicationStatus


def _offered(application: Application) -> list[Placement]:
    return list(Placement.objects.filter(application=application, status=PlacementStatus.OFFERED).order_by("pk"))


@transaction.atomic
def offer_accept(*, application: Application, by) -> list[Placement]:
    """The applicant accepts the offer: the application and its placements are confirmed.

    An offer past its deadline is refused (OfferError) before anything changes.
    """
    offered = []

    def placement_side(locked: Application) -> None:
        offered.extend(_offered(locked))
        problems = placement_workflow.answer_problems(locked, offered, timezone.now())
        if problems:
            raise OfferError(" ".join(problems))
        placement_workflow.transition(application=locked, placements=offered, name="accept", by=by)

    workflow.transition(
        application=application,
        name="confirm",
        by=by,
        message=_("The applicant accepted the offer."),
        placements=placement_side,
    )
    return offered


@transaction.atomic
def offer_decline(*, application: Application, by, reason: str = "") -> list[SeatProposal]:
    """The applicant declines the offer: the seats are free again, and may be proposed to another."""
    freed = []

    def placement_side(locked: Application) -> None:
        freed.extend(_offered(locked))
        placement_workflow.transition(application=locked, placements=freed, name="decline", by=by)

    workflow.transition(
        application=application,
        name="decline",
        by=by,
        message=reason or _("The applicant declined the offer."),
        placements=placement_side,
    )
    return seat_proposals_create(freed=freed)


def offer_expire(*, application_id: int) -> bool:
    """Let the offer of application `application_id` lapse once its deadline has passed, and propose
    its seats to others; False when there is nothing to do (answered, withdrawn, lapsed or renewed
    since it was listed)."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("programme").filter(pk=application_id).first()
        if locked is None or locked.status != S.OFFERED:
            return False
        offered = _offered(locked)
        if placement_workflow.lapse_problems(locked, offered, timezone.now()):
            return False

        def placement_side(locked: Application) -> None:
            placement_workflow.transition(application=locked, placements=offered, name="lapse", by=None)

        workflow.transition(
            application=locked,
            name="expire_offer",
            by=None,
            message=_("The offer was not answered in time."),
            placements=placement_side,
        )
        seat_proposals_create(freed=offered)
    return True


def offers_expire() -> int:
    """Let every offer past its deadline lapse; returns how many. Safe to run twice or in parallel:
    each application is locked and checked again before it is changed."""
    due = (
        Placement.objects.filter(status=PlacementStatus.OFFERED, offer_deadline__lt=timezone.now())
        .values_list("application_id", flat=True)
        .distinct()
    )
    expired = 0
    for application_id in sorted(set(due)):
        if offer_expire(application_id=application_id):
            expired += 1
            logger.info("Offer of application %s expired", application_id)
    return expired


@transaction.atomic
def application_withdraw(*, application: Application, by, reason: str = "") -> Application:
    """Withdraw `application`: its placements are cancelled and the seats they held proposed to
    others; the proposals that suggested it for a freed seat are dismissed."""
    held = []

    def placement_side(locked: Application) -> None:
        active = list(Placement.objects.filter(application=locked, status__in=OPEN_STATES).order_by("pk"))
        held.extend(p for p in active if p.status in SEAT_HOLDING_STATES)
        placement_workflow.transition(application=locked, placements=active, name="release", by=by)

    workflow.transition(
        application=application,
        name="withdraw",
        by=by,
        message=reason or _("Withdrawn by the applicant."),
        placements=placement_side,
    )
    SeatProposal.objects.filter(application=application, status=SeatProposalStatus.OPEN).update(
        status=SeatProposalStatus.DISMISSED, resolved_at=timezone.now()
    )
    seat_proposals_create(freed=held)
    return application
