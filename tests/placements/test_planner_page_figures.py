"""The planner page's figures on how good a proposal is: the rotation planner's upper bound and gap,
and how the cohort matching broke ties between equal scores.

Personas (tests/conftest.py):
- carol: coordinates the rotation programme (UMCG) and sees its runs.
- dave: coordinates the cohort programme and sees its runs.
"""

from datetime import timedelta

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.placements.helpers import make_application, weeks_ahead
from tests.placements.test_planner_pages import planned, thoracic_requests, url

pytestmark = pytest.mark.django_db


def test_rotation_run_shows_the_upper_bound_it_reached(client, rotation, carol):
    start = weeks_ahead(18)
    for offering in rotation.offerings.exclude(department__slug="umcg-thoracic").select_related("department"):
        for week in (start, start + timedelta(weeks=1)):
            offering.department.capacity_overrides.create(week=week, capacity=0)
    third = thoracic_requests(rotation, start, 3)[2]
    third.start_date, third.end_date = start, start + timedelta(days=11)  # three in the weeks of two seats
    third.save()
    run = planned(rotation, carol)
    client.force_login(carol)

    response = client.get(url("plan_run", run))

    assert (run.summary["placed"], run.summary["placed_upper_bound"], run.summary["gap_percent"]) == (2, 2, 0.0)
    assertContains(response, '<dd class="mb-0 plan-bound">2 (reached)</dd>', html=True)


def test_cohort_run_says_the_earlier_application_won_a_tie(client, cohort, dave):
    start = weeks_ahead(20)
    later = make_application(
        cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30),), score="4.50", submitted_days_ago=2
    )
    earlier = make_application(
        cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30),), score="4.50", submitted_days_ago=9
    )
    run = planned(cohort, dave)
    client.force_login(dave)

    response = client.get(url("plan_run", run))

    assert [row.application for row in response.context["rows"]] == [earlier]  # although created second
    assert run.summary["ties_decided"] == 1
    assertContains(
        response, "Equal scores went to the earlier application, by the time it was submitted: this decided 1 seat."
    )
    (unplaced,) = run.unplaced
    assert unplaced["reference"] == later.reference
    assert "equal scores go to the earlier application" in unplaced["reason"]


def test_cohort_run_without_a_tie_says_nothing_about_ties(client, cohort, dave):
    start = weeks_ahead(20)
    make_application(cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30),), score="4.80")
    make_application(cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30),), score="4.10")
    run = planned(cohort, dave)
    client.force_login(dave)

    response = client.get(url("plan_run", run))

    assert run.summary["ties_decided"] == 0
    assertNotContains(response, "Equal scores went to the earlier application")
