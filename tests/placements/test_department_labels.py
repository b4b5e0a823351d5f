"""Departments always appear with their hospital: UZ Leuven and AZ Groeninge each have a
"Radiotherapy physics", and every page, export and e-mail says which (Department.label).

Personas:
- dave: coordinates the cohort programme (Leuven); reads its queue, export, planner and calendar.
- the applicant of a cohort application: sees the review step of their own draft and the offer e-mail.
"""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import PlanRun
from placements.allocation.services.offers import offer_publish
from placements.allocation.services.planning import plan_run_execute
from portal.mail.models import EmailLog
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
BOTH = (("uzl-radiotherapy", 30), ("azg-radiotherapy", 30))
LEUVEN, KORTRIJK = "Radiotherapy physics, UZ Leuven", "Radiotherapy physics, AZ Groeninge"


def test_a_department_is_named_with_its_hospital(cohort):
    assert department("uzl-radiotherapy").label == LEUVEN
    assert str(department("azg-radiotherapy")) == KORTRIJK


def test_the_review_step_of_the_wizard_names_the_hospitals(client, cohort):
    draft = make_application(cohort, status=S.DRAFT, start=weeks_ahead(30), weeks=30, components=BOTH)
    client.force_login(draft.applicant)

    response = client.get(reverse("applicants:wizard_step", kwargs={"uuid": draft.uuid, "step": "review"}))

    assertContains(response, f"<li>{LEUVEN} – 30 weeks</li>", html=True)
    assertContains(response, f"<li>{KORTRIJK} – 30 weeks</li>", html=True)


def test_the_queue_and_its_export_name_the_hospitals(client, cohort, dave):
    make_application(cohort, status=S.SUBMITTED, start=weeks_ahead(30), weeks=30, components=BOTH)
    client.force_login(dave)

    queue = client.get(reverse("staff:queue"))
    export = b"".join(client.get(reverse("staff:queue_export")).streaming_content).decode()

    assertContains(queue, f"{LEUVEN} (30 wk), {KORTRIJK} (30 wk)")
    assert f'"{LEUVEN} (30 weeks); {KORTRIJK} (30 weeks)"' in export


def test_the_planner_table_names_the_hospitals(client, cohort, dave):
    application = make_application(cohort, start=weeks_ahead(30), weeks=30, components=BOTH)
    run = PlanRun.objects.create(programme=cohort, created_by=dave)
    plan_run_execute(run_id=run.pk, time_limit=10)
    client.force_login(dave)

    response = client.get(reverse("staff_placements:plan_run", kwargs={"uuid": run.uuid}))

    [row] = response.context["rows"]
    assert row.application == application
    assertContains(response, f"{LEUVEN} 30 wk; {KORTRIJK} 30 wk")
    assertContains(response, f"</span> · {LEUVEN}")


def test_the_offer_e_mail_names_the_hospital(cohort, dave, email_templates, django_capture_on_commit_callbacks):
    start = weeks_ahead(30)
    application = make_application(cohort, start=start, weeks=30, components=BOTH)
    place(application, "azg-radiotherapy", start, weeks=30, status=PlacementStatus.PROPOSED)

    with django_capture_on_commit_callbacks(execute=True):
        offer_publish(application=application, by=dave)

    mail = EmailLog.objects.get(application=application, template_code="offered")
    assert f"Offered: {KORTRIJK}, weeks " in mail.body
    assert LEUVEN not in mail.body


def test_the_capacity_calendar_names_the_hospitals(client, cohort, dave):
    week = weeks_ahead(4)
    client.force_login(dave)

    response = client.get(reverse("staff_placements:calendar"), {"start": week.isoformat()})

    number = week.isocalendar().week
    assertContains(response, f'aria-label="0/4: {LEUVEN}, week {number}: 0 of 4 seats used"')
    assertContains(response, f'aria-label="0/1: {KORTRIJK}, week {number}: 0 of 1 seat used"')
    week_page = client.get(
        reverse(
            "staff_placements:calendar_week", kwargs={"department_id": department("azg-radiotherapy").pk, "week": week}
        )
    )
    assertContains(week_page, f"<title>{KORTRIJK}, week {number}")
    assertNotContains(week_page, LEUVEN)
