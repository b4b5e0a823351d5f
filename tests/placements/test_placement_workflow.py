"""The placement state machine as a matrix generated from `placements.allocation.workflow.TRANSITIONS`:
every transition, by every kind of actor, from each of its source states (NEW: a row being created)
and from one state it does not start from. A joint transition is performed as the placement side of
its application transition, as the lifecycle services do; outside it, it is refused.

Personas (as in tests/applicants/test_workflow_matrix.py):
- owner: the applicant whose application it is; answers the offer, withdraws.
- stranger: another applicant; no role at all.
- coordinator: coordinates the application's programme; proposes and offers.
- outsider: coordinates another programme only; no role on it.
- admin: a superuser.
- system: no user (`by=None`): the planner's save and the beat task that lets offers lapse.
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from applicants import workflow
from applicants.enums import ApplicationStatus, EventKind
from applicants.errors import TransitionNotAllowed
from applicants.models import Application, Event
from placements.allocation import workflow as placement_workflow
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.allocation.workflow import NEW, TRANSITIONS
from tests.applicants.builders import make_applicant
from tests.applicants.test_workflow_matrix import PERSONAS, ROLE_OF_PERSONA, application_in, make_people
from tests.factories import DepartmentFactory, ProgrammeFactory, make_staff
from tests.placements.helpers import weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus
STATES = (NEW, *P.values)


def _refused_source(spec) -> str:
    """The first state (NEW, then the enum's order) that the transition does not start from."""
    return next(state for state in STATES if state not in spec.sources)


CASES = [
    pytest.param(name, source, persona, id=f"{name}-from-{source}-by-{persona}")
    for name, spec in TRANSITIONS.items()
    for source in (*spec.sources, _refused_source(spec))
    for persona in PERSONAS
]


def application_status_for(spec) -> str:
    """A status the application may leave along with `spec`: accepted (waiting for a seat, or to be
    offered) unless its joint application transition starts elsewhere."""
    if spec.joint is None:
        return S.ACCEPTED
    sources = workflow.TRANSITIONS[spec.joint].sources
    return S.ACCEPTED if S.ACCEPTED in sources else sources[0]


def arranged_deadline(spec):
    """The deadline of an arranged offered row that passes the transition's guard."""
    return timezone.now() - timedelta(hours=1) if spec.name == "lapse" else timezone.now() + timedelta(days=7)


def arrange(spec, source: str):
    people = make_people(ProgrammeFactory(), ProgrammeFactory())
    programme = people["coordinator"].coordinated_programmes.get()
    application = application_in(application_status_for(spec), programme=programme, owner=people["owner"])
    department = DepartmentFactory(name="Thoracic radiology")
    # A placement starts on its first day and is completed after its last: those rows lie in the past.
    start = weeks_ahead(-3) if spec.name in ("start", "complete") else weeks_ahead(12)
    row = Placement(application=application, department=department, start_week=start, weeks=2)
    if source != NEW:
        row.status = source
        row.offer_deadline = arranged_deadline(spec) if source == P.OFFERED else None
        row.save()
    return people, application, row


def another_application(status: str, *, programme, owner) -> Application:
    """A second application arranged in `status` (its own reference)."""
    today = timezone.localdate()
    reference = f"{programme.reference_prefix}-2027-{owner.pk:04d}"
    return Application.objects.create(
        applicant=owner, programme=programme, status=status, reference=reference, start_date=today, end_date=today
    )


def next_week():
    return timezone.now() + timedelta(days=7)


# Interrupting says why; the reason is kept on the row and told on the timeline.
REASONS = {"interrupt": "Illness, the trainee went home."}


def mover(spec, row, actor):
    """The placement state machine's call that moves (or creates) `row` along `spec` as `actor`."""

    def move(application):
        if row.pk is None:
            placement_workflow.create(placements=[row], name=spec.name, by=actor, offer_deadline=next_week())
        else:
            placement_workflow.transition(
                application=application,
                placements=[row],
                name=spec.name,
                by=actor,
                offer_deadline=next_week(),
                message=REASONS.get(spec.name, ""),
            )

    return move


def perform(spec, application, row, actor):
    """`spec` on `row` as `actor`: directly, or as the placement side of its application transition."""
    if spec.joint is None:
        mover(spec, row, actor)(application)
    else:
        workflow.transition(application=application, name=spec.joint, by=actor, placements=mover(spec, row, actor))


def week_words(start) -> str:
    return f"weeks {start.isocalendar().week}–{(start + timedelta(weeks=1)).isocalendar().week}"


@pytest.mark.parametrize(("name", "source", "persona"), CASES)
def test_placement_transition_by_role_from_state(name, source, persona):
    spec = TRANSITIONS[name]
    people, application, row = arrange(spec, source)
    actor = people[persona]
    allowed = source in spec.sources and ROLE_OF_PERSONA[persona] in spec.roles
    rows_before = list(Placement.objects.filter(application=application).values())
    application_before = Application.objects.values().get(pk=application.pk)

    if allowed:
        perform(spec, application, row, actor)

        saved = Placement.objects.get(application=application)
        assert saved.status == spec.target
        if spec.target == P.OFFERED:
            assert saved.offer_deadline > timezone.now()
        event = Event.objects.get(application=application, kind=EventKind.PLACEMENT_CHANGED)
        assert (event.actor, event.message, event.internal) == (
            actor,
            f"{spec.label}: {row.department.label}, {week_words(row.start_week)}."
            + (f" {REASONS[name]}" if name in REASONS else ""),
            spec.internal or source in (NEW, P.PROPOSED),
        )
        application.refresh_from_db()
        assert application.status == (workflow.TRANSITIONS[spec.joint].target if spec.joint else S.ACCEPTED)
    else:
        with pytest.raises(TransitionNotAllowed):
            perform(spec, application, row, actor)

        assert list(Placement.objects.filter(application=application).values()) == rows_before
        assert Application.objects.values().get(pk=application.pk) == application_before
        assert not Event.objects.filter(application=application).exists()


def test_matrix_covers_every_transition_and_role():
    covered = {(case.values[0], case.values[2]) for case in CASES}
    assert covered == {(name, persona) for name in TRANSITIONS for persona in PERSONAS}


# --- joint transitions ------------------------------------------------------------------------------


def test_each_joint_transition_belongs_with_an_application_transition_for_the_same_roles():
    for spec in TRANSITIONS.values():
        if spec.joint:
            application_spec = workflow.TRANSITIONS[spec.joint]
            assert application_spec.with_placements, spec.name
            assert application_spec.roles == spec.roles, spec.name
    with_placements = {name for name, spec in workflow.TRANSITIONS.items() if spec.with_placements}
    assert with_placements == {spec.joint for spec in TRANSITIONS.values() if spec.joint}


JOINT = [
    pytest.param(name, persona, id=f"{name}-by-{persona}")
    for name, spec in TRANSITIONS.items()
    if spec.joint
    for persona in PERSONAS
    if ROLE_OF_PERSONA[persona] in spec.roles
]


@pytest.mark.parametrize(("name", "persona"), JOINT)
def test_a_joint_transition_alone_is_refused_and_changes_nothing(name, persona):
    spec = TRANSITIONS[name]
    people, application, row = arrange(spec, spec.sources[-1])
    rows_before = list(Placement.objects.filter(application=application).values())

    with pytest.raises(TransitionNotAllowed, match="happens only together with the application's"):
        mover(spec, row, people[persona])(application)

    assert list(Placement.objects.filter(application=application).values()) == rows_before
    assert not Event.objects.filter(application=application).exists()


def test_a_joint_transition_inside_another_application_transition_is_refused():
    spec = TRANSITIONS["accept"]
    people, application, row = arrange(spec, P.OFFERED)

    def accept(locked):
        placement_workflow.transition(application=locked, placements=[row], name="accept", by=people["owner"])

    with pytest.raises(TransitionNotAllowed, match="“Accepted” happens only together with the application's"):
        workflow.transition(application=application, name="decline", by=people["owner"], placements=accept)

    row.refresh_from_db()
    application.refresh_from_db()
    assert (row.status, application.status) == (P.OFFERED, S.OFFERED)


def test_the_side_effects_run_after_commit_with_the_application_and_the_event(
    monkeypatch, django_capture_on_commit_callbacks
):
    ran = []
    spec = replace(
        TRANSITIONS["discard"], effects=(lambda application_id, event_id: ran.append((application_id, event_id)),)
    )
    monkeypatch.setitem(TRANSITIONS, "discard", spec)
    people, application, row = arrange(spec, P.PROPOSED)

    with django_capture_on_commit_callbacks() as callbacks:
        event = placement_workflow.transition(
            application=application, placements=[row], name="discard", by=people["coordinator"]
        )
        assert ran == []
    for callback in callbacks:
        callback()

    assert ran == [(application.pk, event.pk)]


# --- guards -------------------------------------------------------------------------------------------


def test_accepting_refuses_an_offer_past_its_deadline():
    spec = TRANSITIONS["accept"]
    people, application, row = arrange(spec, P.OFFERED)
    Placement.objects.filter(pk=row.pk).update(offer_deadline=timezone.now() - timedelta(minutes=1))
    row.refresh_from_db()

    with pytest.raises(TransitionNotAllowed, match=r"The offer lapsed on .*; it can no longer be accepted\."):
        perform(spec, application, row, people["owner"])

    row.refresh_from_db()
    assert row.status == P.OFFERED


def test_an_offer_does_not_lapse_before_its_deadline():
    spec = TRANSITIONS["lapse"]
    _people, application, row = arrange(spec, P.OFFERED)
    Placement.objects.filter(pk=row.pk).update(offer_deadline=timezone.now() + timedelta(minutes=1))
    row.refresh_from_db()

    with pytest.raises(TransitionNotAllowed, match="The offer has not reached its deadline"):
        perform(spec, application, row, None)

    row.refresh_from_db()
    assert row.status == P.OFFERED


@pytest.mark.parametrize("status", [S.SUBMITTED, S.IN_REVIEW, S.OFFERED, S.CONFIRMED, S.REJECTED])
def test_a_proposal_is_only_for_an_application_waiting_for_a_seat(status):
    people, application, row = arrange(TRANSITIONS["propose"], NEW)
    Application.objects.filter(pk=application.pk).update(status=status)

    with pytest.raises(TransitionNotAllowed, match="only be saved for an accepted or waitlisted application"):
        placement_workflow.create(placements=[row], name="propose", by=people["coordinator"])

    assert not Placement.objects.filter(application=application).exists()


def test_rows_of_another_application_are_refused():
    people, application, row = arrange(TRANSITIONS["discard"], P.PROPOSED)
    other = another_application(S.ACCEPTED, programme=application.programme, owner=people["stranger"])

    with pytest.raises(TransitionNotAllowed, match="not this application's"):
        placement_workflow.transition(application=other, placements=[row], name="discard", by=people["coordinator"])

    row.refresh_from_db()
    assert row.status == P.PROPOSED


# --- many applications at once --------------------------------------------------------------------------


def test_a_set_of_rows_changes_with_the_same_checks_and_one_event_per_application():
    people, first, row = arrange(TRANSITIONS["discard"], P.PROPOSED)
    second = another_application(S.WAITLISTED, programme=first.programme, owner=people["stranger"])
    department = row.department
    for week in (12, 14):
        Placement.objects.create(application=second, department=department, start_week=weeks_ahead(week), weeks=1)
    offered = Placement.objects.create(
        application=second, department=department, start_week=weeks_ahead(20), weeks=1, status=P.OFFERED
    )

    events = placement_workflow.transition_many(
        placements=Placement.objects.filter(status=P.PROPOSED), name="discard", by=None, message="Replanned."
    )

    assert sorted(Placement.objects.values_list("status", flat=True)) == sorted([P.CANCELLED] * 3 + [P.OFFERED])
    assert sorted((e.application_id, e.internal) for e in events) == sorted([(first.pk, True), (second.pk, True)])
    two = f"Proposal replaced: {department.label}, week {weeks_ahead(12).isocalendar().week}; "
    two += f"{department.label}, week {weeks_ahead(14).isocalendar().week}. Replanned."
    assert Event.objects.get(application=second).message == two
    offered.refresh_from_db()
    assert offered.status == P.OFFERED


def test_one_refusal_in_a_set_refuses_them_all():
    people, _application, row = arrange(TRANSITIONS["discard"], P.PROPOSED)
    elsewhere = application_in(S.ACCEPTED, programme=ProgrammeFactory(), owner=make_applicant("elsewhere@example.org"))
    Placement.objects.create(application=elsewhere, department=row.department, start_week=weeks_ahead(3), weeks=1)

    with pytest.raises(TransitionNotAllowed):
        placement_workflow.transition_many(
            placements=Placement.objects.all(), name="discard", by=people["coordinator"]
        )  # the coordinator has no role on the other programme's application

    assert set(Placement.objects.values_list("status", flat=True)) == {P.PROPOSED}
    assert not Event.objects.exists()


# --- on the timeline ------------------------------------------------------------------------------------


def test_placement_events_are_readable_on_the_timelines(client):
    spec = TRANSITIONS["accept"]
    people, application, row = arrange(spec, P.OFFERED)
    perform(spec, application, row, people["owner"])
    coordinator = make_staff("carla", application.programme)
    accepted = f"Accepted: {row.department.label}, {week_words(row.start_week)}."

    client.force_login(coordinator)
    staff_page = client.get(reverse("staff:application_history", kwargs={"uuid": application.uuid}))
    client.force_login(people["owner"])
    own_page = client.get(application.get_absolute_url())

    for page in (staff_page, own_page):
        assertContains(page, "Placements changed")
        assertContains(page, accepted)


def test_a_proposal_is_on_the_staff_timeline_only(client):
    people, application, row = arrange(TRANSITIONS["propose"], NEW)
    placement_workflow.create(placements=[row], name="propose", by=people["coordinator"])
    proposed = f"Proposed: {row.department.label}, {week_words(row.start_week)}."

    client.force_login(make_staff("carla", application.programme))
    assertContains(client.get(reverse("staff:application_history", kwargs={"uuid": application.uuid})), proposed)
    client.force_login(people["owner"])
    assertNotContains(client.get(application.get_absolute_url()), proposed)
