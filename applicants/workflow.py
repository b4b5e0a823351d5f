"""The application state machine: every status change is declared here and goes through `transition`.

Each transition names its source states, its target, who may perform it and an optional guard.
`transition` locks the row, checks all of that, saves the new status, records an Event and queues
the transition's side effects after the surrounding transaction commits.

Some transitions change the application's placements too (publishing an offer, accepting or
declining it, an offer lapsing, withdrawing): they are declared `with_placements` and `transition`
performs them only with their placement side, a function that the allocation layer's lifecycle
services pass and that runs in the same transaction, under the same lock, after the checks and
before the new status is saved. The placement state machine in turn performs its joint transitions
only while that side runs (`joint_under_way`), so neither state machine can change without the other.
"""

import logging
from collections.abc import Callable, Collection
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants import effects, guards
from applicants.enums import OFFERABLE_STATES, WITHDRAWABLE_STATES, ApplicationStatus, EventKind
from applicants.errors import PlacementSideMissing, TransitionNotAllowed
from applicants.models import Application, Event

logger = logging.getLogger(__name__)
S = ApplicationStatus


class Role:
    APPLICANT = "applicant"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    SYSTEM = "system"


STAFF = frozenset({Role.COORDINATOR, Role.ADMIN})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: str
    # Guard: returns the problems that block the transition; any problem refuses it.
    guard: Callable[[Application], list[guards.Problem]] | None = None
    # Side effects, called after commit with the application id and the event id.
    effects: tuple[Callable[[int, int], None], ...] = field(default_factory=tuple)
    decision: bool = False
    # The application's placements change with it: performed only with its placement side.
    with_placements: bool = False


@dataclass
class Joint:
    """An application transition whose placement side is running; the placement state machine marks
    it done once it has moved the placements (none at all, for an application that has none)."""

    application_id: int
    name: str
    placements_done: bool = False


_joint: ContextVar[Joint | None] = ContextVar("joint", default=None)
TRANSITIONS: dict[str, Transition] = {}


def register(transition: Transition) -> Transition:
    TRANSITIONS[transition.name] = transition
    return transition


register(
    Transition(
        "submit",
        (S.DRAFT,),
        S.SUBMITTED,
        frozenset({Role.APPLICANT}),
        gettext_lazy("Submit"),
        guard=guards.submission_problems,
        effects=(effects.email_applicant,),
    )
)
register(Transition("start_review", (S.SUBMITTED,), S.IN_REVIEW, STAFF, gettext_lazy("Start review")))
register(
    Transition(
        "request_info",
        (S.SUBMITTED, S.IN_REVIEW),
        S.INFO_REQUESTED,
        STAFF,
        gettext_lazy("Request information"),
        effects=(effects.email_applicant,),
    )
)
register(
    Transition(
        "answer_info", (S.INFO_REQUESTED,), S.IN_REVIEW, frozenset({Role.APPLICANT}), gettext_lazy("Send answer")
    )
)
for _name, _sources, _target, _label in [
    ("accept", (S.IN_REVIEW, S.WAITLISTED), S.ACCEPTED, gettext_lazy("Accept")),
    ("waitlist", (S.IN_REVIEW,), S.WAITLISTED, gettext_lazy("Waitlist")),
    ("reject", (S.SUBMITTED, S.IN_REVIEW, S.WAITLISTED), S.REJECTED, gettext_lazy("Reject")),
]:
    register(Transition(_name, _sources, _target, STAFF, _label, effects=(effects.email_applicant,), decision=True))
# From "offered" too: a new offer replaces the one made, and the applicant is told again.
register(
    Transition(
        "offer",
        OFFERABLE_STATES,
        S.OFFERED,
        STAFF | {Role.SYSTEM},
        gettext_lazy("Publish offer"),
        effects=(effects.email_applicant,),
        with_placements=True,
    )
)
for _name, _sources, _target, _roles, _label in [
    ("confirm", (S.OFFERED,), S.CONFIRMED, {Role.APPLICANT}, gettext_lazy("Accept the offer")),
    ("decline", (S.OFFERED,), S.DECLINED, {Role.APPLICANT}, gettext_lazy("Decline the offer")),
    ("expire_offer", (S.OFFERED,), S.EXPIRED, {Role.SYSTEM}, gettext_lazy("Offer expired")),
    ("withdraw", WITHDRAWABLE_STATES, S.WITHDRAWN, {Role.APPLICANT}, gettext_lazy("Withdraw")),
]:
    register(Transition(_name, _sources, _target, frozenset(_roles), _label, with_placements=True))
register(Transition("expire_draft", (S.DRAFT,), S.EXPIRED, frozenset({Role.SYSTEM}), gettext_lazy("Draft expired")))

