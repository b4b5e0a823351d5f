"""The competency logbook: the trainee logs activities within the placement, the supervisor of the
department signs them off or sends them back with a comment, a returned entry is corrected and sent
again, a signed one is locked; progress per competency for the trainee, the supervisor and the
coordinator. Nobody else sees any of it (404)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applicants.errors import DomainError
from placements.training.enums import EntryStatus
from placements.training.models import LogbookEntry
from placements.training.services.logbook import Activity, entry_add, entry_return, entry_sign
from tests.factories import make_staff
from tests.training.builders import competency_of, load_training, make_supervisor, make_trainee, this_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(cohort):
    load_training()
    return make_trainee(cohort)


@pytest.fixture
def sam(placement):
    """Supervises the trainee's department."""
    return make_supervisor("sam", "uzl-radiotherapy")


@pytest.fixture
def olga(placement):
    """Supervises another department of the same hospital: sees nothing of this placement."""
    return make_supervisor("olga", "uzl-radiology")


def page(placement):
    return reverse("training:placement", kwargs={"uuid": placement.uuid})


def log(client, placement, *, day=None, hours="2", activity="Daily output check of linac 3."):
    competency = competency_of(placement)
    data = {
        "competency": competency.pk,
        "date": (day or this_monday()).isoformat(),
        "hours": hours,
        "activity": activity,
    }
    return client.post(page(placement), data)


def test_trainee_logs_an_activity_that_waits_for_sign_off(client, placement):
    client.force_login(placement.application.applicant)

    response = log(client, placement)

    entry = LogbookEntry.objects.get()
    assert response.status_code == 302
    assert (entry.status, entry.hours, entry.activity) == (
        EntryStatus.SUBMITTED,
        Decimal("2.0"),
        "Daily output check of linac 3.",
    )
    shown = client.get(page(placement)).content.decode()
    assert "Waiting for sign-off" in shown
    assert "Daily output check of linac 3." in shown


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(weeks=-3), "Choose a day within your placement"),
        (None, "on or after the day it took place"),
    ],
)
def test_a_day_outside_the_placement_or_ahead_is_refused(client, placement, offset, message):
    client.force_login(placement.application.applicant)

    day = this_monday() + offset if offset else timezone.localdate() + timedelta(days=1)

    response = log(client, placement, day=day)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert LogbookEntry.objects.count() == 0


def test_hours_must_be_half_hours_between_half_an_hour_and_a_day(client, placement):
    client.force_login(placement.application.applicant)

    for hours in ("0", "0.3", "25", "x"):
        assert log(client, placement, hours=hours).status_code == 200

    assert LogbookEntry.objects.count() == 0


def test_supervisor_signs_off_and_the_entry_is_locked(client, placement, sam):
    entry = entry_add(placement=placement, by=placement.application.applicant, activity=_activity(placement))
    client.force_login(sam)

    response = client.post(reverse("training:entry_review", kwargs={"uuid": entry.uuid}), {"action": "sign"})

    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.status, entry.reviewed_by) == (EntryStatus.SIGNED, sam)
    client.force_login(placement.application.applicant)
    edit = client.get(reverse("training:entry_edit", kwargs={"uuid": entry.uuid}))
    assert edit.status_code == 302  # only a returned entry can be changed
    with pytest.raises(DomainError):
        entry_return(entry=entry, by=sam, comment="Too late")


def test_a_returned_entry_is_corrected_and_sent_again(client, placement, sam):
    entry = entry_add(placement=placement, by=placement.application.applicant, activity=_activity(placement))
    client.force_login(sam)
    client.post(
        reverse("training:entry_review", kwargs={"uuid": entry.uuid}), {"action": "return", "comment": "Which linac?"}
    )
    entry.refresh_from_db()
    assert (entry.status, entry.comment) == (EntryStatus.RETURNED, "Which linac?")

    client.force_login(placement.application.applicant)
    assert "Which linac?" in client.get(page(placement)).content.decode()
    url = reverse("training:entry_edit", kwargs={"uuid": entry.uuid})
    data = {
        "competency": entry.competency_id,
        "date": entry.date.isoformat(),
        "hours": "1.5",
        "activity": "Linac 3, morning.",
    }
    response = client.post(url, data)

    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.status, entry.hours, entry.activity) == (EntryStatus.SUBMITTED, Decimal("1.5"), "Linac 3, morning.")


