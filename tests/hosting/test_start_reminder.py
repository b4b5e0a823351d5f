"""The start-date reminder: a week before a confirmed placement starts, the trainee and each supervisor
of the department get an e-mail in their own language; run twice, it sends once.

Personas:
- ana: trainee of the rotation, confirmed in UMCG thoracic radiology (a section of radiology).
- sam: supervises UMCG radiology (English); vera: supervises it too, and reads Dutch.
- olga: supervises nuclear medicine: not reminded of Ana.
"""

from datetime import timedelta

import pytest

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.hosting.reminders import remind_starts
from portal.mail.models import EmailLog
from tests.hosting.helpers import make_supervisor
from tests.placements.helpers import make_application, place, weeks_ahead

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_templates")]
P = PlacementStatus
CODE = "placement_starting"


@pytest.fixture
def placement(rotation):
    application = make_application(rotation, start=weeks_ahead(2), weeks=2, status=ApplicationStatus.CONFIRMED)
    return place(application, "umcg-thoracic", weeks_ahead(2), weeks=2, status=P.CONFIRMED)


@pytest.fixture
def hosts(rotation):
    return {
        "sam": make_supervisor("sam", "umcg-radiology"),
        "vera": make_supervisor("vera", "umcg-radiology", language="nl"),
        "olga": make_supervisor("olga", "umcg-nuclear-medicine"),
    }


def test_a_week_before_the_trainee_and_the_supervisors_are_reminded_once(placement, hosts):
    week_before = placement.start_week - timedelta(days=7)

    assert remind_starts(today=week_before - timedelta(days=1)) == 0  # too early
    assert remind_starts(today=week_before) == 3
    assert remind_starts(today=week_before) == 0
    assert remind_starts(today=week_before + timedelta(days=2)) == 0

    logs = {log.to: log for log in EmailLog.objects.filter(template_code=CODE)}
    ana = placement.application.applicant
    assert set(logs) == {ana.email, "sam@example.org", "vera@example.org"}
    start = placement.start_week
    assert logs[ana.email].subject == f"The placement of Ana Silva starts on {start.day} {start:%B %Y}"
    assert placement.department.label in logs["sam@example.org"].body
    assert f"/hosting/placements/{placement.uuid}/" in logs["sam@example.org"].body
    assert f"/me/applications/{placement.application.uuid}/" in logs[ana.email].body
    assert logs["vera@example.org"].subject.startswith("De stage van Ana Silva begint op")
    assert logs["vera@example.org"].language == "nl"


def test_a_beat_that_missed_the_day_still_reminds_before_the_start(placement, hosts):
    assert remind_starts(today=placement.start_week - timedelta(days=2)) == 3
    assert remind_starts(today=placement.start_week) == 0  # the first day: too late, and sent already


@pytest.mark.parametrize("status", [P.OFFERED, P.PROPOSED, P.IN_PROGRESS, P.DECLINED])
def test_only_confirmed_placements_are_reminded(rotation, status):
    application = make_application(rotation, start=weeks_ahead(2), weeks=1)
    placement = place(application, "umcg-thoracic", weeks_ahead(2), status=status)

    assert remind_starts(today=placement.start_week - timedelta(days=7)) == 0


def test_a_deactivated_supervisor_is_not_reminded(placement, hosts):
    hosts["vera"].is_active = False
    hosts["vera"].save(update_fields=["is_active"])

    remind_starts(today=placement.start_week - timedelta(days=7))

    assert "vera@example.org" not in set(EmailLog.objects.filter(template_code=CODE).values_list("to", flat=True))