# What a user is told who may not perform a transition, a whole sentence each.
REFUSALS = {
    "submit": gettext_lazy("You may not submit this application."),
    "start_review": gettext_lazy("You may not start the review of this application."),
    "request_info": gettext_lazy("You may not request information about this application."),
    "answer_info": gettext_lazy("You may not answer for this application."),
    "accept": gettext_lazy("You may not accept this application."),
    "waitlist": gettext_lazy("You may not waitlist this application."),
    "reject": gettext_lazy("You may not reject this application."),
    "offer": gettext_lazy("You may not publish an offer for this application."),
    "confirm": gettext_lazy("You may not accept the offer for this application."),
    "decline": gettext_lazy("You may not decline the offer for this application."),
    "expire_offer": gettext_lazy("Only the portal lets an offer expire."),
    "withdraw": gettext_lazy("You may not withdraw this application."),
    "expire_draft": gettext_lazy("Only the portal lets a draft expire."),
}


def role_of(user, application: Application, *, coordinated: Collection[int] | None = None) -> str | None:
    """The role `user` plays for `application` (None: no role at all; `user=None` is the system).
    `coordinated`: the ids of the programmes `user` coordinates, when the caller has read them
    already (the staff check of a page), so that they are not asked for again."""
    if user is None:
        return Role.SYSTEM
    if user.is_superuser:
        return Role.ADMIN
    if application.applicant_id == user.pk:
        return Role.APPLICANT
    if coordinated is not None:
        return Role.COORDINATOR if application.programme_id in coordinated else None
    if application.programme.coordinators.filter(pk=user.pk).exists():
        return Role.COORDINATOR
    return None


def available(application: Application, role: str | None) -> list[Transition]:
    """The transitions `role` could perform now, guards aside (for showing buttons)."""
    return [t for t in TRANSITIONS.values() if application.status in t.sources and role in t.roles]


def joint_under_way(application_id: int) -> Joint | None:
    """The application transition whose placement side is running now for `application_id`, if any."""
    joint = _joint.get()
    return joint if joint is not None and joint.application_id == application_id else None


def run_effect(effect: Callable[[int, int], None], application_id: int, event_id: int) -> None:
    """Run a side effect after commit; the change itself is saved, so a failure here is only logged
    (for example Redis being away: the event stays without its consequence and is sent again later)."""
    try:
        effect(application_id, event_id)
    except Exception:
        logger.exception("Side effect %s of event %s failed", effect.__name__, event_id)


def _check(spec: Transition, locked: Application, by) -> str:
    """The role `by` plays; raises TransitionNotAllowed when the role, the status or the guard refuses."""
    role = role_of(by, locked)
    if role not in spec.roles:
        refusal = REFUSALS.get(spec.name)
        if refusal is None:
            refusal = _("You may not perform “%(action)s” on this application.") % {"action": spec.label}
        raise TransitionNotAllowed(str(refusal))
    if locked.status not in spec.sources:
        message = _("“%(action)s” is not possible while the application is %(status)s.")
        raise TransitionNotAllowed(message % {"action": spec.label, "status": locked.get_status_display().lower()})
    if spec.guard:
        problems = spec.guard(locked)
        if problems:
            raise TransitionNotAllowed(" ".join(problem.message for problem in problems))
    return role


def _run_placement_side(spec: Transition, locked: Application, placements: Callable[[Application], object]) -> None:
    joint = Joint(application_id=locked.pk, name=spec.name)
    token = _joint.set(joint)
    try:
        placements(locked)
    finally:
        _joint.reset(token)
    if not joint.placements_done:
        message = _("“%(action)s” changes the placements too, and they were not changed.")
        raise PlacementSideMissing(message % {"action": spec.label})


def transition(
    *,
    application: Application,
    name: str,
    by,
    message: str = "",
    internal: bool = False,
    placements: Callable[[Application], object] | None = None,
) -> Event:
    """Perform transition `name` on `application` as user `by` (None: the system).

    `placements`, the placement side, is required by the transitions declared `with_placements` and
    refused by the others; it is called with the locked application once the checks have passed.
    """
    spec = TRANSITIONS[name]
    if spec.with_placements and placements is None:
        message = _("“%(action)s” changes the placements too; it goes through their service.")
        raise PlacementSideMissing(message % {"action": spec.label})
    if placements is not None and not spec.with_placements:
        raise TypeError(f"Transition {name} changes no placements.")
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
        role = _check(spec, locked, by)
        if placements is not None:
            _run_placement_side(spec, locked, placements)
        source = locked.status
        locked.status = spec.target
        fields = ["status", "updated_at"]
        now = timezone.now()
        if spec.decision:
            locked.decided_at = now
            fields.append("decided_at")
        if name == "submit":
            locked.submitted_at = now
            fields.append("submitted_at")
        locked.save(update_fields=fields)
        event = Event.objects.create(
            application=locked,
            actor=by,
            kind=EventKind.STATUS_CHANGED,
            from_status=source,
            to_status=spec.target,
            message=message,
            internal=internal,
        )
        for effect in spec.effects:
            transaction.on_commit(lambda effect=effect: run_effect(effect, locked.pk, event.pk))
    application.refresh_from_db()
    logger.info("Application %s: %s -> %s by %s", locked.pk, source, spec.target, role)
    return event
