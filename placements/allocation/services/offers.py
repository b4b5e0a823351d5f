"""Offers: publishing an application's placements, the applicant's answer, offers that lapse, and
proposals to the coordinators for the seats that a declined, lapsed or withdrawn placement frees.

Locks are always taken in the same order: the application row (the workflow's transition locks it
too), then department rows, then placement rows. Every status change of the application goes
through `applicants.workflow.transition`, in the same transaction as the placements' change.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from applicants import workflow
from applicants.enums import ApplicationStatus
from applicants.errors import DomainError, TransitionNotAllowed
from applicants.models import Application
from placements.allocation.enums import ACTIVE_STATES, SEAT_HOLDING_STATES, PlacementStatus, SeatProposalStatus
from placements.allocation.models import Placement, SeatProposal, monday_of
from placements.allocation.services.capacity import (
    CapacityError,
    Segment,
    capacity_conflicts,
    held,
    placements_assign,
    seats,
)
from placements.catalogue.models import Department

logger = logging.getLogger(__name__)
S = ApplicationStatus

# An offer can be published (or changed) while the application is in one of these.
OFFERABLE_STATES = (S.ACCEPTED, S.OFFERED)
# A freed seat is suggested to applications in these states that have no placement at all.
WAITING_STATES = (S.ACCEPTED, S.WAITLISTED)


class OfferError(DomainError):
    """An offer cannot be published or answered now; the message says why."""


def offer_deadline_from(now: datetime) -> datetime:
    """The end of the day OFFER_RESPONSE_DAYS days after `now` (local time)."""
    day = timezone.localtime(now).date() + timedelta(days=settings.OFFER_RESPONSE_DAYS)
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def human_deadline(deadline: datetime) -> str:
    return date_format(timezone.localtime(deadline), "j F Y")


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("programme").get(pk=application.pk)


def _lock_departments(department_ids) -> None:
    list(Department.objects.select_for_update().filter(pk__in=sorted(department_ids)).order_by("pk").values_list("pk"))


def _check_may_offer(application: Application, by) -> None:
    spec = workflow.TRANSITIONS["offer"]
    if workflow.role_of(by, application) not in spec.roles:
        raise TransitionNotAllowed("You may not publish an offer for this application.")
    if application.status not in OFFERABLE_STATES:
        status = application.get_status_display().lower()
        raise OfferError(f"An offer can only be published for an accepted application; this one is {status}.")


def _offer_proposal(application: Application) -> list[Placement]:
    """Turn the application's proposed placements into offered ones, if the seats are there."""
    proposed = list(
        Placement.objects.select_for_update()
        .filter(application=application, status=PlacementStatus.PROPOSED)
        .select_related("department")
    )
    if not proposed:
        raise OfferError("There is no proposal to publish; assign placements first.")
    segments = [Segment(p.department, p.start_week, p.weeks) for p in proposed]
    _lock_departments({p.department_id for p in proposed})
    full = capacity_conflicts(application, segments)
    if full:
        raise CapacityError(" ".join(c.message for c in full))
    now = timezone.now()
    Placement.objects.filter(application=application, status__in=SEAT_HOLDING_STATES).update(
        status=PlacementStatus.CANCELLED, updated_at=now
    )
    Placement.objects.filter(pk__in=[p.pk for p in proposed]).update(status=PlacementStatus.OFFERED, updated_at=now)
    for placement in proposed:
        placement.status = PlacementStatus.OFFERED
    return proposed


