"""An application and its placements change together, whatever the entry point: the lifecycle
service, the applicant's pages, the staff pages, the beat task that lets offers lapse, or the account
erasure; calling either state machine alone is refused and changes nothing. Re-publishing an offer
is on the timeline and e-mailed again; a lapsed offer cannot be accepted.

Personas:
- amira: the applicant of an offered application (the `offered` fixture); answers it, or withdraws.
- carol: coordinates the rotation programme; publishes and replaces offers, never answers them.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from applicants import workflow
from applicants.enums import WAITING_STATES, ApplicationStatus, EventKind
from applicants.errors import TransitionNotAllowed
from applicants.models import Application, Event
from applicants.privacy.erasure import applicant_erase
from placements.allocation import workflow as placement_workflow
from placements.allocation.dates import human_deadline
from placements.allocation.enums import ACTIVE_STATES, SEAT_HOLDING_STATES, PlacementStatus
from placements.allocation.models import Placement
from placements.allocation.services import lifecycle
from placements.allocation.services.capacity import Segment
from placements.allocation.services.offers import OfferError, offer_publish
from placements.allocation.tasks import expire_offers
from portal.mail.models import EmailLog
from tests.placements.helpers import department, make_application, place, weeks_ahead
from tests.placements.test_assignment import formset_data

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus
# What the application's status says about its placements that are not cancelled, declined or lapsed.
PLACEMENTS_OF = {S.OFFERED: {P.OFFERED}, S.CONFIRMED: {P.CONFIRMED}}


@pytest.fixture
def start():
    return weeks_ahead(12)


@pytest.fixture
def offered(rotation, start):
    """Amira's application, offered 2 weeks in Thoracic radiology, with a week to answer."""
    application = make_application(
        rotation, status=S.OFFERED, start=start, weeks=2, components=(("umcg-thoracic", 2),), first="Amira"
    )
    place(application, "umcg-thoracic", start, weeks=2, status=P.OFFERED, deadline=timezone.now() + timedelta(days=7))
    return application


def assert_consistent(application: Application) -> None:
    """Offered and confirmed applications hold exactly such placements; others hold no seat, and a
    closed application has no placement left at all."""
    application.refresh_from_db()
    active = set(
        Placement.objects.filter(application=application, status__in=ACTIVE_STATES).values_list("status", flat=True)
    )
    if application.status in PLACEMENTS_OF:
        assert active == PLACEMENTS_OF[application.status]
    elif application.status in WAITING_STATES:
        assert not active & set(SEAT_HOLDING_STATES)
    else:
        assert active == set()


def url(name: str, application) -> str:
    return reverse(f"applicants:{name}", kwargs={"uuid": application.uuid})


def snapshot(application):
    return (
        Application.objects.values().get(pk=application.pk),
        list(Placement.objects.filter(application=application).order_by("pk").values()),
        list(Event.objects.filter(application=application).values_list("pk", flat=True)),
    )


# --- answering, lapsing, withdrawing from every entry point ---------------------------------------------


def _accept_by_service(client, application):
    lifecycle.offer_accept(application=application, by=application.applicant)


def _accept_on_the_page(client, application):
    client.force_login(application.applicant)
    assert client.post(url("offer_accept", application)).status_code == 302


def _decline_by_service(client, application):
    lifecycle.offer_decline(application=application, by=application.applicant, reason="Found another place.")


def _decline_on_the_page(client, application):
    client.force_login(application.applicant)
    assert client.post(url("offer_decline", application), {"reason": "Found another place."}).status_code == 302


def _withdraw_by_service(client, application):
    lifecycle.application_withdraw(application=application, by=application.applicant, reason="Plans changed.")


def _withdraw_on_the_page(client, application):
    client.force_login(application.applicant)
    assert client.post(url("application_withdraw", application), {"reason": "Plans changed."}).status_code == 302


def _withdraw_by_erasing_the_account(client, application):
    applicant_erase(user=application.applicant)


def _lapse_by_service(client, application):
    assert lifecycle.offer_expire(application_id=application.pk) is True


def _lapse_by_the_beat_task(client, application):
    assert expire_offers() == 1


