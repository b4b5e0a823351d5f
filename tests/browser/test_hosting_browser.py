"""Host departments in a real browser: a coordinator invites a supervisor for UMCG radiology and asks
the department to confirm a proposed placement in one of its sections; the invitee follows the link
in the e-mail, sets a password and an authenticator app, lands on their placements, confirms the
placement and finds the trainee on their calendar; the coordinator then reads the answer."""

import re

import pytest

from placements.allocation.enums import PlacementStatus
from portal.mail.models import EmailCode, EmailLog
from tests.browser.helpers import sign_in
from tests.factories import make_staff
from tests.placements.helpers import department, make_application, place, weeks_ahead
from tests.totp import totp_code, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]
PASSWORD = "Radiology supervisor 2027"


def test_invite_a_supervisor_who_confirms_a_placement_and_sees_it_on_the_calendar(
    rotation, live_server, page, browser, settings, email_templates
):
    settings.SITE_URL = live_server.url
    carol = make_staff("carol", rotation)
    application = make_application(rotation, start=weeks_ahead(9), weeks=2, first="Ines", last="Costa")
    placement = place(application, "umcg-thoracic", weeks_ahead(9), weeks=2, status=PlacementStatus.PROPOSED)
    radiology = department("umcg-radiology")

    # The coordinator invites the supervisor, then asks the department to confirm the proposal.
    sign_in(page, live_server.url, carol.email, totp_secret=totp_secret(carol))
    page.get_by_role("link", name="Host supervisors").click()
    page.get_by_label("E-mail address").fill("hanna@umcg.example")
    page.get_by_label("First name").fill("Hanna")
    page.get_by_label(radiology.label, exact=True).check()
    page.get_by_role("button", name="Send the invitation").click()
    assert "hanna@umcg.example is invited" in page.get_by_role("alert").first.inner_text()
    page.goto(f"{live_server.url}/staff/applications/{application.uuid}/")
    page.get_by_role("button", name="Ask the department to confirm").click()
    assert page.get_by_text("Department asked, no answer yet").is_visible()

    # The invitee follows the link, sets a password and the authenticator app.
    body = EmailLog.objects.get(template_code=EmailCode.HOST_INVITATION).body
    link = re.search(r"http\S+/hosting/invitations/\S+/", body).group(0)
    host = browser.new_context().new_page()
    host.goto(link)
    host.locator("input[name=password1]").fill(PASSWORD)
    host.locator("input[name=password2]").fill(PASSWORD)
    host.get_by_role("button", name="Set the password").click()
    host.wait_for_url("**/2fa/totp/activate/**")
    secret = host.locator("#authenticator_secret").input_value()
    host.get_by_label("Authenticator code").fill(totp_code(secret))
    host.get_by_role("button", name="Activate").click()
    host.get_by_role("link", name="Continue to the portal").click()
    assert host.get_by_role("heading", level=1).inner_text() == "My placements"

    # The supervisor confirms the placement and sees the trainee on the calendar.
    host.get_by_role("link", name="Ines Costa").click()
    host.get_by_label("Confirm the placement").check()
    host.get_by_role("button", name="Send the answer").click()
    assert host.get_by_role("alert").first.inner_text() == "You confirmed the placement."
    host.goto(f"{live_server.url}/hosting/calendar/?start={placement.start_week.isoformat()}")
    row = host.get_by_role("row").filter(has_text="Ines Costa")
    assert row.get_by_text("✓").count() == 2

    # The coordinator reads the answer on the application page and on the capacity calendar.
    page.reload()
    assert page.get_by_text("Confirmed by the department").is_visible()
    page.goto(f"{live_server.url}/staff/placements/calendar/?start={placement.start_week.isoformat()}")
    answers = page.get_by_role("region", name="Departments' answers")
    assert "✓ Confirmed by the department" in answers.inner_text()
