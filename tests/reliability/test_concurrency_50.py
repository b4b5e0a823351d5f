"""Fifty applicants submitting, and fifty coordinators assigning seats, at the same moment.

Each thread has its own PostgreSQL connection and waits at a barrier, so the fifty transactions
really race for the reference counter and the department rows. References must come out unique
and gapless; a week must never hold more trainees than it has seats.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from applicants.enums import ApplicationStatus, EventKind
from applicants.models import Application, Event
from applicants.services.applications import application_submit
from placements.allocation.enums import SEAT_HOLDING_STATES
from placements.allocation.models import CapacityOverride, Placement
from placements.allocation.services.capacity import CapacityError, Segment
from placements.allocation.services.offers import offer_publish
from placements.catalogue.models import Department
from portal.mail.models import EmailLog, EmailStatus
from tests.applicants.builders import complete_draft, make_applicant
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 50


def race(action, items) -> list:
    """Run `action(item)` for every item in its own thread, all released at once; return the outcomes."""
    barrier = threading.Barrier(len(items))
    outcomes = []

    def run(item):
        try:
            barrier.wait(timeout=120)
            outcomes.append(action(item))
        except Exception as error:  # collected and asserted by the caller
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting (a deadlock?)"
    return outcomes


@pytest.mark.worker
def test_fifty_concurrent_submissions_get_references_0001_to_0050(catalogue, celery_worker):
    programme = catalogue["rotation"]
    drafts = [complete_draft(programme, make_applicant(f"fifty{i}@example.org")) for i in range(PARALLEL)]

    outcomes = race(lambda draft: application_submit(application=draft, by=draft.applicant), drafts)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    year = drafts[0].start_date.year
    references = sorted(Application.objects.values_list("reference", flat=True))
    assert references == [f"UMCG-{year}-{n:04d}" for n in range(1, PARALLEL + 1)]
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED, submitted_at__isnull=False).count() == 50
    assert Event.objects.filter(kind=EventKind.STATUS_CHANGED, to_status=ApplicationStatus.SUBMITTED).count() == 50
    # One confirmation each, none lost in the race, each sent once by the worker (waited for, also so
    # that no worker is still writing when the test's tables are emptied).
    assert EmailLog.objects.filter(template_code="submitted").count() == PARALLEL
    assert EmailLog.objects.values("application").distinct().count() == PARALLEL
    wait_for(
        lambda: EmailLog.objects.filter(status=EmailStatus.SENT).count() == PARALLEL,
        timeout=300,
        what="the worker to send the fifty confirmations",
    )
    assert Event.objects.filter(kind=EventKind.EMAIL_SENT).count() == PARALLEL
    assert set(EmailLog.objects.values_list("attempts", flat=True)) == {1}


def test_fifty_concurrent_assignments_never_overbook_a_week_with_fewer_seats(catalogue):
    programme = catalogue["rotation"]
    thoracic = Department.objects.get(slug="umcg-thoracic")
    ward = Department.objects.create(
        institution=thoracic.institution,
        specialization=thoracic.specialization,
        name="Reliability ward",
        slug="reliability-ward",
        weekly_capacity=8,
    )
    applications = [complete_draft(programme, make_applicant(f"seat{i}@example.org")) for i in range(PARALLEL)]
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(status=ApplicationStatus.ACCEPTED)
    week = applications[0].start_date
    # A holiday week: five seats instead of eight. Each assignment takes it and the normal week after.
    CapacityOverride.objects.create(department=ward, week=week, capacity=5, reason="Holiday")

    def assign(application):
        try:
            offer_publish(application=application, segments=[Segment(ward, week, 2)], by=None)
        except CapacityError as error:
            return str(error)
        return "placed"

    outcomes = race(assign, applications)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    week_number = week.isocalendar().week
    assert outcomes.count("placed") == 5
    assert outcomes.count(f"Reliability ward is full in week {week_number}.") == PARALLEL - 5
    holding = Placement.objects.filter(department=ward, status__in=SEAT_HOLDING_STATES)
    assert holding.count() == 5
    assert holding.filter(start_week=week, weeks=2).count() == 5
    assert holding.values("application").distinct().count() == 5
    # The week after has eight seats: five are taken by those placed, three remain.
    next_week = week + timedelta(weeks=1)
    placed = set(holding.values_list("application_id", flat=True))
    others = [a for a in applications if a.pk not in placed]
    for application in others[:3]:
        offer_publish(application=application, segments=[Segment(ward, next_week, 1)], by=None)
    with pytest.raises(CapacityError, match=f"full in week {next_week.isocalendar().week}"):
        offer_publish(application=others[3], segments=[Segment(ward, next_week, 1)], by=None)
