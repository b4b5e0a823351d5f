"""Every look at an applicant's document by staff is noted on the application's timeline (staff only).

One entry per person, document, way of opening (download or preview) and hour: previews load as
thumbnails on every visit of the staff page, and the timeline must stay readable.

Personas:
- alice: applicant; opening her own documents is not noted.
- carol: coordinator of the rotation programme; her downloads and previews are noted.
- dave: coordinator of the cohort programme only; gets 404 and nothing is noted.
- root: superuser; noted like carol.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from applicants.enums import EventKind
from applicants.models import Document, Event
from applicants.services.applications import application_submit
from tests.applicants.builders import complete_draft, make_applicant
from tests.web import body_of

pytestmark = pytest.mark.django_db


def viewed(application) -> list[tuple[str, str, bool]]:
    return list(
        Event.objects.filter(application=application, kind=EventKind.DOCUMENT_VIEWED)
        .order_by("id")
        .values_list("actor__email", "message", "internal")
    )


def fetch(client, name: str, document: Document):
    response = client.get(reverse(f"applicants:document_{name}", kwargs={"uuid": document.uuid}))
    if response.streaming:
        body_of(response)
    return response


@pytest.fixture
def alice():
    return make_applicant("alice@example.org")


@pytest.fixture
def application(rotation, alice):
    application = complete_draft(rotation, alice)
    return application_submit(application=application, by=alice)


@pytest.fixture
def letter(application) -> Document:
    document = application.documents.get(document_type__code="motivation-letter")
    document.preview.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return document


def test_coordinator_download_is_noted_as_internal_with_who_and_what(client, carol, application, letter):
    client.force_login(carol)

    response = fetch(client, "download", letter)

    assert response.status_code == 200
    assert viewed(application) == [("carol@example.org", "Viewed Motivation letter (download)", True)]


def test_download_and_preview_are_noted_separately(client, carol, application, letter):
    client.force_login(carol)

    fetch(client, "preview", letter)
    fetch(client, "download", letter)

    assert [message for _, message, _ in viewed(application)] == [
        "Viewed Motivation letter (preview)",
        "Viewed Motivation letter (download)",
    ]


def test_repeated_views_within_the_hour_are_noted_once(client, carol, application, letter):
    client.force_login(carol)

    for _ in range(3):
        fetch(client, "preview", letter)

    assert len(viewed(application)) == 1


def test_a_view_an_hour_later_is_noted_again(client, carol, application, letter):
    client.force_login(carol)
    fetch(client, "download", letter)
    Event.objects.filter(kind=EventKind.DOCUMENT_VIEWED).update(created_at=timezone.now() - timedelta(minutes=61))

    fetch(client, "download", letter)

    assert len(viewed(application)) == 2


def test_each_staff_member_is_noted(client, carol, root, application, letter):
    for user in (carol, root):
        client.force_login(user)
        fetch(client, "download", letter)

    assert [email for email, _, _ in viewed(application)] == ["carol@example.org", "root@example.org"]


def test_the_applicant_opening_her_own_document_is_not_noted(client, alice, application, letter):
    client.force_login(alice)

    assert fetch(client, "download", letter).status_code == 200
    assert fetch(client, "preview", letter).status_code == 200
    assert viewed(application) == []


def test_coordinator_of_another_programme_gets_404_and_nothing_is_noted(client, dave, application, letter):
    client.force_login(dave)

    assert fetch(client, "download", letter).status_code == 404
    assert viewed(application) == []


def test_a_missing_file_is_a_404_and_not_noted(client, carol, application, letter):
    letter.file.storage.delete(letter.file.name)
    client.force_login(carol)

    assert fetch(client, "download", letter).status_code == 404
    assert viewed(application) == []


def test_views_are_on_the_staff_timeline_but_not_on_the_applicants(client, carol, alice, application, letter):
    client.force_login(carol)
    fetch(client, "download", letter)

    staff_page = client.get(reverse("staff:application_history", kwargs={"uuid": application.uuid}))
    client.force_login(alice)
    own_page = client.get(application.get_absolute_url())

    assert "Viewed Motivation letter (download)" in staff_page.content.decode()
    assert "Viewed Motivation letter" not in own_page.content.decode()
