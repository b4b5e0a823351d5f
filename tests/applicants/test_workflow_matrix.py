"""The state machine as a matrix generated from `workflow.TRANSITIONS` itself: every transition, by
every kind of actor, from each of its source states and from one state it does not start from.
A transition added to the table is covered here without a new test. The transitions that change the
placements too are performed with a placement side that stands in for the allocation layer's (the
placement state machine has its own matrix in tests/placements/test_placement_workflow.py); without
one they are refused.

Personas:
- owner: the applicant whose application it is.
- stranger: another applicant; no role on it at all.
- coordinator: coordinates the application's programme.
- outsider: coordinates another programme only; no role on it.
- admin: a superuser.
- system: no user (`by=None`), as tasks act.
"""

import pytest
from django.utils import timezone

from applicants import workflow
from applicants.enums import ApplicationStatus, DocumentState, EventKind
from applicants.errors import PlacementSideMissing, TransitionNotAllowed
from applicants.models import Application, Document, Event
from applicants.workflow import TRANSITIONS, Role
from portal.models import User
from tests.applicants.builders import complete_draft, make_applicant
from tests.factories import ProgrammeFactory, make_staff

pytestmark = pytest.mark.django_db
S = ApplicationStatus
PERSONAS = ("owner", "stranger", "coordinator", "outsider", "admin", "system")
ROLE_OF_PERSONA = {
    "owner": Role.APPLICANT,
    "stranger": None,
    "coordinator": Role.COORDINATOR,
    "outsider": None,
    "admin": Role.ADMIN,
    "system": Role.SYSTEM,
}


def _refused_source(spec) -> str:
    """The first status (in the enum's order) that the transition does not start from."""
    return next(status for status in S.values if status not in spec.sources)


CASES = [
    pytest.param(name, source, persona, id=f"{name}-from-{source}-by-{persona}")
    for name, spec in TRANSITIONS.items()
    for source in (*spec.sources, _refused_source(spec))
    for persona in PERSONAS
]


def make_people(programme, other_programme) -> dict[str, User | None]:
    coordinator = make_applicant("coordinator@example.org", profile=False)
    programme.coordinators.add(coordinator)
    outsider = make_applicant("outsider@example.org", profile=False)
    other_programme.coordinators.add(outsider)
    return {
        "owner": make_applicant("owner@example.org"),
        "stranger": make_applicant("stranger@example.org"),
        "coordinator": coordinator,
        "outsider": outsider,
        "admin": make_staff("admin", superuser=True),
        "system": None,
    }


@pytest.fixture
def people(catalogue) -> dict[str, User | None]:
    return make_people(catalogue["rotation"], catalogue["cohort"])


def application_in(status: str, *, programme, owner) -> Application:
    """The owner's application arranged directly in `status` (the guard of submission needs
    `complete_draft` instead; no other transition has a guard)."""
    today = timezone.localdate()
    return Application.objects.create(
        applicant=owner,
        programme=programme,
        status=status,
        reference=None if status == S.DRAFT else f"{programme.reference_prefix}-2027-0001",
        start_date=today,
        end_date=today,
    )


def placement_side(calls: list):
    """A placement side that records when it runs (with the joint under way) and marks its joint done."""

    def side(locked: Application) -> None:
        joint = workflow.joint_under_way(locked.pk)
        calls.append((locked.pk, joint.name, Application.objects.values_list("status", flat=True).get(pk=locked.pk)))
        joint.placements_done = True

    return side


@pytest.mark.parametrize(("name", "source", "persona"), CASES)
def test_transition_by_role_from_state(request, name, source, persona):
    spec = TRANSITIONS[name]
    if spec.guard is not None and source in spec.sources:
        # A draft that passes the guard, so that only the role decides (the guard is tested below).
        assert source == S.DRAFT, f"{name}: add a builder for an application in {source} that passes the guard"
        catalogue = request.getfixturevalue("catalogue")
        people = make_people(catalogue["rotation"], catalogue["cohort"])
        application = complete_draft(catalogue["rotation"], people["owner"])
    else:
        people = make_people(ProgrammeFactory(), ProgrammeFactory())
        programme = people["coordinator"].coordinated_programmes.get()
        application = application_in(source, programme=programme, owner=people["owner"])
    actor = people[persona]
    assert workflow.role_of(actor, application) == ROLE_OF_PERSONA[persona]
    allowed = source in spec.sources and ROLE_OF_PERSONA[persona] in spec.roles
    # The buttons on the pages come from `available`: it agrees with what the transition does.
    assert (spec in workflow.available(application, ROLE_OF_PERSONA[persona])) is allowed
    before = Application.objects.values().get(pk=application.pk)
    events_before = set(Event.objects.filter(application=application).values_list("pk", flat=True))
    calls = []
    side = {"placements": placement_side(calls)} if spec.with_placements else {}

    if allowed:
        event = workflow.transition(application=application, name=name, by=actor, message=f"Matrix: {name}", **side)

        application.refresh_from_db()
        assert application.status == spec.target
        new_events = Event.objects.filter(application=application).exclude(pk__in=events_before)
        assert list(new_events) == [event]
        assert (event.kind, event.actor, event.from_status, event.to_status, event.message) == (
            EventKind.STATUS_CHANGED,
            actor,
            source,
            spec.target,
            f"Matrix: {name}",
        )
        assert (application.decided_at is not None) is spec.decision
        assert (application.submitted_at is not None) is (name == "submit")
        # The placement side ran once, after the checks and before the new status was saved.
        assert calls == ([(application.pk, name, source)] if spec.with_placements else [])
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            workflow.transition(application=application, name=name, by=actor, message=f"Matrix: {name}", **side)

        assert not isinstance(refused.value, PlacementSideMissing)
        assert Application.objects.values().get(pk=application.pk) == before
        assert set(Event.objects.filter(application=application).values_list("pk", flat=True)) == events_before
        assert calls == []