def test_returning_needs_a_comment(client, placement, sam):
    entry = entry_add(placement=placement, by=placement.application.applicant, activity=_activity(placement))
    client.force_login(sam)

    response = client.post(
        reverse("training:entry_review", kwargs={"uuid": entry.uuid}), {"action": "return"}, follow=True
    )

    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert "Say what the trainee should change." in response.content.decode()


def test_progress_counts_signed_and_waiting_hours_per_competency(client, placement, sam):
    trainee = placement.application.applicant
    signed = entry_add(placement=placement, by=trainee, activity=_activity(placement, hours="3"))
    entry_add(placement=placement, by=trainee, activity=_activity(placement, hours="1.5"))
    entry_sign(entry=signed, by=sam)
    client.force_login(sam)

    shown = client.get(reverse("training:supervise", kwargs={"uuid": placement.uuid})).content.decode()

    assert "3 hours signed, 1.5 hours waiting" in shown  # the chart's text
    assert '<svg class="chart" id="progress-chart"' in shown
    assert "1 entry waits for your sign-off" in shown


def test_the_coordinator_sees_progress_on_the_application_page(client, placement, sam):
    entry = entry_add(placement=placement, by=placement.application.applicant, activity=_activity(placement, hours="4"))
    entry_sign(entry=entry, by=sam)
    client.force_login(make_staff("dave", placement.application.programme))

    shown = client.get(reverse("staff:application", kwargs={"uuid": placement.application.uuid})).content.decode()

    assert "4 hours signed, 0 hours waiting" in shown


def test_another_department_supervisor_and_other_people_get_404(client, placement, olga):
    entry = entry_add(placement=placement, by=placement.application.applicant, activity=_activity(placement))
    urls = [
        reverse("training:supervise", kwargs={"uuid": placement.uuid}),
        reverse("training:evaluation_fill", kwargs={"uuid": placement.uuid, "kind": "final"}),
    ]
    for user in (olga, make_staff("dave", placement.application.programme)):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        assert (
            client.post(reverse("training:entry_review", kwargs={"uuid": entry.uuid}), {"action": "sign"}).status_code
            == 404
        )
        assert client.get(page(placement)).status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_the_observership_keeps_no_logbook(client, rotation):
    load_training()
    placement = make_trainee(rotation, "owen", slug="umcg-thoracic")
    client.force_login(placement.application.applicant)

    shown = client.get(page(placement)).content.decode()

    assert "Log an activity" not in shown
    assert "Evaluations by your supervisor" in shown
    with pytest.raises(DomainError):
        entry_add(placement=placement, by=placement.application.applicant, activity=_activity(placement))


def _activity(placement, hours="2") -> Activity:
    return Activity(
        competency=competency_of(placement), date=this_monday(), activity="Linac check.", hours=Decimal(hours)
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_logbook_pages_ask_the_same_number_of_queries_for_one_entry_or_many(client, placement, sam):
    trainee = placement.application.applicant
    trainee_page = page(placement)
    supervisor_page = reverse("training:supervise", kwargs={"uuid": placement.uuid})
    entry_sign(entry=entry_add(placement=placement, by=trainee, activity=_activity(placement)), by=sam)
    client.force_login(trainee)
    one = _queries(client, trainee_page)
    client.force_login(sam)
    one_supervised = _queries(client, supervisor_page)

    for _ in range(6):
        entry_sign(entry=entry_add(placement=placement, by=trainee, activity=_activity(placement)), by=sam)
    entry_add(placement=placement, by=trainee, activity=_activity(placement))
    client.force_login(trainee)
    many = _queries(client, trainee_page)
    client.force_login(sam)

    assert (many, _queries(client, supervisor_page)) == (one, one_supervised)
