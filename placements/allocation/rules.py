"""Who may do what with an application's placements, offers and withdrawal: plain predicates of the
role a user plays for the application (`applicants.workflow.role_of`) and the application's state.

The views check them before acting, and the pages show buttons from them (the template tags and
views pass the booleans); the lifecycle services check the same again in the state machines.
"""

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from applicants import workflow
from applicants.enums import ALLOCATION_STATES, ASSIGNABLE_STATES, PLACED_STATES, WAITING_STATES, ApplicationStatus
from applicants.models import Application, ApplicationComponent
from placements.allocation.models import Placement, monday_of
from placements.catalogue.enums import IntakeMode

Role = workflow.Role
S = ApplicationStatus
# Those who see an application's placements: its applicant and its programme's staff.
INVOLVED = frozenset({Role.APPLICANT, *workflow.STAFF})

# How a proposal departs from what the applicant asked for ("" when it does not).
NOT_FIRST_CHOICE = _("Not the first choice")  # a cohort applicant's lower preference: still asked for
NOT_AS_REQUESTED = _("Not as requested")  # other departments or sections, other weeks, or other lengths


def _by_transition(name: str) -> Callable[[str | None, str], bool]:
    """The rule that `role` may perform application transition `name` from `status`."""
    spec = workflow.TRANSITIONS[name]
    return lambda role, status: role in spec.roles and status in spec.sources


# Each rule: (role, application status) -> allowed.
RULES: dict[str, Callable[[str | None, str], bool]] = {
    "accept_offer": _by_transition("confirm"),
    "decline_offer": _by_transition("decline"),
    "withdraw": _by_transition("withdraw"),
    "publish_offer": _by_transition("offer"),
    "propose_placements": lambda role, status: role in workflow.STAFF and status in WAITING_STATES,
    "assign_placements": lambda role, status: role in workflow.STAFF and status in ASSIGNABLE_STATES,
    "see_placements_panel": lambda role, status: role in workflow.STAFF and status in ALLOCATION_STATES,
    "see_schedule": lambda role, status: role in INVOLVED and status in PLACED_STATES,
    "download_confirmation": lambda role, status: role in INVOLVED and status == S.CONFIRMED,
}


def allowed(rule: str, role: str | None, status: str) -> bool:
    return RULES[rule](role, status)


def rights(user, application: Application, *, coordinated: Collection[int] | None = None) -> dict[str, bool]:
    """Every rule for `user` and `application` at once (one role lookup), e.g. for a page's buttons;
    `coordinated` as in `workflow.role_of`."""
    role = workflow.role_of(user, application, coordinated=coordinated)
    return {rule: check(role, application.status) for rule, check in RULES.items()}


def _can(rule: str, user, application: Application) -> bool:
    return allowed(rule, workflow.role_of(user, application), application.status)


def can_accept_offer(user, application: Application) -> bool:
    return _can("accept_offer", user, application)


def can_decline_offer(user, application: Application) -> bool:
    return _can("decline_offer", user, application)


def can_withdraw(user, application: Application) -> bool:
    return _can("withdraw", user, application)


def can_publish_offer(user, application: Application) -> bool:
    """Staff publish (or replace) an offer for an accepted or offered application."""
    return _can("publish_offer", user, application)


def can_propose_placements(user, application: Application) -> bool:
    """Staff save a proposal, and see the freed seats suggested, for an application waiting for a seat."""
    return _can("propose_placements", user, application)


def can_assign_placements(user, application: Application) -> bool:
    return _can("assign_placements", user, application)


def can_see_placements_panel(user, application: Application) -> bool:
    return _can("see_placements_panel", user, application)


def can_see_schedule(user, application: Application) -> bool:
    return _can("see_schedule", user, application)


def can_download_confirmation(user, application: Application) -> bool:
    return _can("download_confirmation", user, application)


# --- proposals that differ from the request ------------------------------------------------------


def _requested_weeks(application: Application) -> set[date]:
    if not application.start_date or not application.end_date or application.end_date < application.start_date:
        return set()
    first, last = monday_of(application.start_date), monday_of(application.end_date)
    return {first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)}


def proposal_departure(
    application: Application, placements: Iterable[Placement], requested: Iterable[ApplicationComponent]
) -> str:
    """How `placements` differ from what `application` asked for in `requested` (its components, with
    their offerings loaded): "", NOT_FIRST_CHOICE, or NOT_AS_REQUESTED.

    A cohort applicant's components are alternatives in order of preference: one of them for the
    whole requested period is as asked. A rotation's components are all wanted: every department
    for exactly its weeks, covering exactly the requested weeks.
    """
    placements, requested = list(placements), list(requested)
    if not placements:
        return ""
    covered = [week for placement in placements for week in placement.week_list()]
    wanted = _requested_weeks(application)
    if wanted and (len(covered) != len(set(covered)) or set(covered) != wanted):
        return NOT_AS_REQUESTED
    if application.programme.intake_mode == IntakeMode.COHORT:
        ranks = [c.rank for c in requested if c.offering.department_id == placements[0].department_id]
        if len({p.department_id for p in placements}) != 1 or not ranks:
            return NOT_AS_REQUESTED
        return "" if min(ranks) == min(c.rank for c in requested) else NOT_FIRST_CHOICE
    given, asked = Counter(), Counter()
    for placement in placements:
        given[placement.department_id] += placement.weeks
    for component in requested:
        asked[component.offering.department_id] += component.weeks
    return "" if given == asked else NOT_AS_REQUESTED


def publishes_with_all(departure: str) -> bool:
    """Whether a proposal goes out with "Publish all offers"; one that differs from the request waits
    for its own confirmation by a coordinator."""
    return departure != NOT_AS_REQUESTED
