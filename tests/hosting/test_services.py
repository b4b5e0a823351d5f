"""Host department actions: inviting supervisors, the department's confirmation, absences, and a
running placement's start, end and interruption.

Personas:
- carol: coordinator of the rotation programme (the demo observership).
- sam: supervises UMCG radiology, so its sections (thoracic, abdominal, ...).
- olga: supervises nuclear medicine only; never acts on radiology's placements.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applicants.errors import TransitionNotAllowed
from applicants.models import Event
from placements.allocation import workflow
from placements.allocation.enums import PlacementStatus
from placements.hosting import services
from placements.hosting.enums import ConfirmationStatus
from placements.hosting.invitations import (
    InvitationInvalid,
    invitable_departments,
    invitation_accept,
    invitation_token,
    invitation_user,
    supervisor_invite,
)
from placements.hosting.models import Absence, HostConfirmation, Supervision
from portal.mail.models import EmailLog
from portal.models import User
from tests.hosting.helpers import make_supervisor
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
P = PlacementStatus


@pytest.fixture
def sam(rotation):
    return make_supervisor("sam", "umcg-radiology")


@pytest.fixture
def olga(rotation):
    return make_supervisor("olga", "umcg-nuclear-medicine")


def confirmed_placement(rotation, *, start=None, weeks=2, slug="umcg-thoracic", status=P.CONFIRMED):
    start = start or weeks_ahead(6)
    application = make_application(rotation, start=start, weeks=weeks)
    return place(application, slug, start, weeks=weeks, status=status)


# --- invitations --------------------------------------------------------------------------------


def test_a_coordinator_invites_for_the_departments_of_their_programmes_only(carol, rotation, cohort):
    slugs = set(invitable_departments(carol).values_list("slug", flat=True))

    assert {"umcg-thoracic", "umcg-nuclear-medicine", "umcg-radiology"} <= slugs
    assert "uzl-radiotherapy" not in slugs


def test_inviting_a_new_address_makes_an_account_without_password_and_sends_the_link(carol, email_templates):
    invited = supervisor_invite(
        email="New.Supervisor@Hospital.example", departments=[department("umcg-thoracic")], by=carol
    )

    user = User.objects.get(email="new.supervisor@hospital.example")
    assert (invited.created, user.has_usable_password(), user.is_staff) == (True, False, False)
    assert list(Supervision.objects.filter(user=user).values_list("department__slug", "invited_by")) == [
        ("umcg-thoracic", carol.pk)
    ]
    log = EmailLog.objects.get(to="new.supervisor@hospital.example")
    assert "/hosting/invitations/" in log.body
    assert "Thoracic radiology, UMCG" in log.body or "Thoracic radiology" in log.body


def test_inviting_an_existing_user_only_adds_departments(carol, sam, email_templates):
    invited = supervisor_invite(
        email=sam.email, departments=[department("umcg-radiology"), department("umcg-nuclear-medicine")], by=carol
    )

    assert invited.created is False
    assert [d.slug for d in invited.added] == ["umcg-nuclear-medicine"]
    assert set(Supervision.objects.filter(user=sam).values_list("department__slug", flat=True)) == {
        "umcg-radiology",
        "umcg-nuclear-medicine",
    }
    sam.refresh_from_db()
    assert sam.has_usable_password() and not sam.is_staff


def test_an_invitation_link_sets_the_password_once(carol, email_templates):
    invited = supervisor_invite(email="ina@hospital.example", departments=[department("umcg-thoracic")], by=carol)
    token = invitation_token(invited.user)

    assert invitation_user(token) == invited.user
    user = invitation_accept(token=token, password="A long enough passphrase 42")

    assert user.check_password("A long enough passphrase 42")
    assert user.emailaddress_set.get().verified is True
    with pytest.raises(InvitationInvalid):
        invitation_user(token)


def test_a_tampered_or_foreign_token_is_refused(carol):
    with pytest.raises(InvitationInvalid):
        invitation_user("not-a-token")


# --- the department's confirmation ------------------------------------------------------------


def test_asking_the_department_mails_its_supervisors_and_the_answer_is_kept(
    carol, sam, olga, rotation, email_templates
):
    placement = confirmed_placement(rotation, status=P.OFFERED)

    confirmation = services.confirmation_request(placement=placement, by=carol, note="Can you take her?")

    assert confirmation.status == ConfirmationStatus.REQUESTED
    assert list(EmailLog.objects.values_list("to", flat=True)) == [sam.email]
    assert "Can you take her?" in EmailLog.objects.get().body
    services.confirmation_answer(confirmation=confirmation, by=sam, confirmed=False, reason="Short of staff")
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.reason, confirmation.answered_by) == (
        ConfirmationStatus.DECLINED,
        "Short of staff",
        sam,
    )


def test_declining_needs_a_reason_and_an_answer_is_given_once(carol, sam, rotation, email_templates):
    placement = confirmed_placement(rotation, status=P.PROPOSED)
    confirmation = services.confirmation_request(placement=placement, by=carol)

    with pytest.raises(services.HostingError):
        services.confirmation_answer(confirmation=confirmation, by=sam, confirmed=False, reason="  ")
    services.confirmation_answer(confirmation=confirmation, by=sam, confirmed=True)
    with pytest.raises(services.HostingError):
        services.confirmation_answer(confirmation=confirmation, by=sam, confirmed=False, reason="Changed our mind")
    assert HostConfirmation.objects.get().status == ConfirmationStatus.CONFIRMED


def test_a_department_without_supervisor_cannot_be_asked(carol, rotation):
    placement = confirmed_placement(rotation, status=P.OFFERED, slug="umcg-nuclear-medicine")

    with pytest.raises(services.HostingError, match="no supervisor"):
        services.confirmation_request(placement=placement, by=carol)


# --- absences -----------------------------------------------------------------------------------


def test_absences_lie_within_a_confirmed_or_running_placement(sam, rotation):
    placement = confirmed_placement(rotation)
    first = placement.start_week + timedelta(days=1)

    services.absence_record(placement=placement, by=sam, first_day=first, last_day=first, reason="Ill")
    with pytest.raises(services.HostingError):
        services.absence_record(
            placement=placement, by=sam, first_day=first, last_day=placement.end_date + timedelta(days=3), reason="x"
        )
    assert list(Absence.objects.values_list("first_day", "reason")) == [(first, "Ill")]


# --- running states -------------------------------------------------------------------------------


def test_the_beat_task_starts_placements_on_their_first_day_once(rotation):
    started = confirmed_placement(rotation, start=weeks_ahead(0))
    later = confirmed_placement(rotation, start=weeks_ahead(1))

    assert services.placements_start_due() == 1
    assert services.placements_start_due() == 0
    started.refresh_from_db()
    later.refresh_from_db()
    assert (started.status, later.status) == (P.IN_PROGRESS, P.CONFIRMED)
    assert Event.objects.filter(application=started.application, message__startswith="Started").count() == 1


def test_the_beat_task_completes_placements_after_their_last_day(rotation):
    over = confirmed_placement(rotation, start=weeks_ahead(-3), weeks=2, status=P.IN_PROGRESS)
    running = confirmed_placement(rotation, start=weeks_ahead(-1), weeks=3, status=P.IN_PROGRESS)

    assert services.placements_complete_due() == 1
    assert services.placements_complete_due() == 0
    over.refresh_from_db()
    running.refresh_from_db()
    assert (over.status, running.status) == (P.COMPLETED, P.IN_PROGRESS)


def test_a_supervisor_completes_from_the_last_day_but_not_before(sam, rotation):
    last_week_started = confirmed_placement(rotation, start=weeks_ahead(-1), weeks=2, status=P.IN_PROGRESS)
    today = timezone.localdate()

    if last_week_started.end_date > today:
        with pytest.raises(services.HostingError):
            services.placement_complete(placement=last_week_started, by=sam)
    ended = confirmed_placement(rotation, start=weeks_ahead(-2), weeks=1, status=P.IN_PROGRESS)
    services.placement_complete(placement=ended, by=sam)
    ended.refresh_from_db()
    assert ended.status == P.COMPLETED


def test_a_supervisor_of_another_department_may_not_end_a_placement(olga, rotation):
    placement = confirmed_placement(rotation, start=weeks_ahead(-2), weeks=1, status=P.IN_PROGRESS)

    with pytest.raises(services.HostingError):
        services.placement_interrupt(placement=placement, by=olga, reason="No")
    with pytest.raises(TransitionNotAllowed):
        workflow.transition(application=placement.application, placements=[placement], name="complete", by=olga)
    placement.refresh_from_db()
    assert placement.status == P.IN_PROGRESS


def test_interrupting_keeps_the_reason_and_frees_the_seats(carol, sam, rotation):
    placement = confirmed_placement(rotation, start=weeks_ahead(-1), weeks=3, status=P.IN_PROGRESS)

    services.placement_interrupt(placement=placement, by=sam, reason="Family emergency")

    placement.refresh_from_db()
    assert (placement.status, placement.interruption_reason) == (P.INTERRUPTED, "Family emergency")
    event = Event.objects.get(application=placement.application)
    assert event.message.endswith("Family emergency") and event.actor == sam


def test_an_interruption_needs_a_reason(carol, rotation):
    placement = confirmed_placement(rotation)

    with pytest.raises(services.HostingError):
        services.placement_interrupt(placement=placement, by=carol, reason=" ")
    assert mail.outbox == []
