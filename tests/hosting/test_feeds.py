"""Private calendar feeds: what each reader's feed lists, its address by secret token, renewal, and
the 404 once the reader may no longer see it.

Personas:
- ana: trainee of the rotation, with a confirmed placement in UMCG thoracic radiology (a section of radiology).
- nina: another rotation trainee, offered a placement in UMCG nuclear medicine.
- sam: supervises UMCG radiology (and so its sections): sees Ana's placement, never Nina's.
- carol: coordinator of the rotation: sees both; dave, coordinator of the cohort: sees neither.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.hosting.feeds import feed_token
from placements.hosting.models import FeedKind, FeedToken, Supervision
from tests.hosting.helpers import make_supervisor
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
P = PlacementStatus


@pytest.fixture
def ana_placement(rotation):
    application = make_application(rotation, start=weeks_ahead(3), weeks=2, status=ApplicationStatus.CONFIRMED)
    return place(application, "umcg-thoracic", weeks_ahead(3), weeks=2, status=P.CONFIRMED)


@pytest.fixture
def nina_placement(rotation):
    application = make_application(rotation, start=weeks_ahead(5), weeks=1, first="Nina", last="Nuclear")
    return place(application, "umcg-nuclear-medicine", weeks_ahead(5), weeks=1, status=P.OFFERED)


@pytest.fixture
def sam(rotation):
    return make_supervisor("sam", "umcg-radiology")


def feed_url(user, kind) -> str:
    return reverse("feeds:feed", kwargs={"token": feed_token(user, kind).token})


def events_of(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_the_trainees_feed_has_their_placement_with_where_and_when(client, ana_placement, nina_placement):
    ana = ana_placement.application.applicant

    response = client.get(feed_url(ana, FeedKind.APPLICANT))  # no session: calendar clients cannot sign in

    [event] = events_of(response)
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "My placements"
    assert event["UID"] == f"placement-{ana_placement.uuid}@127.0.0.1"
    assert event.decoded("DTSTART") == ana_placement.start_week
    assert event.decoded("DTEND") == ana_placement.end_date + timedelta(days=1)  # all-day: Saturday, exclusive
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == f"Placement: {ana_placement.department.label}"
    assert ana_placement.department.label in str(event["LOCATION"])
    assert "Nina" not in response.content.decode()


def test_an_offer_is_tentative_and_a_proposal_is_not_shown(client, rotation, nina_placement):
    nina = nina_placement.application.applicant
    place(nina_placement.application, "umcg-nuclear-medicine", weeks_ahead(9), status=P.PROPOSED)

    [event] = events_of(client.get(feed_url(nina, FeedKind.APPLICANT)))

    assert str(event["STATUS"]) == "TENTATIVE"


def test_the_supervisors_feed_has_their_departments_placements_only(client, sam, ana_placement, nina_placement):
    [event] = events_of(client.get(feed_url(sam, FeedKind.SUPERVISOR)))

    assert event["UID"] == f"placement-{ana_placement.uuid}@127.0.0.1"
    assert "Ana Silva" in str(event["SUMMARY"])
    assert "Trainee: Ana Silva" in str(event["DESCRIPTION"])


def test_the_coordinators_feed_has_their_programmes_placements_only(client, carol, dave, ana_placement, nina_placement):
    uids = {str(event["UID"]) for event in events_of(client.get(feed_url(carol, FeedKind.COORDINATOR)))}

    assert uids == {f"placement-{p.uuid}@127.0.0.1" for p in (ana_placement, nina_placement)}
    assert events_of(client.get(feed_url(dave, FeedKind.COORDINATOR))) == []


def test_an_unknown_token_is_a_404(client, ana_placement):
    assert client.get(reverse("feeds:feed", kwargs={"token": "x" * 43})).status_code == 404
    assert client.get("/calendars/" + "y" * 500 + ".ics").status_code == 404


def test_renewing_the_link_makes_the_old_one_a_404(client, sam, ana_placement):
    old = feed_url(sam, FeedKind.SUPERVISOR)
    client.force_login(sam)

    response = client.post(reverse("feeds:renew", kwargs={"kind": "supervisor"}), follow=True)

    new = feed_url(sam, FeedKind.SUPERVISOR)
    assert new != old
    assertContains(response, "The calendar link is renewed")
    assertContains(response, new)
    client.logout()
    assert client.get(old).status_code == 404
    assert len(events_of(client.get(new))) == 1


def test_a_supervisor_removed_from_the_department_sees_nothing_of_it(client, sam, ana_placement):
    url = feed_url(sam, FeedKind.SUPERVISOR)
    Supervision.objects.create(user=sam, department=department("umcg-nuclear-medicine"))
    Supervision.objects.filter(user=sam, department__slug="umcg-radiology").delete()

    assert events_of(client.get(url)) == []

    Supervision.objects.filter(user=sam).delete()
    assert client.get(url).status_code == 404


def test_a_coordinator_removed_from_the_programme_or_a_deactivated_user_gets_a_404(
    client, rotation, carol, ana_placement
):
    url = feed_url(carol, FeedKind.COORDINATOR)
    rotation.coordinators.remove(carol)
    assert client.get(url).status_code == 404

    ana = ana_placement.application.applicant
    ana_url = feed_url(ana, FeedKind.APPLICANT)
    ana.is_active = False
    ana.save(update_fields=["is_active"])
    assert client.get(ana_url).status_code == 404


def test_renewing_a_feed_one_may_not_have_is_a_404(client, alice):
    client.force_login(alice)

    assert client.post(reverse("feeds:renew", kwargs={"kind": "coordinator"})).status_code == 404
    assert client.post(reverse("feeds:renew", kwargs={"kind": "nonsense"})).status_code == 404
    assert not FeedToken.objects.filter(user=alice).exists()


def test_the_owner_sees_the_link_on_their_page(client, sam, ana_placement):
    client.force_login(sam)

    response = client.get(reverse("hosting:placements"))

    assertContains(response, feed_url(sam, FeedKind.SUPERVISOR))
    assertContains(response, "Renew the link")


def test_the_trainee_sees_the_link_once_offered(client, ana_placement):
    ana = ana_placement.application.applicant
    client.force_login(ana)

    response = client.get(reverse("applicants:dashboard"))

    assertContains(response, feed_url(ana, FeedKind.APPLICANT))