@transaction.atomic
def offer_publish(*, application: Application, by, segments: list[Segment] | None = None) -> list[Placement]:
    """Offer `application` its placements: `segments`, or else its current proposal.

    Seats are counted under department locks (CapacityError when one is full; nothing is saved);
    the placements get the answer deadline and the application goes to "offered", which e-mails the
    applicant. For an application already offered, the offer is replaced and its deadline renewed.
    """
    locked = _lock(application)
    _check_may_offer(locked, by)
    if segments is None:
        placements = _offer_proposal(locked)
    elif not segments:
        raise OfferError("Add at least one placement to offer.")
    else:
        placements = placements_assign(application=locked, segments=segments, by=by, publish=True)
    now = timezone.now()
    deadline = offer_deadline_from(now)
    Placement.objects.filter(pk__in=[p.pk for p in placements]).update(offer_deadline=deadline)
    for placement in placements:
        placement.offer_deadline = deadline
    SeatProposal.objects.filter(application=locked, status=SeatProposalStatus.OPEN).update(
        status=SeatProposalStatus.USED, resolved_at=now, resolved_by=by
    )
    if locked.status == S.ACCEPTED:
        workflow.transition(
            application=locked,
            name="offer",
            by=by,
            message=f"Please accept or decline the offer by {human_deadline(deadline)}.",
        )
    application.refresh_from_db()
    return placements


def _refuse_lapsed(application: Application, now: datetime) -> None:
    lapsed = (
        Placement.objects.filter(application=application, status=PlacementStatus.OFFERED, offer_deadline__lt=now)
        .values_list("offer_deadline", flat=True)
        .first()
    )
    if lapsed is not None:
        raise OfferError(f"The offer lapsed on {human_deadline(lapsed)}; it can no longer be accepted.")


@transaction.atomic
def offer_accept(*, application: Application, by) -> list[Placement]:
    """The applicant accepts the offer before its deadline: the placements are confirmed."""
    locked = _lock(application)
    workflow.transition(application=locked, name="confirm", by=by, message="The applicant accepted the offer.")
    now = timezone.now()
    _refuse_lapsed(locked, now)
    offered = list(Placement.objects.select_for_update().filter(application=locked, status=PlacementStatus.OFFERED))
    Placement.objects.filter(pk__in=[p.pk for p in offered]).update(status=PlacementStatus.CONFIRMED, updated_at=now)
    application.refresh_from_db()
    return offered


@transaction.atomic
def offer_decline(*, application: Application, by, reason: str = "") -> list[SeatProposal]:
    """The applicant declines the offer: the seats are free again, and may be proposed to another."""
    locked = _lock(application)
    workflow.transition(
        application=locked, name="decline", by=by, message=reason or "The applicant declined the offer."
    )
    freed = list(Placement.objects.select_for_update().filter(application=locked, status=PlacementStatus.OFFERED))
    Placement.objects.filter(pk__in=[p.pk for p in freed]).update(
        status=PlacementStatus.DECLINED, updated_at=timezone.now()
    )
    application.refresh_from_db()
    return seat_proposals_create(freed=freed)


def _expire_one(application_id: int, now: datetime) -> bool:
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("programme").filter(pk=application_id).first()
        if locked is None or locked.status != S.OFFERED:
            return False  # answered, withdrawn or expired since it was listed
        offered = list(Placement.objects.select_for_update().filter(application=locked, status=PlacementStatus.OFFERED))
        if not any(p.offer_deadline and p.offer_deadline < now for p in offered):
            return False
        claimed = Placement.objects.filter(pk__in=[p.pk for p in offered], status=PlacementStatus.OFFERED).update(
            status=PlacementStatus.EXPIRED, updated_at=now
        )
        if not claimed:
            return False
        workflow.transition(
            application=locked, name="expire_offer", by=None, message="The offer was not answered in time."
        )
        seat_proposals_create(freed=offered)
    return True


def offers_expire(*, now: datetime | None = None) -> int:
    """Let every offer past its deadline lapse; returns how many. Safe to run twice or in parallel:
    each application is locked and checked again before it is changed."""
    now = now or timezone.now()
    due = (
        Placement.objects.filter(status=PlacementStatus.OFFERED, offer_deadline__lt=now)
        .values_list("application_id", flat=True)
        .distinct()
    )
    expired = 0
    for application_id in sorted(set(due)):
        if _expire_one(application_id, now):
            expired += 1
            logger.info("Offer of application %s expired", application_id)
    return expired