def test_matrix_covers_every_transition_and_role():
    covered = {(case.values[0], case.values[2]) for case in CASES}
    assert covered == {(name, persona) for name in TRANSITIONS for persona in PERSONAS}


# --- transitions that change the placements too -----------------------------------------------------

WITH_PLACEMENTS = [
    pytest.param(name, source, persona, id=f"{name}-from-{source}-by-{persona}")
    for name, spec in TRANSITIONS.items()
    if spec.with_placements
    for source in spec.sources
    for persona in PERSONAS
    if ROLE_OF_PERSONA[persona] in spec.roles
]


def test_the_transitions_that_change_placements_are_declared():
    declared = {name for name, spec in TRANSITIONS.items() if spec.with_placements}

    assert declared == {"offer", "confirm", "decline", "expire_offer", "withdraw"}


def _arranged(source: str):
    people = make_people(ProgrammeFactory(), ProgrammeFactory())
    programme = people["coordinator"].coordinated_programmes.get()
    return people, application_in(source, programme=programme, owner=people["owner"])


@pytest.mark.parametrize(("name", "source", "persona"), WITH_PLACEMENTS)
def test_without_its_placement_side_a_transition_that_changes_placements_is_refused(name, source, persona):
    people, application = _arranged(source)
    before = Application.objects.values().get(pk=application.pk)

    with pytest.raises(PlacementSideMissing):
        workflow.transition(application=application, name=name, by=people[persona])

    assert Application.objects.values().get(pk=application.pk) == before
    assert not Event.objects.filter(application=application).exists()


@pytest.mark.parametrize(("name", "source", "persona"), WITH_PLACEMENTS)
def test_a_placement_side_that_changes_no_placement_is_refused(name, source, persona):
    people, application = _arranged(source)
    before = Application.objects.values().get(pk=application.pk)

    with pytest.raises(PlacementSideMissing):
        workflow.transition(application=application, name=name, by=people[persona], placements=lambda locked: None)

    assert Application.objects.values().get(pk=application.pk) == before
    assert not Event.objects.filter(application=application).exists()


def test_a_refusal_of_the_placement_side_changes_nothing():
    people, application = _arranged(S.OFFERED)

    def refusing(locked):
        workflow.joint_under_way(locked.pk).placements_done = True
        raise TransitionNotAllowed("The offer lapsed.")

    with pytest.raises(TransitionNotAllowed, match="The offer lapsed"):
        workflow.transition(application=application, name="confirm", by=people["owner"], placements=refusing)

    application.refresh_from_db()
    assert application.status == S.OFFERED
    assert not Event.objects.filter(application=application).exists()


def test_no_joint_is_under_way_outside_a_placement_side():
    people, application = _arranged(S.OFFERED)
    seen = []

    def side(locked):
        seen.append(workflow.joint_under_way(locked.pk + 1))  # another application's placements are no part of it
        placement_side([])(locked)

    workflow.transition(application=application, name="confirm", by=people["owner"], placements=side)

    assert seen == [None]
    assert workflow.joint_under_way(application.pk) is None


def test_a_transition_that_changes_no_placements_takes_no_placement_side():
    people, application = _arranged(S.SUBMITTED)

    with pytest.raises(TypeError):
        workflow.transition(application=application, name="start_review", by=people["coordinator"], placements=print)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED


# --- the guard of submission ------------------------------------------------------------------------


def test_submit_passes_the_guard_with_a_complete_draft(catalogue, people):
    application = complete_draft(catalogue["rotation"], people["owner"])

    workflow.transition(application=application, name="submit", by=people["owner"])

    assert application.status == S.SUBMITTED


def _without_consent(application):
    application.consent_given_at = None
    application.save(update_fields=["consent_given_at"])


def _without_a_document(application):
    Document.objects.filter(application=application, document_type__code="cv").delete()


def _with_a_document_being_checked(application):
    Document.objects.filter(application=application, document_type__code="cv").update(state=DocumentState.PENDING)


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (_without_consent, "Give your consent to the processing of your data."),
        (_without_a_document, "Upload your curriculum vitae."),
        (_with_a_document_being_checked, "Your curriculum vitae is still being checked."),
    ],
    ids=["no-consent", "missing-document", "document-being-checked"],
)
def test_submit_refuses_an_incomplete_draft_and_changes_nothing(catalogue, people, spoil, problem):
    application = complete_draft(catalogue["rotation"], people["owner"])
    spoil(application)
    events_before = list(Event.objects.filter(application=application))

    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.transition(application=application, name="submit", by=people["owner"])

    assert problem in str(refused.value)
    application.refresh_from_db()
    assert (application.status, application.submitted_at) == (S.DRAFT, None)
    assert list(Event.objects.filter(application=application)) == events_before


def test_submit_refuses_an_unverified_e_mail_address(catalogue):
    owner = make_applicant("unverified@example.org", verified=False)
    application = complete_draft(catalogue["rotation"], owner)

    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.transition(application=application, name="submit", by=owner)

    assert "Confirm your e-mail address first" in str(refused.value)
    application.refresh_from_db()
    assert application.status == S.DRAFT
