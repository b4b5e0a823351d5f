"""The planner in a real browser on the demo data, with a real worker: the coordinator of the UMCG
observership runs the planner, follows its progress, sees the proposal on the capacity calendar and
publishes all offers; an applicant accepts; the calendar then shows the seats taken."""

from io import StringIO

import pytest
from django.core.management import call_command

from applicants.enums import ApplicationStatus
from applicants.models import Application
from placements.allocation.enums import SEAT_HOLDING_STATES, PlacementStatus
from placements.allocation.models import Placement
from placements.catalogue.models import Programme
from portal.models import User
from tests.browser.helpers import sign_in
from tests.totp import give_totp

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
UMCG = "clinical-observership-radiology-nuclear-medicine"
COORDINATOR = "coordinator.groningen@portal.example"
COORDINATOR_PASSWORD = "demo-coordinator-2027"  # from the demo catalogue's accounts
APPLICANT = "applicant4@portal.example"  # Mateo García: four weeks of thoracic radiology
APPLICANT_PASSWORD = "a-long-test-password"


def cell_label(placement: Placement) -> str:
    """The calendar cell's accessible name for the first week of `placement`, from the database."""
    department, week = placement.department, placement.start_week
    active = Placement.objects.filter(department=department, start_week__lte=week, end_week__gte=week)
    used = active.filter(status__in=SEAT_HOLDING_STATES).count()
    proposed = active.filter(status=PlacementStatus.PROPOSED).count()
    seats = "seat" if department.weekly_capacity == 1 else "seats"
    shown = f"{used}/{department.weekly_capacity}" + (f" +{proposed}" if proposed else "")
    label = f"{department.label}, week {week.isocalendar().week}: {used} of {department.weekly_capacity} {seats} used"
    return f"{shown}: {label}" + (f", {proposed} proposed" if proposed else "")


def test_coordinator_plans_publishes_and_the_calendar_fills_as_the_applicant_accepts(
    live_server, celery_worker, page, browser
):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_applications", stdout=StringIO())
    umcg = Programme.objects.get(slug=UMCG)
    accepted = Application.objects.filter(programme=umcg, status=ApplicationStatus.ACCEPTED).count()
    secret = give_totp(User.objects.get(email=COORDINATOR))
    applicant = User.objects.get(email=APPLICANT)
    applicant.set_password(APPLICANT_PASSWORD)
    applicant.save(update_fields=["password"])
    mateo = Application.objects.get(applicant=applicant, programme=umcg)

    # The coordinator runs the planner for UMCG and follows its progress until it is done.
    sign_in(page, live_server.url, COORDINATOR, COORDINATOR_PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("navigation", name="Staff sections").get_by_role("link", name="Planner").click()
    page.get_by_label("Programme").select_option(label=umcg.title)
    page.get_by_role("button", name="Run the planner").click()
    page.wait_for_url("**/staff/placements/planner/*/")
    bar = page.get_by_role("progressbar", name="Progress of the planner")
    assert bar.is_visible()
    page.locator("table.plan-proposal").wait_for(timeout=180_000)  # the page reloads itself when done
    assert bar.get_attribute("aria-valuenow") == "100"
    assert page.locator(".plan-stage").inner_text() == "Done"
    assert page.locator(".plan-placed").inner_text() == str(accepted)
    assert page.locator(".plan-uncovered").inner_text() == "0 of 69"
    row = page.get_by_role("row").filter(has_text=mateo.reference)
    assert "Mateo García" in row.inner_text()
    assert row.get_by_role("link", name=f"Edit the placements of {mateo.reference}").is_visible()

    # The proposal is on the capacity calendar, marked as proposed (it holds no seat yet).
    first = Placement.objects.filter(application=mateo, status=PlacementStatus.PROPOSED).order_by("start_week")[0]
    page.get_by_role("link", name="Show on the capacity calendar").click()
    page.wait_for_url("**/staff/placements/calendar/**")
    proposed_cell = page.get_by_role("link", name=cell_label(first), exact=True)
    assert "cal-proposed" in proposed_cell.locator("xpath=..").get_attribute("class")
    assert proposed_cell.inner_text().startswith("0/")

    # Back on the run: publish all offers at once.
    page.go_back()
    page.get_by_role("button", name="Publish all offers").click()
    page.wait_for_load_state()
    # A proposal that differs from the request stays unpublished until confirmed on its own row.
    still_accepted = Application.objects.filter(programme=umcg, status=ApplicationStatus.ACCEPTED)
    held = sorted(still_accepted.values_list("reference", flat=True))
    published = f"{accepted - len(held)} offer{'' if accepted - len(held) == 1 else 's'} published"
    message = page.get_by_role("alert").first.inner_text()
    assert message.startswith(published) and all(reference in message for reference in held)
    for reference in held:
        assert "Not as requested" in page.get_by_role("row").filter(has_text=reference).inner_text()
    mateo.refresh_from_db()
    assert mateo.status == ApplicationStatus.OFFERED

    # Mateo accepts in his own browser.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    applicant_page = context.new_page()
    applicant_page.set_default_timeout(15_000)
    sign_in(applicant_page, live_server.url, APPLICANT, APPLICANT_PASSWORD)
    applicant_page.goto(f"{live_server.url}/me/applications/{mateo.uuid}/")
    applicant_page.get_by_role("button", name="Accept the placement").click()
    applicant_page.wait_for_load_state()
    assert "You accepted the placement." in applicant_page.get_by_role("alert").first.inner_text()
    context.close()

    # The calendar shows the seats taken, and Mateo confirmed in his first week.
    first.refresh_from_db()
    assert first.status == PlacementStatus.CONFIRMED
    page.goto(f"{live_server.url}/staff/placements/calendar/?programme={UMCG}&start={first.start_week.isoformat()}")
    taken = page.get_by_role("link", name=cell_label(first), exact=True)
    assert "cal-proposed" not in taken.locator("xpath=..").get_attribute("class")
    assert taken.inner_text() != f"0/{first.department.weekly_capacity}"
    taken.click()
    page.wait_for_url(f"**/{first.start_week.isoformat()}/")
    who = page.get_by_role("row").filter(has_text="Mateo García")
    assert mateo.reference in who.inner_text()
    assert "Confirmed" in who.inner_text()
