"""The placement state machine: every status change of a placement is declared here and goes through
`transition` (rows of one application), `transition_many` (rows of many applications, as re-planning
changes them) or `create` (new rows, proposed or offered).

Each transition names its source states (NEW for a row being created), its target, who may perform
it and an optional guard. One that belongs with a transition of the application (accepting an offer
confirms the application) names it as `joint`: it runs only as that application transition's
placement side (`applicants.workflow.joint_under_way`), and that application transition runs only
with it, so an application and its placements never change apart. Every call locks the rows, checks
all of that, saves, records one Event per application on its timeline and queues the transition's
side effects after the surrounding transaction commits.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants import workflow
from applicants.enums import WAITING_STATES, EventKind
from applicants.errors import TransitionNotAllowed
from applicants.models import Application, Event
from placements.allocation.dates import human_deadline, weeks_in_words
from placements.allocation.enums import OPEN_STATES, RUNNING_STATES, PlacementStatus
from placements.allocation.models import Placement
from placements.catalogue.models import Department

logger = logging.getLogger(__name__)
P = PlacementStatus
Role = workflow.Role
NEW = "new"  # the state of a placement not saved yet
STAFF_OR_SYSTEM = workflow.STAFF | {Role.SYSTEM}
APPLICANT = frozenset({Role.APPLICANT})
# A supervisor of the placement's host department (the layer above tells who is one: `register_role`).
HOST = "host"
STAFF_HOST_OR_SYSTEM = STAFF_OR_SYSTEM | {HOST}
Guard = Callable[[Application, list[Placement], datetime], list[str]]
# Answers whether a user plays a role (e.g. HOST) for all of these rows; registered in AppConfig.ready().
RoleOfRows = Callable[[object, list[Placement]], str | None]
_row_roles: list[RoleOfRows] = []


@dataclass(frozen=True)
class PlacementTransition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: str
    # Guard: the problems, in plain words, that refuse moving these rows of the application now.
    guard: Guard | None = None
    # Side effects, called after commit with the application id and the event id.
    effects: tuple[Callable[[int, int], None], ...] = field(default_factory=tuple)
    # The application transition this one belongs with; it runs only as that one's placement side.
    joint: str | None = None
    # The event is for the staff only (a proposal is the coordinators' draft).
    internal: bool = False


def proposal_problems(application: Application, rows: list[Placement], now: datetime) -> list[str]:
    if application.status in WAITING_STATES:
        return []
    return [_("A proposal can only be saved for an accepted or waitlisted application.")]


def answer_problems(application: Application, rows: list[Placement], now: datetime) -> list[str]:
    lapsed = sorted(p.offer_deadline for p in rows if p.offer_deadline and p.offer_deadline < now)
    if not lapsed:
        return []
    return [_("The offer lapsed on %(date)s; it can no longer be accepted.") % {"date": human_deadline(lapsed[0])}]


def started_problems(application: Application, rows: list[Placement], now: datetime) -> list[str]:
    today = timezone.localdate(now)
    if any(p.start_week > today for p in rows):
        return [_("The placement has not started yet.")]
    return []


def ended_problems(application: Application, rows: list[Placement], now: datetime) -> list[str]:
    today = timezone.localdate(now)
    if any(p.end_date > today for p in rows):
        return [_("The placement can be completed from its last day.")]
    return []


def lapse_problems(application: Application, rows: list[Placement], now: datetime) -> list[str]:
    if any(p.offer_deadline and p.offer_deadline < now for p in rows):
        return []
    return [_("The offer has not reached its deadline.")]


TRANSITIONS: dict[str, PlacementTransition] = {}


def register(spec: PlacementTransition) -> PlacementTransition:
    TRANSITIONS[spec.name] = spec
    return spec


# A proposal (the coordinators' draft) is offered, or replaced by another; an offer is accepted,
# declined or lapses, or a new offer replaces it; withdrawing cancels whatever is not over yet.
register(
    PlacementTransition(
        "propose", (NEW,), P.PROPOSED, STAFF_OR_SYSTEM, gettext_lazy("Proposed"), guard=proposal_problems, internal=True
    )
)
register(
    PlacementTransition(
        "discard", (P.PROPOSED,), P.CANCELLED, STAFF_OR_SYSTEM, gettext_lazy("Proposal replaced"), internal=True
    )
)
register(
    PlacementTransition("offer", (NEW, P.PROPOSED), P.OFFERED, STAFF_OR_SYSTEM, gettext_lazy("Offered"), joint="offer")
)
register(
    PlacementTransition(
        "replace",
        (P.OFFERED, P.CONFIRMED),
        P.CANCELLED,
        STAFF_OR_SYSTEM,
        gettext_lazy("Replaced by a new offer"),
        joint="offer",
    )
)
register(
    PlacementTransition(
        "accept", (P.OFFERED,), P.CONFIRMED, APPLICANT, gettext_lazy("Accepted"), guard=answer_problems, joint="confirm"
    )
)
register(PlacementTransition("decline", (P.OFFERED,), P.DECLINED, APPLICANT, gettext_lazy("Declined"), joint="decline"))
register(
    PlacementTransition(
        "lapse",
        (P.OFFERED,),
        P.EXPIRED,
        frozenset({Role.SYSTEM}),
        gettext_lazy("Offer lapsed"),
        guard=lapse_problems,
        joint="expire_offer",
    )
)
register(
    PlacementTransition(
        "release",
        OPEN_STATES,
        P.CANCELLED,
        APPLICANT,
        gettext_lazy("Cancelled, the application was withdrawn"),
        joint="withdraw",
    )
)

# The placement's own life once accepted: it starts on its first day, ends after its last day (or a
# supervisor marks it completed then), or stops early with a reason.
register(
    PlacementTransition(
        "start",
        (P.CONFIRMED,),
        P.IN_PROGRESS,
        frozenset({Role.SYSTEM}),
        gettext_lazy("Started"),
        guard=started_problems,
    )
)
register(
    PlacementTransition(
        "complete",
        (P.IN_PROGRESS,),
        P.COMPLETED,
        frozenset({Role.SYSTEM, HOST}),
        gettext_lazy("Completed"),
        guard=ended_problems,
    )
)
register(
    PlacementTransition("interrupt", RUNNING_STATES, P.INTERRUPTED, STAFF_HOST_OR_SYSTEM, gettext_lazy("Interrupted"))
)


def register_role(role_of_rows: RoleOfRows) -> None:
    """Let a layer above say who else acts on placements (a host department's supervisors)."""
    if role_of_rows not in _row_roles:
        _row_roles.append(role_of_rows)


def _role(by, application: Application, rows: list[Placement], allowed: frozenset[str]) -> str | None:
    role = workflow.role_of(by, application)
    if role in allowed or by is None:
        return role
    for role_of_rows in _row_roles:
        other = role_of_rows(by, rows)
        if other in allowed:
            return other
    return role


def state_of(placement: Placement) -> str:
    return NEW if placement.pk is None else placement.status


def _state_words(state: str) -> str:
    return _("not saved yet") if state == NEW else P(state).label.lower()


def _check(spec: PlacementTransition, application: Application, rows: list[Placement], by, now: datetime) -> None:
    if spec.joint:
        joint = workflow.joint_under_way(application.pk)
        if joint is None or joint.name != spec.joint:
            label = workflow.TRANSITIONS[spec.joint].label
            message = _("“%(action)s” happens only together with the application's “%(joint)s”.")
            raise TransitionNotAllowed(message % {"action": spec.label, "joint": label})
    if _role(by, application, rows, spec.roles) not in spec.roles:
        raise TransitionNotAllowed(_("You may not change these placements (“%(action)s”).") % {"action": spec.label})
    for row in rows:
        if state_of(row) not in spec.sources:
            message = _("“%(action)s” is not possible for a placement that is %(state)s.")
            raise TransitionNotAllowed(message % {"action": spec.label, "state": _state_words(state_of(row))})
    problems = spec.guard(application, rows, now) if spec.guard else []
    if problems:
        raise TransitionNotAllowed(" ".join(problems))


def _write(spec: PlacementTransition, rows: list[Placement], now: datetime, offer_deadline, reason: str) -> None:
    values = {"status": spec.target, "updated_at": now}
    if spec.target == P.INTERRUPTED:
        values["interruption_reason"] = reason
    if spec.target == P.OFFERED:
        values["offer_deadline"] = offer_deadline
    new = [row for row in rows if row.pk is None]
    saved = [row.pk for row in rows if row.pk is not None]
    if saved:
        Placement.objects.filter(pk__in=saved).update(**values)
    for row in rows:
        for name, value in values.items():
            setattr(row, name, value)
    for row in new:
        row.end_week = row.week_list()[-1]
    Placement.objects.bulk_create(new)


def _message(spec: PlacementTransition, rows: list[Placement], names: dict[int, str], message: str) -> str:
    rows = sorted(rows, key=lambda p: (p.start_week, p.pk or 0))
    listed = "; ".join(f"{names[p.department_id]}, {weeks_in_words(p.start_week, p.weeks)}" for p in rows)
    summary = _("%(action)s: %(placements)s.") % {"action": spec.label, "placements": listed}
    return f"{summary} {message}" if message else summary


def _department_labels(ids: set[int]) -> dict[int, str]:
    return {d.pk: d.label for d in Department.objects.filter(pk__in=ids).select_related("institution")}


def _apply(spec: PlacementTransition, groups: dict, *, by, message: str = "", offer_deadline=None) -> list[Event]:
    """Check every application's rows, then change them all and record one event per application."""
    if spec.target == P.OFFERED and offer_deadline is None:
        raise TypeError("An offer needs its answer deadline.")
    if spec.target == P.INTERRUPTED and not message.strip():
        raise TransitionNotAllowed(_("Say why the placement is interrupted."))
    now = timezone.now()
    for application, rows in groups.items():
        _check(spec, application, rows, by, now)
    rows = [row for group in groups.values() for row in group]
    proposals_only = {a.pk: all(state_of(r) in (NEW, P.PROPOSED) for r in group) for a, group in groups.items()}
    _write(spec, rows, now, offer_deadline, message.strip())
    names = _department_labels({r.department_id for r in rows})
    events = Event.objects.bulk_create(
        Event(
            application=application,
            actor=by,
            kind=EventKind.PLACEMENT_CHANGED,
            message=_message(spec, group, names, message),
            internal=spec.internal or proposals_only[application.pk],
        )
        for application, group in groups.items()
        if group
    )
    for application in groups:
        if spec.joint:
            workflow.joint_under_way(application.pk).placements_done = True
    for event in events:
        for effect in spec.effects:
            transaction.on_commit(lambda e=effect, ev=event: workflow.run_effect(e, ev.application_id, ev.pk))
    logger.info("Placements: %s of %s row(s) in %s application(s)", spec.name, len(rows), len(groups))
    return events


def _locked(placements: QuerySet) -> list[Placement]:
    return list(placements.select_for_update(of=("self",)).order_by("pk"))


def transition(
    *, application: Application, placements: list[Placement], name: str, by, message: str = "", offer_deadline=None
) -> Event | None:
    """Move `placements`, rows of `application`, along transition `name` as user `by` (None: the system).

    Refuses (TransitionNotAllowed, nothing changed) a role, a row's state or a guard that does not
    allow it, or a joint transition outside its application transition. Returns the event (None for
    no rows: a joint transition then still counts as done, e.g. withdrawing without placements).
    """
    spec = TRANSITIONS[name]
    ids = {p.pk for p in placements}
    with transaction.atomic():
        rows = _locked(Placement.objects.filter(application_id=application.pk, pk__in=ids))
        if len(rows) != len(ids):
            raise TransitionNotAllowed(_("These placements are not this application's."))
        events = _apply(spec, {application: rows}, by=by, message=message, offer_deadline=offer_deadline)
    changed = {row.pk: row for row in rows}
    for placement in placements:
        placement.status, placement.offer_deadline = changed[placement.pk].status, changed[placement.pk].offer_deadline
    return events[0] if events else None


def _by_application(rows: list[Placement]) -> dict[Application, list[Placement]]:
    applications = Application.objects.select_related("programme").in_bulk({r.application_id for r in rows})
    groups = defaultdict(list)
    for row in rows:
        groups[applications[row.application_id]].append(row)
    return groups


def transition_many(*, placements: QuerySet, name: str, by, message: str = "") -> list[Event]:
    """Move every row of `placements` along transition `name`, with the same checks application by
    application (one refusal refuses all); a row that left the filter while waiting for its lock is
    left out. One event per application."""
    spec = TRANSITIONS[name]
    with transaction.atomic():
        return _apply(spec, _by_application(_locked(placements)), by=by, message=message)


def create(*, placements: list[Placement], name: str, by, message: str = "", offer_deadline=None) -> list[Placement]:
    """Save the new rows `placements` (of one application or many) in the target state of transition
    `name`, one that starts from NEW, after the same checks. One event per application."""
    spec = TRANSITIONS[name]
    with transaction.atomic():
        _apply(spec, _by_application(placements), by=by, message=message, offer_deadline=offer_deadline)
    return placements
