"""A proposal that differs from the request, in a real browser: the applicant asked for four weeks of
cardiovascular radiology, which has room for two; "Publish all offers" publishes the others, leaves it
unpublished and says so; the coordinator confirms it on its own row and only then is it offered."""

from datetime import timedelta

import pytest

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, PlanRun
from placements.allocation.services.planning import plan_run_execute
from tests.browser.helpers import sign_in
from tests.factories import make_staff
from tests.placements.helpers import department, make_application, weeks_ahead
from tests.totp import totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_all_holds_back_what_was_not_asked_for_until_the_coordinator_confirms_it(catalogue, live_server, page):
    rotation = catalogue["rotation"]
    start = weeks_ahead(16)
    coordinator = make_staff("femke", rotation, first_name="Femke", last_name="Bakker")
    as_asked = make_application(
        rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),), first="Lena", last="Novak"
    )
    differs = make_application(
        rotation, start=start, weeks=4, components=(("umcg-cardiovascular", 4),), first="Kofi", last="Mensah"
    )
    for later in (2, 3):  # cardiovascular radiology has room in the first two of the four weeks only
        department("umcg-cardiovascular").capacity_overrides.create(week=start + timedelta(weeks=later), capacity=0)
    run = PlanRun.objects.create(programme=rotation, created_by=coordinator)
    plan_run_execute(run_id=run.pk, time_limit=10)

    # The proposal marks Kofi's rotation as not what he asked for, without nuclear medicine.
    sign_in(page, live_server.url, coordinator.email, totp_secret=totp_secret(coordinator))
    page.goto(f"{live_server.url}/staff/placements/planner/{run.uuid}/")
    row = page.get_by_role("row").filter(has_text=differs.reference)
    assert "Not as requested" in row.inner_text()
    assert "Nuclear medicine" not in row.inner_text()
    held = page.get_by_role("status").filter(has_text="differs")
    assert "1 proposal differs from what was asked" in held.inner_text()

    # Publishing all offers publishes Lena's and says that Kofi's is held back.
    page.get_by_role("button", name="Publish all offers").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.inner_text() == (
        f"1 offer published, 1 held back because its proposal differs from the request ({differs.reference}): "
        "confirm it on its row."
    )
    as_asked.refresh_from_db()
    differs.refresh_from_db()
    assert (as_asked.status, differs.status) == (ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED)
    row = page.get_by_role("row").filter(has_text=differs.reference)
    assert "Accepted" in row.inner_text()

    # The coordinator confirms it on its row: now it is offered, as proposed.
    row.get_by_role("button", name=f"Confirm and publish the proposal for {differs.reference}").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.inner_text().startswith(f"The offer to {differs.reference} is published")
    differs.refresh_from_db()
    assert differs.status == ApplicationStatus.OFFERED
    offered = Placement.objects.filter(application=differs, status=PlacementStatus.OFFERED)
    assert offered.exists() and not offered.filter(department__slug="umcg-nuclear-medicine").exists()
    assert page.get_by_role("button", name=f"Confirm and publish the proposal for {differs.reference}").count() == 0
