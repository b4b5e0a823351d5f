"""No department is ever over capacity, even when many coordinators save at the same moment."""

import threading

import pytest
from django.db import connection

from applicants.enums import ApplicationStatus
from applicants.models import Application
from placements.allocation.enums import SEAT_HOLDING_STATES
from placements.allocation.models import Placement
from placements.allocation.services.capacity import CapacityError, Segment
from placements.allocation.services.offers import offer_publish
from placements.catalogue.models import Department
from tests.applicants.builders import complete_draft, make_applicant

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 24


def test_parallel_assignments_never_overbook_a_week(catalogue):
    programme = catalogue["rotation"]
    section = Department.objects.get(slug="umcg-thoracic")
    assert section.weekly_capacity == 2
    applications = [complete_draft(programme, make_applicant(f"p{i}@example.org")) for i in range(PARALLEL)]
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(status=ApplicationStatus.ACCEPTED)
    week = applications[0].start_date
    barrier = threading.Barrier(PARALLEL)
    outcomes = []

    def assign(application):
        try:
            barrier.wait(timeout=30)
            offer_publish(application=application, segments=[Segment(section, week, 1)], by=None)
            outcomes.append("placed")
        except CapacityError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    week_number = week.isocalendar().week
    assert outcomes.count("placed") == 2
    assert outcomes.count(f"Thoracic radiology is full in week {week_number}.") == PARALLEL - 2
    assert Placement.objects.filter(department=section, start_week=week, status__in=SEAT_HOLDING_STATES).count() == 2


def test_weeks_across_new_year_read_in_date_order():
    from datetime import date

    from placements.allocation.services.capacity import format_weeks

    weeks = [date(2027, 12, 20), date(2027, 12, 27), date(2028, 1, 3), date(2028, 1, 17)]

    assert format_weeks(weeks) == "weeks 51–1, 3"
