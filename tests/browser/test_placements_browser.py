"""Placements in a real browser: the coordinator reads the capacity calendar, sees who holds a seat,
publishes an offer; the applicant accepts it; the calendar then shows the seats taken."""

from datetime import timedelta

import pytest

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from tests.browser.helpers import sign_in
from tests.factories import make_staff
from tests.placements.helpers import make_application, place, weeks_ahead
from tests.totp import totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_offers_a_seat_the_applicant_accepts_and_the_calendar_fills(catalogue, live_server, page, browser):
    rotation = catalogue["rotation"]
    week = weeks_ahead(10)
    number = week.isocalendar().week
    coordinator = make_staff("jorrit", rotation, first_name="Jorrit", last_name="de Vries")
    secret = totp_secret(coordinator)
    holder = make_application(rotation, status=ApplicationStatus.CONFIRMED, start=week, first="Zoë", last="Janssen")
    place(holder, "umcg-thoracic", week, weeks=2, status=PlacementStatus.CONFIRMED)
    amira = make_application(
        rotation, start=week, weeks=2, components=(("umcg-thoracic", 2),), first="Amira", last="Haddad"
    )

    # The coordinator sees a held seat on the calendar and who holds it.
    sign_in(page, live_server.url, coordinator.email, totp_secret=secret)
    page.goto(f"{live_server.url}/staff/placements/calendar/?start={week.isoformat()}")
    cell = page.get_by_role("link", name=f"1/2: Thoracic radiology, UMCG, week {number}: 1 of 2 seats used", exact=True)
    assert cell.inner_text() == "1/2"
    assert "cal-partly" in cell.locator("xpath=..").get_attribute("class")
    cell.click()
    page.wait_for_url(f"**/{week.isoformat()}/")
    row = page.get_by_role("row").filter(has_text="Zoë Janssen")
    assert holder.reference in row.inner_text()
    assert "Confirmed" in row.inner_text()

    # ... and publishes an offer for Amira from the assignment page, prefilled from her request.
    page.goto(f"{live_server.url}/staff/placements/applications/{amira.uuid}/assign/")
    assert page.get_by_text("No conflicts: every week has a free seat").is_visible()
    page.get_by_role("button", name="Publish offer").click()
    page.wait_for_url(f"**/staff/applications/{amira.uuid}/")
    assert "The offer is published" in page.get_by_role("alert").first.inner_text()

    # Amira accepts in her own browser.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    applicant_page = context.new_page()
    sign_in(applicant_page, live_server.url, amira.applicant.email)
    applicant_page.goto(f"{live_server.url}/me/applications/{amira.uuid}/")
    assert "Your placement offer" in applicant_page.locator(".placement-schedule").inner_text()
    applicant_page.get_by_role("button", name="Accept the placement").click()
    applicant_page.wait_for_load_state()
    assert "You accepted the placement." in applicant_page.get_by_role("alert").first.inner_text()
    assert applicant_page.get_by_role("link", name="Download placement confirmation (PDF)").is_visible()
    context.close()

    # The calendar now shows both seats taken.
    page.goto(f"{live_server.url}/staff/placements/calendar/?start={week.isoformat()}")
    full = page.get_by_role("link", name=f"2/2: Thoracic radiology, UMCG, week {number}: 2 of 2 seats used", exact=True)
    assert full.inner_text() == "2/2"
    assert "cal-full" in full.locator("xpath=..").get_attribute("class")
    following = week + timedelta(weeks=1)
    assert page.get_by_role(
        "link",
        name=f"2/2: Thoracic radiology, UMCG, week {following.isocalendar().week}: 2 of 2 seats used",
        exact=True,
    ).is_visible()


def test_calendar_scrolls_sideways_on_a_phone_with_the_department_column_in_view(catalogue, live_server, browser):
    rotation = catalogue["rotation"]
    coordinator = make_staff("phone", rotation)
    secret = totp_secret(coordinator)
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()

    sign_in(page, live_server.url, coordinator.email, totp_secret=secret)
    page.goto(f"{live_server.url}/staff/placements/calendar/")
    page_overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    scroller = page.locator(".cal-scroll")
    scroller.evaluate("element => element.scrollLeft = 2000")
    header = page.get_by_role("rowheader", name="Thoracic radiology")
    box = header.bounding_box()

    assert page_overflow == 0
    assert scroller.evaluate("element => element.scrollLeft") > 0
    assert box is not None and 0 <= box["x"] < 40
    context.close()
