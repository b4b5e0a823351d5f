"""Offers: publishing an application's placements, and proposals to the coordinators for the seats
that a declined, lapsed or withdrawn placement frees (the applicant's answer, lapsing and withdrawing
are in `lifecycle`).

Locks are always taken in the same order: the application row (the workflow's transition locks it
too), then department rows, then placement rows. Publishing is the application's "offer" transition
with its placement side, in one transaction (see `applicants.workflow`).
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from applicants import workflow
from applicants.enums import OFFERABLE_STATES, WAITING_STATES, ApplicationStatus
from applicants.errors import DomainError, TransitionNotAllowed
from applicants.models import Application, ApplicationComponent
from placements.allocation import workflow as placement_workflow
from placements.allocation.dates import human_deadline, offer_deadline_from, weeks_in_words
from placements.allocation.enums import (
    ACTIVE_STATES,
    FREED_STATES,
    SEAT_HOLDING_STATES,
    PlacementStatus,
    SeatProposalStatus,
)
from placements.allocation.models import Placement, SeatProposal, monday_of
from placements.allocation.rules import proposal_departure, publishes_with_all
from placements.allocation.services.capacity import (
    CapacityError,
    Segment,
    capacity_conflicts,
    departments_lock,
    held,
    seats,
)

S = ApplicationStatus


class OfferError(DomainError):
    """An offer cannot be published or answered now; the message says why."""


class NotAsRequested(OfferError):
    """The proposal differs from what the applicant asked for: it goes out only when a coordinator
    confirms it on its own, never with the others."""


def _check_may_offer(application: Application, by) -> None:
    spec = workflow.TRANSITIONS["offer"]
    if workflow.role_of(by, application) not in spec.roles:
        raise TransitionNotAllowed(_("You may not publish an offer for this application."))
    if application.status not in OFFERABLE_STATES:
        status = application.get_status_display().lower()
        raise OfferError(
            _("An offer can only be published for an accepted application; this one is %(status)s.")
            % {"status": status}
        )


def _seats_check(application: Application, segments: list[Segment]) -> None:
    """Seats counted under department locks: CapacityError names the full weeks."""
    departments_lock({s.department.pk for s in segments})
    full = capacity_conflicts(application, segments)
    if full:
        raise CapacityError(" ".join(c.message for c in full))


def _check_as_requested(application: Application, proposed: list[Placement]) -> None:
    requested = ApplicationComponent.objects.filter(application=application).select_related("offering")
    if not publishes_with_all(proposal_departure(application, proposed, requested)):
        raise NotAsRequested(
            _("The proposal differs from the request; it is published only when confirmed on its own.")
        )


def _offered_in_words(segments: list[Segment]) -> str:
    """What is offered, for the applicant's e-mail: each department with its hospital, weeks and dates."""
    return "; ".join(
        _("%(department)s, %(weeks)s (%(start)s – %(end)s)")
        % {
            "department": s.department.label,
            "weeks": weeks_in_words(s.start_week, s.weeks),
            "start": date_format(s.start_week, "j F"),
            "end": date_format(s.week_list()[-1] + timedelta(days=4), "j F Y"),
        }
        for s in sorted(segments, key=lambda s: s.start_week)
    )


def _offer_placements(
    application: Application, by, proposed: list[Placement], segments: list[Segment] | None, deadline
) -> list[Placement]:
    """The placement side of publishing: the proposal (or `segments` instead of it) is offered and
    replaces the placements offered before."""
    _seats_check(application, segments or [Segment(p.department, p.start_week, p.weeks) for p in proposed])
    replaced = list(Placement.objects.filter(application=application, status__in=SEAT_HOLDING_STATES))
    placement_workflow.transition(application=application, placements=replaced, name="replace", by=by)
    if segments is None:
        placement_workflow.transition(
            application=application, placements=proposed, name="offer", by=by, offer_deadline=deadline
        )
        return proposed
    placement_workflow.transition(application=application, placements=proposed, name="discard", by=by)
    new = [segment.placement(application, by) for segment in segments]
    return placement_workflow.create(placements=new, name="offer", by=by, offer_deadline=deadline)


@transaction.atomic
def offer_publish(
    *, application: Application, by, segments: list[Segment] | None = None, only_as_requested: bool = False
) -> list[Placement]:
    """Offer `application` its placements: `segments`, or else its current proposal.

    With `only_as_requested` (publishing many at once), a proposal that differs from the request is
    refused with NotAsRequested and nothing changes: it needs a coordinator's own confirmation.
    Seats are counted under department locks (CapacityError when one is full; nothing is saved);
    the placements get the answer deadline and the application goes to "offered", which e-mails the
    applicant. For an application already offered, the offer is replaced, its deadline renewed, and
    the applicant told again: the change is on the timeline and the offer's e-mail is sent anew.
    """
    locked = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
    _check_may_offer(locked, by)
    proposed = list(
        Placement.objects.filter(application=locked, status=PlacementStatus.PROPOSED).select_related(
            "department__institution"
        )
    )
    if segments is None and not proposed:
        raise OfferError(_("There is no proposal to publish; assign placements first."))
    if segments is not None and not segments:
        raise OfferError(_("Add at least one placement to offer."))
    if segments is None and only_as_requested:
        _check_as_requested(locked, proposed)
    now = timezone.now()
    deadline = offer_deadline_from(now)
    with override(locked.applicant.language or None):  # the applicant reads it on the timeline
        what = _offered_in_words(segments or [Segment(p.department, p.start_week, p.weeks) for p in proposed])
        values = {"what": what, "deadline": human_deadline(deadline)}
        if locked.status == S.OFFERED:
            message = _(
                "Your placement offer has been changed. Offered: %(what)s. "
                "Please accept or decline the offer by %(deadline)s."
            )
        else:
            message = _("Offered: %(what)s. Please accept or decline the offer by %(deadline)s.")
        message %= values
    offered = []

    def placement_side(locked: Application) -> None:
        offered.extend(_offer_placements(locked, by, proposed, segments, deadline))

    workflow.transition(
        application=locked,
        name="offer",
        by=by,
        message=message,
        placements=placement_side,
    )
    SeatProposal.objects.filter(application=locked, status=SeatProposalStatus.OPEN).update(
        status=SeatProposalStatus.USED, resolved_at=now, resolved_by=by
    )
    application.refresh_from_db()
    return offered


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
        status__in=FREED_STATES,
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
        raise OfferError(_("This proposal was already used or dismissed."))
