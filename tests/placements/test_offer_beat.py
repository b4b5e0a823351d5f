"""The periodic tasks of placements: offers lapse after their deadline and freed seats are proposed,
each acting once however often beat runs them, also through a real worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applicants.enums import ApplicationStatus
from applicants.models import Event
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, SeatProposal
from placements.allocation.services.lifecycle import offers_expire
from placements.allocation.tasks import expire_offers, propose_freed_seats
from tests.placements.helpers import make_application, place, weeks_ahead

S = ApplicationStatus
P = PlacementStatus


def offered_application(programme, *, start, deadline, score=None):
    application = make_application(
        programme, status=S.OFFERED, start=start, weeks=2, components=(("umcg-thoracic", 2),), score=score
    )
    place(application, "umcg-thoracic", start, weeks=2, status=P.OFFERED, deadline=deadline)
    return application


def waiting_application(programme, *, start, score="4.00"):
    return make_application(
        programme, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),), score=score
    )


def status_events(application, status) -> int:
    return Event.objects.filter(application=application, to_status=status).count()


# --- the task functions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_expiry_run_twice_lapses_an_overdue_offer_once(catalogue):
    rotation, start = catalogue["rotation"], weeks_ahead(12)
    overdue = offered_application(rotation, start=start, deadline=timezone.now() - timedelta(hours=1))
    on_time = offered_application(rotation, start=start, deadline=timezone.now() + timedelta(hours=1))
    waiting = waiting_application(rotation, start=start)

    runs = [expire_offers(), expire_offers()]

    assert runs == [1, 0]
    overdue.refresh_from_db()
    on_time.refresh_from_db()
    assert (overdue.status, on_time.status) == (S.EXPIRED, S.OFFERED)
    assert list(Placement.objects.filter(application=overdue).values_list("status", flat=True)) == [P.EXPIRED]
    assert list(Placement.objects.filter(application=on_time).values_list("status", flat=True)) == [P.OFFERED]
    event = Event.objects.get(application=overdue, to_status=S.EXPIRED)
    assert (event.actor, event.message) == (None, "The offer was not answered in time.")
    assert [(p.application, p.freed_by.application) for p in SeatProposal.objects.all()] == [(waiting, overdue)]


@pytest.mark.django_db
def test_expiry_leaves_answered_offers_alone(catalogue):
    rotation, start = catalogue["rotation"], weeks_ahead(12)
    accepted = offered_application(rotation, start=start, deadline=timezone.now() - timedelta(hours=1))
    Placement.objects.filter(application=accepted).update(status=P.CONFIRMED)
    type(accepted).objects.filter(pk=accepted.pk).update(status=S.CONFIRMED)

    assert offers_expire() == 0
    accepted.refresh_from_db()
    assert accepted.status == S.CONFIRMED


@pytest.mark.django_db
def test_the_sweep_run_twice_makes_one_proposal(catalogue):
    rotation, start = catalogue["rotation"], weeks_ahead(12)
    declined = make_application(rotation, status=S.DECLINED, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    place(declined, "umcg-thoracic", start, weeks=2, status=P.DECLINED)
    best = waiting_application(rotation, start=start, score="4.50")
    waiting_application(rotation, start=start, score="3.00")

    assert [propose_freed_seats(), propose_freed_seats()] == [1, 0]
    assert SeatProposal.objects.get().application == best


# --- through a real worker ------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_expiry_through_the_worker_acts_once(catalogue, celery_worker):
    rotation, start = catalogue["rotation"], weeks_ahead(12)
    overdue = offered_application(rotation, start=start, deadline=timezone.now() - timedelta(minutes=5))
    waiting = waiting_application(rotation, start=start)

    first = expire_offers.delay().get(timeout=60)
    second = expire_offers.delay().get(timeout=60)
    swept = propose_freed_seats.delay().get(timeout=60)

    assert (first, second, swept) == (1, 0, 0)
    overdue.refresh_from_db()
    assert overdue.status == S.EXPIRED
    assert status_events(overdue, S.EXPIRED) == 1
    assert SeatProposal.objects.get().application == waiting


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_expiry_runs_at_once_act_once(catalogue, celery_worker):
    rotation, start = catalogue["rotation"], weeks_ahead(12)
    overdue = [
        offered_application(rotation, start=start + timedelta(weeks=i), deadline=timezone.now() - timedelta(minutes=5))
        for i in range(3)
    ]

    results = [expire_offers.delay(), expire_offers.delay()]
    in_process = offers_expire()

    assert sum(r.get(timeout=60) for r in results) + in_process == 3
    assert [status_events(a, S.EXPIRED) for a in overdue] == [1, 1, 1]
