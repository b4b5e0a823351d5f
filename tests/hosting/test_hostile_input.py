"""No input gives a 500 on the host departments' pages: odd dates, values of the wrong type, long
strings and forged links are answered with a page, a 400 or a 404.

Personas: sam supervises UMCG radiology; carol coordinates the rotation programme.
"""

import pytest
from django.urls import reverse

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from tests.hosting.helpers import make_supervisor
from tests.placements.helpers import make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
ODD = ["", "x", "0000-00-00", "9999-12-31", "0001-01-01", "2027-02-30", "\x00", "1" * 5000, "-1"]


@pytest.fixture
def placement(rotation):
    application = make_application(rotation, start=weeks_ahead(0), weeks=2, status=ApplicationStatus.CONFIRMED)
    return place(application, "umcg-thoracic", weeks_ahead(0), weeks=2, status=PlacementStatus.IN_PROGRESS)


def test_the_supervisor_forms_and_calendar_answer_odd_values_without_an_error(client, rotation, placement):
    client.force_login(make_supervisor("sam", "umcg-radiology"))
    statuses = set()
    for value in ODD:
        statuses.add(client.get(reverse("hosting:calendar"), {"start": value}).status_code)
        for name in ("absence", "answer", "interrupt"):
            data = {"first_day": value, "last_day": value, "reason": value, "answer": value}
            statuses.add(client.post(reverse(f"hosting:{name}", kwargs={"uuid": placement.uuid}), data).status_code)

    # Some values are fine ("x" is a reason: the placement is interrupted, then the forms are refused).
    assert statuses <= {200, 302, 400, 404}


def test_forged_invitation_links_and_odd_invitations_are_refused_politely(client, carol):
    for token in ("x", "a:b:c", "eyJ1IjoxfQ:1abc:forged", "%00"):
        assert client.get(reverse("hosting:invitation", kwargs={"token": token})).status_code == 404
    client.force_login(carol)
    for value in ODD:
        response = client.post(reverse("staff_hosting:supervisors"), {"email": value, "departments": [value]})
        assert response.status_code == 400
