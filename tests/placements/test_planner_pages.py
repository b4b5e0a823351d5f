"""The planner pages: starting a run, its progress fragment, the proposal with the unplaced and their
reasons, and publishing all offers at once; all of it only for the programme's staff.

Personas:
- carol: coordinates the rotation programme (UMCG); runs its planner and publishes its offers.
- dave: coordinates the cohort programme only; carol's runs do not exist for him (404).
- the applicant of a planned application: the staff pages do not exist for them (404).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus, PlanRunStatus
from placements.allocation.models import Placement, PlanRun
from placements.allocation.services.planning import plan_run_execute
from tests.placements.helpers import make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus
PLANNER_URL = reverse("staff_placements:planner")


def week_number(monday, later: int = 0) -> int:
    return (monday + timedelta(weeks=later)).isocalendar().week


def url(name: str, run: PlanRun) -> str:
    return reverse(f"staff_placements:{name}", kwargs={"uuid": run.uuid})


def planned(programme, by) -> PlanRun:
    run = PlanRun.objects.create(programme=programme, created_by=by)
    plan_run_execute(run_id=run.pk, time_limit=10)
    run.refresh_from_db()
    return run


def thoracic_requests(rotation, start, count: int):
    """`count` two-week requests for thoracic radiology (2 seats a week) in the same weeks."""
    return [
        make_application(
            rotation,
            start=start + timedelta(weeks=2 * (i // 2)),
            weeks=2,
            components=(("umcg-thoracic", 2),),
            score=f"{4.5 - i / 10:.2f}",
        )
        for i in range(count)
    ]


# --- starting a run -------------------------------------------------------------------------------


def test_planner_page_offers_only_my_programmes(client, rotation, cohort, carol):
    client.force_login(carol)

    response = client.get(PLANNER_URL)

    assert list(response.context["form"].fields["programme"].queryset) == [rotation]
    assertContains(response, "Run the planner")
    assertContains(response, f'<a class="nav-link" href="{PLANNER_URL}">Planner</a>', html=True)


def test_running_the_planner_queues_a_run_after_commit_and_shows_it(
    client, rotation, carol, django_capture_on_commit_callbacks
):
    client.force_login(carol)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(PLANNER_URL, {"programme": rotation.slug})

    run = PlanRun.objects.get()
    assertRedirects(response, url("plan_run", run), fetch_redirect_response=False)
    assert (run.programme, run.status, run.created_by) == (rotation, PlanRunStatus.QUEUED, carol)
    assert len(callbacks) == 1


def test_a_second_start_while_one_waits_shows_the_waiting_run(client, rotation, carol):
    waiting = PlanRun.objects.create(programme=rotation, created_by=carol)
    client.force_login(carol)

    response = client.post(PLANNER_URL, {"programme": rotation.slug}, follow=True)

    assert PlanRun.objects.count() == 1
    assertRedirects(response, url("plan_run", waiting))
    assertContains(response, "The planner is already running for")


def test_another_programme_cannot_be_planned(client, cohort, carol):
    client.force_login(carol)

    response = client.post(PLANNER_URL, {"programme": cohort.slug})

    assert response.status_code == 400
    assert PlanRun.objects.count() == 0


# --- scope ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan_run", "plan_run_progress"])
def test_run_pages_are_not_found_for_other_coordinators_and_applicants(client, rotation, carol, dave, name):
    application = make_application(rotation, start=weeks_ahead(20), weeks=2)
    run = PlanRun.objects.create(programme=rotation, created_by=carol)

    for outsider in (dave, application.applicant):
        client.force_login(outsider)
        assert client.get(url(name, run)).status_code == 404
    client.force_login(carol)
    assert client.get(url(name, run)).status_code == 200


def test_publish_is_not_found_for_another_programmes_coordinator(client, rotation, carol, dave):
    application = make_application(rotation, start=weeks_ahead(20), weeks=2, components=(("umcg-thoracic", 2),))
    run = planned(rotation, carol)
    client.force_login(dave)

    response = client.post(url("plan_publish", run))

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_the_planner_is_not_found_for_applicants(client, rotation):
    application = make_application(rotation, start=weeks_ahead(20), weeks=2)
    client.force_login(application.applicant)

    assert client.get(PLANNER_URL).status_code == 404


# --- progress -------------------------------------------------------------------------------------


def test_progress_fragment_polls_every_second_while_the_run_works(client, rotation, carol):
    run = PlanRun.objects.create(
        programme=rotation, created_by=carol, status=PlanRunStatus.RUNNING, progress=42, stage="Solving (3 s)"
    )
    client.force_login(carol)

    response = client.get(url("plan_run_progress", run), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert f'data-hx-get="{url("plan_run_progress", run)}" data-hx-trigger="every 1s" data-hx-swap="outerHTML"' in html
    assert 'class="progress-bar plan-w-40 progress-bar-striped progress-bar-animated"' in html
    assert 'aria-valuenow="42"' in html
    assert "Solving (3 s)" in html
    assert "HX-Refresh" not in response.headers


def test_progress_fragment_stops_polling_and_reloads_the_page_when_done(client, rotation, carol):
    run = PlanRun.objects.create(
        programme=rotation, created_by=carol, status=PlanRunStatus.DONE, progress=100, stage="Done"
    )
    client.force_login(carol)

    response = client.get(url("plan_run_progress", run), headers={"HX-Request": "true"})

    assertNotContains(response, "hx-trigger")
    assertContains(response, 'class="progress-bar plan-w-100 bg-success"')
    assert response.headers["HX-Refresh"] == "true"


def test_a_failed_run_shows_its_plain_message(client, rotation, carol):
    run = PlanRun.objects.create(
        programme=rotation,
        created_by=carol,
        status=PlanRunStatus.FAILED,
        progress=30,
        stage="Solving",
        error="The planner stopped because of an unexpected error; nothing was changed. Please run it again.",
    )
    client.force_login(carol)

    response = client.get(url("plan_run", run))

    assertContains(response, "The planner stopped because of an unexpected error; nothing was changed.")
    assertContains(response, "bg-danger")
    assertNotContains(response, "hx-trigger")


# --- the proposal ---------------------------------------------------------------------------------


def test_run_page_shows_figures_proposal_and_the_unplaced_with_reasons(client, rotation, carol):
    start = weeks_ahead(18)
    for offering in rotation.offerings.exclude(department__slug="umcg-thoracic").select_related("department"):
        for week in (start, start + timedelta(weeks=1)):
            offering.department.capacity_overrides.create(week=week, capacity=0)
    first, second, third = thoracic_requests(rotation, start, 3)[:3]
    third.start_date, third.end_date = start, start + timedelta(days=11)
    third.save()
    run = planned(rotation, carol)
    client.force_login(carol)

    response = client.get(url("plan_run", run))

    rows = response.context["rows"]
    assert [row.application for row in rows] == [first, second]
    assert response.context["current"] is True
    html = response.content.decode()
    weeks = f"{week_number(start)}–{week_number(start, 1)}"
    assert f"Weeks {weeks}</span> · Thoracic radiology" in html
    for application in (first, second):
        assert reverse("staff:application", kwargs={"uuid": application.uuid}) in html
        assert reverse("staff_placements:assign", kwargs={"uuid": application.uuid}) in html
    assert f"?programme={rotation.slug}&amp;start={start.isoformat()}" in html
    assert [u["reference"] for u in run.unplaced] == [third.reference]
    assertContains(response, f"Thoracic radiology is full in weeks {weeks}")
    assertContains(response, '<dd class="fs-4 mb-0 plan-unplaced">1</dd>', html=True)
    assertContains(response, "Publish all offers")


def test_run_page_marks_an_application_edited_by_hand(client, rotation, carol):
    application = thoracic_requests(rotation, weeks_ahead(18), 1)[0]
    run = planned(rotation, carol)
    Placement.objects.filter(plan_run=run).update(status=P.CANCELLED)
    place(application, "umcg-abdominal", application.start_date, weeks=2, status=P.PROPOSED)
    client.force_login(carol)

    response = client.get(url("plan_run", run))

    [row] = response.context["rows"]
    assert (row.edited, row.departure) == (True, "Not as requested")
    assertContains(response, "Edited")
    assertContains(response, "Not as requested")


@pytest.mark.parametrize("count", [1, 8])
def test_run_page_query_count_does_not_grow_with_the_proposal(
    client, rotation, carol, count, django_assert_num_queries
):
    thoracic_requests(rotation, weeks_ahead(18), count)
    run = planned(rotation, carol)
    client.force_login(carol)
    client.get(url("plan_run", run))  # the security middleware keeps the role and the authenticator in the session

    # user, staff check (the session comes from the cache); run; latest run; applications, their
    # components, their placements
    with django_assert_num_queries(7):
        response = client.get(url("plan_run", run))

    assert len(response.context["rows"]) == count


# --- publishing -----------------------------------------------------------------------------------


def test_publish_all_offers_each_one_and_reports_the_one_that_no_longer_fits(client, rotation, carol):
    start = weeks_ahead(18)
    applications = thoracic_requests(rotation, start, 4)
    run = planned(rotation, carol)
    assert Placement.objects.filter(plan_run=run, status=P.PROPOSED).count() == 4
    # Meanwhile a coordinator confirmed someone in thoracic radiology in the last weeks: one seat fewer.
    weeks = start + timedelta(weeks=2)
    holder = make_application(rotation, status=S.CONFIRMED, start=weeks, weeks=2)
    place(holder, "umcg-thoracic", weeks, weeks=2, status=P.CONFIRMED)
    lowest = applications[3]
    client.force_login(carol)

    response = client.post(url("plan_publish", run), follow=True)

    assertContains(
        response,
        f"3 offers published, 1 not published: Thoracic radiology is full in weeks "
        f"{week_number(weeks)}–{week_number(weeks, 1)} "
        f"({lowest.reference}).",
    )
    statuses = {a.reference: a.status for a in type(lowest).objects.filter(pk__in=[a.pk for a in applications])}
    assert statuses == {
        applications[0].reference: S.OFFERED,
        applications[1].reference: S.OFFERED,
        applications[2].reference: S.OFFERED,
        lowest.reference: S.ACCEPTED,
    }
    assert Placement.objects.filter(application=lowest, status=P.PROPOSED).count() == 1


def test_publish_twice_offers_nothing_new(client, rotation, carol):
    thoracic_requests(rotation, weeks_ahead(18), 2)
    run = planned(rotation, carol)
    client.force_login(carol)
    client.post(url("plan_publish", run))

    response = client.post(url("plan_publish", run), follow=True)

    assertContains(response, "0 offers published, 2 left alone (no longer accepted, or nothing proposed).")
    assertNotContains(response, "Publish all offers")


def test_a_replaced_run_cannot_be_published(client, rotation, carol):
    application = thoracic_requests(rotation, weeks_ahead(18), 1)[0]
    old = planned(rotation, carol)
    planned(rotation, carol)
    client.force_login(carol)

    response = client.post(url("plan_publish", old), follow=True)

    assertContains(response, "A later run of the planner replaced this proposal; publish from the latest run.")
    assertContains(response, "A later run of the planner replaced this proposal.")
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_cohort_run_page_reports_no_blocking_pair_and_marks_second_choices(client, cohort, dave):
    start = weeks_ahead(20)
    make_application(cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30),), score="4.80")
    second = make_application(
        cohort, start=start, weeks=30, components=(("azg-radiotherapy", 30), ("uzl-radiotherapy", 30)), score="4.10"
    )
    run = planned(cohort, dave)
    client.force_login(dave)

    response = client.get(url("plan_run", run))

    assertContains(response, '<dd class="fs-4 mb-0 plan-blocking">0</dd>', html=True)
    departures = {row.application.pk: row.departure for row in response.context["rows"]}
    assert departures[second.pk] == "Not the first choice"
    assert list(departures.values()).count("") == 1


# --- proposals that differ from the request ---------------------------------------------------------


def cardiovascular_request(rotation, start):
    """Four weeks of cardiovascular radiology (one seat), which is closed in the last two of them."""
    application = make_application(rotation, start=start, weeks=4, components=(("umcg-cardiovascular", 4),))
    cardiovascular = rotation.offerings.get(department__slug="umcg-cardiovascular").department
    for later in (2, 3):
        cardiovascular.capacity_overrides.create(week=start + timedelta(weeks=later), capacity=0)
    return application


def test_publish_all_holds_back_a_proposal_that_differs_from_the_request(client, rotation, carol):
    start = weeks_ahead(18)
    as_asked = thoracic_requests(rotation, start, 1)[0]
    differs = cardiovascular_request(rotation, start)
    run = planned(rotation, carol)
    proposed = Placement.objects.filter(application=differs, status=P.PROPOSED)
    given = {p.department.slug for p in proposed}
    assert given - {"umcg-cardiovascular"} and "umcg-nuclear-medicine" not in given  # other radiology sections
    count = proposed.count()
    client.force_login(carol)

    response = client.post(url("plan_publish", run), follow=True)

    assertContains(
        response,
        f"1 offer published, 1 held back because its proposal differs from the request ({differs.reference}): "
        "confirm it on its row.",
    )
    as_asked.refresh_from_db()
    differs.refresh_from_db()
    assert (as_asked.status, differs.status) == (S.OFFERED, S.ACCEPTED)
    assert proposed.count() == count
    assert response.context["awaiting"] == 1
    assertContains(response, "1 proposal differs from what was asked")
    confirm = reverse("staff_placements:plan_publish_one", kwargs={"uuid": run.uuid, "application": differs.uuid})
    assertContains(response, f'action="{confirm}"')
    assertNotContains(response, ">Publish all offers</button>")


def test_confirm_and_publish_offers_the_proposal_as_it_stands(client, rotation, carol, mailoutbox):
    differs = cardiovascular_request(rotation, weeks_ahead(18))
    run = planned(rotation, carol)
    proposed = set(Placement.objects.filter(application=differs, status=P.PROPOSED).values_list("pk", flat=True))
    client.force_login(carol)

    response = client.post(
        reverse("staff_placements:plan_publish_one", kwargs={"uuid": run.uuid, "application": differs.uuid}),
        follow=True,
    )

    differs.refresh_from_db()
    assert differs.status == S.OFFERED
    assert set(Placement.objects.filter(application=differs, status=P.OFFERED).values_list("pk", flat=True)) == proposed
    assertContains(response, f"The offer to {differs.reference} is published; the applicant has until")
    assert response.context["awaiting"] == 0
    assertNotContains(response, "Confirm and publish")


def test_confirm_and_publish_refuses_an_application_outside_the_run(client, rotation, carol):
    run = planned(rotation, carol)
    elsewhere = make_application(rotation, start=weeks_ahead(30), weeks=2, components=(("umcg-thoracic", 2),))
    place(elsewhere, "umcg-thoracic", elsewhere.start_date, weeks=2, status=P.PROPOSED)
    client.force_login(carol)

    response = client.post(
        reverse("staff_placements:plan_publish_one", kwargs={"uuid": run.uuid, "application": elsewhere.uuid}),
        follow=True,
    )

    assertContains(response, "This application is not part of the run&#x27;s proposal.")
    elsewhere.refresh_from_db()
    assert elsewhere.status == S.ACCEPTED
