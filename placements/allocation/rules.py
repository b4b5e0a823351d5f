"""Who may do what with an application's placements, offers and withdrawal: plain predicates of the
role a user plays for the application (`applicants.workflow.role_of`) and the application's state.

The views check them before acting, and the pages show buttons from them (the template tags and
views pass the booleans); the lifecycle services check the same again in the state machines.
"""

from collections.abc import Callable

from applicants import workflow
from applicants.enums import ALLOCATION_STATES, ASSIGNABLE_STATES, PLACED_STATES, WAITING_STATES, ApplicationStatus
from applicants.models import Application

Role = workflow.Role
S = ApplicationStatus
# Those who see an application's placements: its applicant and its programme's staff.
INVOLVED = frozenset({Role.APPLICANT, *workflow.STAFF})


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


def rights(user, application: Application) -> dict[str, bool]:
    """Every rule for `user` and `application` at once (one role lookup), e.g. for a page's buttons."""
    role = workflow.role_of(user, application)
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
