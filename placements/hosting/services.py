"""Business actions of host departments: the department's confirmation of a placement, absences,
and a running placement's end (completed, or interrupted with a reason). Every action that changes a
placement's status goes through the placement state machine (placements.allocation.workflow)."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.errors import TransitionNotAllowed
from placements.allocation import workflow
from placements.allocation.enums import RUNNING_STATES, PlacementStatus
from placements.allocation.models import Placement
from placements.hosting.access import supervisors_of
from placements.hosting.emails import confirmation_request_email_queue
from placements.hosting.enums import ConfirmationStatus
from placements.hosting.models import Absence, HostConfirmation

logger = logging.getLogger(__name__)
# The department is asked before the trainee starts: a proposal, an offer or an accepted offer.
CONFIRMABLE_STATES = (PlacementStatus.PROPOSED, PlacementStatus.OFFERED, PlacementStatus.CONFIRMED)


class HostingError(Exception):
    """A host action that is not possible now, in plain words for the person who tried."""


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",)).select_related("department__institution").get(pk=placement.pk)
    )


@transaction.atomic
def confirmation_request(*, placement: Placement, by, note: str = "") -> HostConfirmation:
    """Ask the department of `placement` to confirm it (again, after an answer): e-mail to its supervisors."""
    placement = _locked(placement)
    if placement.status not in CONFIRMABLE_STATES:
        raise HostingError(_("Only a placement that has not started can be confirmed by its department."))
    supervisors = [s.user for s in supervisors_of(placement.department)]
    if not supervisors:
        raise HostingError(_("This department has no supervisor yet: invite one first."))
    confirmation, _created = HostConfirmation.objects.update_or_create(
        placement=placement,
        defaults={
            "status": ConfirmationStatus.REQUESTED,
            "reason": "",
            "requested_by": by,
            "requested_at": timezone.now(),
            "answered_by": None,
            "answered_at": None,
        },
    )
    confirmation_request_email_queue(placement=placement, supervisors=supervisors, note=note.strip())
    return confirmation


@transaction.atomic
def confirmation_answer(*, confirmation: HostConfirmation, by, confirmed: bool, reason: str = "") -> HostConfirmation:
    """The supervisor's answer: confirmed, or declined with a reason."""
    confirmation = HostConfirmation.objects.select_for_update().select_related("placement").get(pk=confirmation.pk)
    if confirmation.status != ConfirmationStatus.REQUESTED:
        raise HostingError(_("This placement has been answered already."))
    if confirmation.placement.status not in CONFIRMABLE_STATES:
        raise HostingError(_("This placement is no longer waiting for the department's answer."))
    reason = reason.strip()
    if not confirmed and not reason:
        raise HostingError(_("Say why the department declines the placement."))
    confirmation.status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.DECLINED
    confirmation.reason = "" if confirmed else reason
    confirmation.answered_by, confirmation.answered_at = by, timezone.now()
    confirmation.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    return confirmation


@transaction.atomic
def absence_record(*, placement: Placement, by, first_day: date, last_day: date, reason: str) -> Absence:
    """Record days the trainee is or was away; they must lie within a confirmed or running placement."""
    placement = _locked(placement)
    if placement.status not in RUNNING_STATES:
        raise HostingError(_("Absences are recorded for a confirmed or running placement."))
    if last_day < first_day:
        raise HostingError(_("The last day of an absence cannot be before its first day."))
    if first_day < placement.start_week or last_day > placement.end_date:
        raise HostingError(_("An absence lies within the placement's dates."))
    return Absence.objects.create(
        placement=placement, first_day=first_day, last_day=last_day, reason=reason.strip(), recorded_by=by
    )


def placement_complete(*, placement: Placement, by) -> None:
    """The supervisor marks a running placement completed (from its last day)."""
    try:
        workflow.transition(application=placement.application, placements=[placement], name="complete", by=by)
    except TransitionNotAllowed as error:
        raise HostingError(str(error)) from error


def placement_interrupt(*, placement: Placement, by, reason: str) -> None:
    """A coordinator or supervisor stops a confirmed or running placement early, saying why."""
    if not reason.strip():
        raise HostingError(_("Say why the placement is interrupted."))
    try:
        workflow.transition(
            application=placement.application, placements=[placement], name="interrupt", by=by, message=reason
        )
    except TransitionNotAllowed as error:
        raise HostingError(str(error)) from error


def _move_due(name: str, due) -> int:
    """Move every placement of `due` along `name`, one at a time (row-locked by the state machine,
    which leaves out a row another run moved meanwhile); returns how many moved."""
    moved = 0
    for placement in due.select_related("application").order_by("pk"):
        try:
            with transaction.atomic():
                still = Placement.objects.select_for_update(of=("self",)).filter(
                    pk=placement.pk, status=placement.status
                )
                if not still.exists():
                    continue
                workflow.transition(application=placement.application, placements=[placement], name=name, by=None)
                moved += 1
        except TransitionNotAllowed as error:
            logger.warning("Placement %s not moved along %s: %s", placement.pk, name, error)
    return moved


def placements_start_due(*, today: date | None = None) -> int:
    """Confirmed placements whose first day has come are in progress (safe to run twice)."""
    today = today or timezone.localdate()
    return _move_due("start", Placement.objects.filter(status=PlacementStatus.CONFIRMED, start_week__lte=today))


def placements_complete_due(*, today: date | None = None) -> int:
    """Running placements whose last day (the Friday of the last week) has passed are completed."""
    today = today or timezone.localdate()
    # The last day is the Friday of the last week: its Monday lies more than four days back.
    ended = Placement.objects.filter(status=PlacementStatus.IN_PROGRESS, end_week__lt=today - timedelta(days=4))
    return _move_due("complete", ended)