ENTRY_POINTS = [
    pytest.param(_accept_by_service, S.CONFIRMED, P.CONFIRMED, id="accept-service"),
    pytest.param(_accept_on_the_page, S.CONFIRMED, P.CONFIRMED, id="accept-applicant-page"),
    pytest.param(_decline_by_service, S.DECLINED, P.DECLINED, id="decline-service"),
    pytest.param(_decline_on_the_page, S.DECLINED, P.DECLINED, id="decline-applicant-page"),
    pytest.param(_withdraw_by_service, S.WITHDRAWN, P.CANCELLED, id="withdraw-service"),
    pytest.param(_withdraw_on_the_page, S.WITHDRAWN, P.CANCELLED, id="withdraw-applicant-page"),
    pytest.param(_withdraw_by_erasing_the_account, S.WITHDRAWN, P.CANCELLED, id="withdraw-erasure"),
    pytest.param(_lapse_by_service, S.EXPIRED, P.EXPIRED, id="lapse-service"),
    pytest.param(_lapse_by_the_beat_task, S.EXPIRED, P.EXPIRED, id="lapse-beat-task"),
]


@pytest.mark.parametrize(("act", "status", "placement_status"), ENTRY_POINTS)
def test_application_and_placements_change_together(client, offered, act, status, placement_status):
    if act in (_lapse_by_service, _lapse_by_the_beat_task):
        Placement.objects.filter(application=offered).update(offer_deadline=timezone.now() - timedelta(minutes=1))

    act(client, offered)

    offered.refresh_from_db()
    assert offered.status == status
    assert list(Placement.objects.filter(application=offered).values_list("status", flat=True)) == [placement_status]
    assert Event.objects.filter(application=offered, kind=EventKind.STATUS_CHANGED, to_status=status).count() == 1
    assert Event.objects.filter(application=offered, kind=EventKind.PLACEMENT_CHANGED).count() == 1
    assert_consistent(offered)