@transaction.atomic
def placements_release(*, application: Application) -> list[SeatProposal]:
    """Cancel the placements of an application that no longer takes them (withdrawn), and propose
    the seats it held to others; proposals that suggested it are dismissed."""
    active = list(Placement.objects.select_for_update().filter(application=application, status__in=ACTIVE_STATES))
    now = timezone.now()
    Placement.objects.filter(pk__in=[p.pk for p in active]).update(status=PlacementStatus.CANCELLED, updated_at=now)
    SeatProposal.objects.filter(application=application, status=SeatProposalStatus.OPEN).update(
        status=SeatProposalStatus.DISMISSED, resolved_at=now
    )
    return seat_proposals_create(freed=[p for p in active if p.status in SEAT_HOLDING_STATES])


# --- proposals for freed seats --------------------------------------------------------------------


def best_waiting_application(*, programme_id: int, department_id: int, weeks: list, exclude_id: int | None = None):
    """The best-scored application of the programme that waits for a seat and fits `weeks` there.

    It must be waitlisted or accepted without any placement, have chosen the department, have a
    requested period covering every week, and not be suggested for another seat already. Ties go
    to the earlier submission.
    """
    first, last = weeks[0], weeks[-1]
    candidates = (
        Application.objects.filter(
            programme_id=programme_id,
            status__in=WAITING_STATES,
            # The requested period covers a week when the week's Monday lies within it (see week_range).
            start_date__lte=first + timedelta(days=6),
            end_date__gte=last,
            components__offering__department_id=department_id,
        )
        .exclude(placements__status__in=ACTIVE_STATES)
        .exclude(pk__in=SeatProposal.objects.filter(status=SeatProposalStatus.OPEN).values("application_id"))
        .order_by(F("review_score").desc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")
    )
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    return candidates.first()


def _still_free(department_id: int, weeks: list) -> bool:
    capacity = seats([department_id], weeks)
    taken = held([department_id], weeks)
    return all(taken[(department_id, w)] < capacity[(department_id, w)] for w in weeks)


def seat_proposal_for(*, placement: Placement, today=None) -> SeatProposal | None:
    """The proposal for the seat `placement` left free (its weeks from this week on), once."""
    if SeatProposal.objects.filter(freed_by=placement).exists():
        return None
    this_monday = monday_of(today or timezone.localdate())
    weeks = [w for w in placement.week_list() if w >= this_monday]
    if not weeks or not _still_free(placement.department_id, weeks):
        return None
    programme_id = Application.objects.filter(pk=placement.application_id).values_list("programme_id", flat=True)[0]
    suggested = best_waiting_application(
        programme_id=programme_id,
        department_id=placement.department_id,
        weeks=weeks,
        exclude_id=placement.application_id,
    )
    if suggested is None:
        return None
    try:
        with transaction.atomic():
            return SeatProposal.objects.create(
                programme_id=programme_id,
                department_id=placement.department_id,
                start_week=weeks[0],
                weeks=len(weeks),
                freed_by=placement,
                application=suggested,
            )
    except IntegrityError:
        return None  # made at the same moment by a parallel run, or the same suggestion exists


def seat_proposals_create(*, freed: list[Placement]) -> list[SeatProposal]:
    """Proposals for the seats of `freed` placements; each freed placement gets at most one."""
    made = [seat_proposal_for(placement=p) for p in sorted(freed, key=lambda p: (p.start_week, p.pk))]
    return [p for p in made if p is not None]


def seat_proposals_sweep(*, today=None) -> int:
    """Propose the seats of declined and lapsed placements that have none yet (an application that
    fits may have been waitlisted since); returns how many proposals were made."""
    this_monday = monday_of(today or timezone.localdate())
    freed = Placement.objects.filter(
        status__in=[PlacementStatus.DECLINED, PlacementStatus.EXPIRED],
        end_week__gte=this_monday,
        seat_proposal__isnull=True,
    ).order_by("start_week", "pk")
    made = 0
    for placement in freed:
        with transaction.atomic():
            made += seat_proposal_for(placement=placement, today=today) is not None
    return made


def seat_proposal_dismiss(*, proposal: SeatProposal, by) -> None:
    updated = SeatProposal.objects.filter(pk=proposal.pk, status=SeatProposalStatus.OPEN).update(
        status=SeatProposalStatus.DISMISSED, resolved_at=timezone.now(), resolved_by=by
    )
    if not updated:
        raise OfferError("This proposal was already used or dismissed.")
