"""The insights dashboard in a real browser, at a phone's width: a chart opens as its table without
script, and a row of "Waiting longest for a decision" leads to the application's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applicants.enums import ApplicationStatus
from tests.applicants.staff_builders import make_row
from tests.browser.helpers import sign_in
from tests.factories import make_staff
from tests.totp import totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_opens_a_chart_as_a_table_and_leads_to_the_oldest_waiting_application(catalogue, live_server, page):
    rotation = catalogue["rotation"]
    coordinator = make_staff("ines", rotation, first_name="Ines", last_name="Visser")
    oldest = make_row(rotation, first="Olga", last="Oldest", submitted=timezone.now() - timedelta(days=40))
    make_row(rotation, first="Nina", last="Newer", status=ApplicationStatus.IN_REVIEW)
    page.set_viewport_size({"width": 375, "height": 800})

    sign_in(page, live_server.url, coordinator.email, totp_secret=totp_secret(coordinator))
    page.goto(f"{live_server.url}/staff/queue/")
    page.get_by_role("navigation", name="Staff sections").get_by_role("link", name="Insights").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Where we stand").is_visible()
    assert page.get_by_role("img", name="From draft to confirmed placement").is_visible()

    # The funnel's table is closed until asked for, then shows the submitted count.
    funnel = page.locator("section", has=page.get_by_role("heading", name="Funnel"))
    table = funnel.get_by_role("table")
    assert not table.is_visible()
    funnel.get_by_text("Show as table").click()
    assert table.is_visible()
    submitted = funnel.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Submitted", exact=True))
    assert submitted.inner_text().split() == ["Submitted", "2", "100%", "100%"]
    # Nothing scrolls the page sideways at 375 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The oldest waiting application leads to its page.
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting longest for a decision"))
    waiting.get_by_role("link", name=oldest.reference).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/staff/applications/{oldest.uuid}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Olga Oldest"