def test_withdrawing_an_application_waiting_with_a_proposal_cancels_it_out_of_the_applicants_sight(
    client, rotation, start
):
    waiting = make_application(rotation, status=S.ACCEPTED, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    place(waiting, "umcg-thoracic", start, weeks=2, status=P.PROPOSED)

    _withdraw_on_the_page(client, waiting)

    assert list(Placement.objects.filter(application=waiting).values_list("status", flat=True)) == [P.CANCELLED]
    assert Event.objects.get(application=waiting, kind=EventKind.PLACEMENT_CHANGED).internal is True
    assert_consistent(waiting)


def test_withdrawing_without_placements_changes_the_application_alone(client, rotation, start):
    submitted = make_application(rotation, status=S.SUBMITTED, start=start)

    _withdraw_by_service(client, submitted)

    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN
    assert not Event.objects.filter(application=submitted, kind=EventKind.PLACEMENT_CHANGED).exists()


def test_the_staff_cannot_answer_or_withdraw_for_the_applicant(client, offered, carol):
    before = snapshot(offered)
    client.force_login(carol)

    responses = [
        client.post(url("offer_accept", offered)),
        client.post(url("offer_decline", offered), {"reason": ""}),
        client.post(url("application_withdraw", offered), {"reason": ""}, follow=True),
    ]

    assert [r.status_code for r in responses] == [404, 404, 200]
    assertContains(responses[2], "You may not withdraw this application.")
    assert snapshot(offered) == before
    assert_consistent(offered)


@pytest.mark.parametrize(
    ("name", "persona"),
    [("confirm", "applicant"), ("decline", "applicant"), ("withdraw", "applicant"), ("expire_offer", None)],
)
def test_the_application_state_machine_alone_is_refused(offered, name, persona):
    before = snapshot(offered)

    with pytest.raises(TransitionNotAllowed, match="changes the placements too"):
        workflow.transition(application=offered, name=name, by=offered.applicant if persona else None)

    assert snapshot(offered) == before


@pytest.mark.parametrize(
    ("name", "persona"), [("accept", "applicant"), ("decline", "applicant"), ("release", "applicant"), ("lapse", None)]
)
def test_the_placement_state_machine_alone_is_refused(offered, name, persona):
    Placement.objects.filter(application=offered).update(offer_deadline=timezone.now() - timedelta(minutes=1))
    before = snapshot(offered)

    with pytest.raises(TransitionNotAllowed, match="happens only together with the application's"):
        placement_workflow.transition(
            application=offered,
            placements=list(Placement.objects.filter(application=offered)),
            name=name,
            by=offered.applicant if persona else None,
        )

    assert snapshot(offered) == before


def test_an_offer_renewed_since_it_was_listed_does_not_lapse(offered, carol, start):
    Placement.objects.filter(application=offered).update(offer_deadline=timezone.now() - timedelta(minutes=1))
    offer_publish(application=offered, by=carol, segments=[Segment(department("umcg-thoracic"), start, 2)])

    assert lifecycle.offer_expire(application_id=offered.pk) is False
    assert expire_offers() == 0
    assert_consistent(offered)
    assert offered.status == S.OFFERED


# --- a lapsed offer -----------------------------------------------------------------------------------


def _lapsed(application):
    deadline = timezone.now() - timedelta(minutes=1)
    Placement.objects.filter(application=application).update(offer_deadline=deadline)
    return deadline


def test_accepting_a_lapsed_offer_is_refused_and_changes_nothing(offered, email_templates):
    deadline = _lapsed(offered)
    before = snapshot(offered)

    with pytest.raises(OfferError) as refused:
        lifecycle.offer_accept(application=offered, by=offered.applicant)

    assert str(refused.value) == f"The offer lapsed on {human_deadline(deadline)}; it can no longer be accepted."
    assert snapshot(offered) == before
    assert not EmailLog.objects.filter(application=offered).exists()


def test_accepting_a_lapsed_offer_on_the_page_says_why_and_changes_nothing(client, offered):
    deadline = _lapsed(offered)
    before = snapshot(offered)
    client.force_login(offered.applicant)

    response = client.post(url("offer_accept", offered), follow=True)

    assertContains(response, f"The offer lapsed on {human_deadline(deadline)}; it can no longer be accepted.")
    assert snapshot(offered) == before


# --- re-publishing an offer -----------------------------------------------------------------------------


def test_replacing_an_offer_is_on_the_timeline_and_e_mailed_again(
    offered, carol, start, email_templates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        placements = offer_publish(
            application=offered, by=carol, segments=[Segment(department("umcg-abdominal"), start, 2)]
        )

    deadline = human_deadline(placements[0].offer_deadline)
    weeks = f"weeks {start.isocalendar().week}–{(start + timedelta(weeks=1)).isocalendar().week}"
    days = f"{start.day} {start:%B} – {(start + timedelta(days=11)).day} {start + timedelta(days=11):%B %Y}"
    event = Event.objects.get(application=offered, kind=EventKind.STATUS_CHANGED)
    assert (event.actor, event.from_status, event.to_status, event.message) == (
        carol,
        S.OFFERED,
        S.OFFERED,
        f"Your placement offer has been changed. Offered: Abdominal radiology, UMCG, {weeks} ({days}). "
        f"Please accept or decline the offer by {deadline}.",
    )
    mail = EmailLog.objects.get(application=offered, template_code="offered")
    assert (mail.event, mail.to) == (event, offered.applicant.email)
    assert event.message in mail.body
    assert sorted(
        Event.objects.filter(application=offered, kind=EventKind.PLACEMENT_CHANGED).values_list("message", flat=True)
    ) == [
        f"Offered: Abdominal radiology, UMCG, {weeks}.",
        f"Replaced by a new offer: Thoracic radiology, UMCG, {weeks}.",
    ]
    assert_consistent(offered)


def test_each_new_offer_from_the_staff_page_sends_its_own_e_mail(
    client, offered, carol, start, email_templates, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    assign = reverse("staff_placements:assign", kwargs={"uuid": offered.uuid})
    rows = formset_data([("umcg-abdominal", start, 2)], action="publish", accept_conflicts="1")

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(assign, rows).status_code == 302

    events = Event.objects.filter(application=offered, kind=EventKind.STATUS_CHANGED, to_status=S.OFFERED)
    assert events.count() == 2
    assert sorted(
        EmailLog.objects.filter(application=offered, template_code="offered").values_list("event", flat=True)
    ) == sorted(events.values_list("pk", flat=True))
    assert_consistent(offered)
