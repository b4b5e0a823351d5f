"""Who may do what with placements, offers and withdrawal (placements.allocation.rules), for every
application state and every role, stated here as a table independent of the code.

Personas (as in tests/applicants/test_workflow_matrix.py):
- owner: the applicant; answers an offer, withdraws, sees the schedule and the confirmation.
- stranger: another applicant; may do nothing.
- coordinator: coordinates the programme; lays out placements, publishes offers, sees everything.
- outsider: coordinates another programme only; may do nothing.
- admin: a superuser; as a coordinator.
- system: no user; publishes offers (the planner's proposals), nothing on the pages.
"""

import pytest

from applicants import workflow
from applicants.enums import ApplicationStatus
from placements.allocation import rules
from tests.applicants.test_workflow_matrix import PERSONAS, ROLE_OF_PERSONA, application_in, make_people
from tests.factories import ProgrammeFactory

S = ApplicationStatus
Role = workflow.Role
ROLES = (Role.APPLICANT, Role.COORDINATOR, Role.ADMIN, Role.SYSTEM, None)
STAFF = (Role.COORDINATOR, Role.ADMIN)
OPEN = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.ACCEPTED, S.WAITLISTED, S.OFFERED, S.CONFIRMED)

# (status, role) pairs each rule allows; every other pair is refused.
EXPECTED = {
    "accept_offer": {(S.OFFERED, Role.APPLICANT)},
    "decline_offer": {(S.OFFERED, Role.APPLICANT)},
    "withdraw": {(status, Role.APPLICANT) for status in OPEN},
    "publish_offer": {(status, role) for status in (S.ACCEPTED, S.OFFERED) for role in (*STAFF, Role.SYSTEM)},
    "propose_placements": {(status, role) for status in (S.ACCEPTED, S.WAITLISTED) for role in STAFF},
    "assign_placements": {(status, role) for status in (S.ACCEPTED, S.WAITLISTED, S.OFFERED) for role in STAFF},
    "see_placements_panel": {
        (status, role) for status in (S.ACCEPTED, S.WAITLISTED, S.OFFERED, S.CONFIRMED) for role in STAFF
    },
    "see_schedule": {(status, role) for status in (S.OFFERED, S.CONFIRMED) for role in (Role.APPLICANT, *STAFF)},
    "download_confirmation": {(S.CONFIRMED, role) for role in (Role.APPLICANT, *STAFF)},
}
PREDICATES = {
    "accept_offer": rules.can_accept_offer,
    "decline_offer": rules.can_decline_offer,
    "withdraw": rules.can_withdraw,
    "publish_offer": rules.can_publish_offer,
    "propose_placements": rules.can_propose_placements,
    "assign_placements": rules.can_assign_placements,
    "see_placements_panel": rules.can_see_placements_panel,
    "see_schedule": rules.can_see_schedule,
    "download_confirmation": rules.can_download_confirmation,
}


def test_every_rule_is_in_the_table_and_has_its_predicate():
    assert set(rules.RULES) == set(EXPECTED) == set(PREDICATES)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_for_every_state_and_role(rule):
    wrong = [
        (status, role)
        for status in S.values
        for role in ROLES
        if rules.allowed(rule, role, status) != ((status, role) in EXPECTED[rule])
    ]

    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", S.values)
def test_predicates_for_every_persona_in_each_state(status):
    people = make_people(ProgrammeFactory(), ProgrammeFactory())
    programme = people["coordinator"].coordinated_programmes.get()
    application = application_in(status, programme=programme, owner=people["owner"])

    for persona in PERSONAS:
        expected = {rule: (status, ROLE_OF_PERSONA[persona]) in allowed for rule, allowed in EXPECTED.items()}
        given = {rule: predicate(people[persona], application) for rule, predicate in PREDICATES.items()}
        assert given == expected, persona
        assert rules.rights(people[persona], application) == expected, persona


@pytest.mark.parametrize(
    ("rule", "transition"),
    [("accept_offer", "confirm"), ("decline_offer", "decline"), ("withdraw", "withdraw"), ("publish_offer", "offer")],
)
def test_the_rules_for_actions_agree_with_the_state_machine(rule, transition):
    spec = workflow.TRANSITIONS[transition]
    for status in S.values:
        for role in ROLES:
            assert rules.allowed(rule, role, status) is (status in spec.sources and role in spec.roles)
