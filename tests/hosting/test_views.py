"""The supervisors' pages and the coordinators' host panels, as their users see them.

Personas:
- sam: supervises UMCG radiology (its sections too); sees its trainees, never anything else.
- carol: coordinator of the rotation programme; asks departments to confirm, reads their answers.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from applicants.enums import ApplicationStatus
from placements.allocation.enums import PlacementStatus
from placements.catalogue.models import DocumentType
from placements.hosting.models import Absence, HostConfirmation
from tests.applicants.staff_builders import make_document
from tests.hosting.helpers import make_supervisor
from tests.placements.helpers import make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
P = PlacementStatus


@pytest.fixture
def sam(rotation):
    return make_supervisor("sam", "umcg-radiology")


def trainee_placement(rotation, *, status=P.CONFIRMED, first="Ana", start=None):
    start = start or weeks_ahead(4)
    application = make_application(rotation, start=start, weeks=2, first=first, status=ApplicationStatus.CONFIRMED)
    return place(application, "umcg-thoracic", start, weeks=2, status=status)


def test_the_list_shows_who_comes_when_and_nothing_of_other_departments(client, sam, rotation):
    placement = trainee_placement(rotation)
    other = make_application(rotation, start=weeks_ahead(4), weeks=1, first="Nina", last="Nuclear")
    place(other, "umcg-nuclear-medicine", weeks_ahead(4), status=P.CONFIRMED)
    client.force_login(sam)

    response = client.get(reverse("hosting:placements"))

    assertContains(response, "Ana Silva")
    assertContains(response, rotation.title)
    assertContains(response, placement.department.label)
    assertContains(response, placement.application.applicant.email)
    assertContains(response, "Confirmed")
    assertNotContains(response, "Nina")


@pytest.mark.parametrize("count", [1, 8])
def test_the_list_query_count_does_not_grow_with_rows(client, sam, rotation, count, django_assert_num_queries):
    for number in range(count):
        trainee_placement(rotation, first=f"Trainee{number}")
    client.force_login(sam)
    client.get(reverse("hosting:placements"))  # the session remembers the role and the authenticator

    # user, supervisor check, placements (with their confirmations), departments, the calendar feed's link
    with django_assert_num_queries(5):
        response = client.get(reverse("hosting:placements"))

    assert response.status_code == 200


def test_the_placement_page_offers_only_the_documents_shared_with_hosts(client, sam, rotation):
    placement = trainee_placement(rotation)
    cv, letter = DocumentType.objects.get(code="cv"), DocumentType.objects.exclude(code="cv").first()
    rotation.programme_documents.filter(document_type=cv).update(shared_with_hosts=True)
    shared = make_document(placement.application, cv, name="ana-cv.pdf")
    hidden = make_document(placement.application, letter, name="ana-letter.pdf")
    client.force_login(sam)

    response = client.get(reverse("hosting:placement", kwargs={"uuid": placement.uuid}))

    assertContains(response, "ana-cv.pdf")
    assertNotContains(response, "ana-letter.pdf")
    download = client.get(reverse("hosting:document", kwargs={"uuid": placement.uuid, "document_uuid": shared.uuid}))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    refused = client.get(reverse("hosting:document", kwargs={"uuid": placement.uuid, "document_uuid": hidden.uuid}))
    assert refused.status_code == 404


def test_the_supervisor_confirms_and_the_coordinator_reads_it(client, sam, carol, rotation, email_templates):
    placement = trainee_placement(rotation, status=P.OFFERED)
    placement.application.status = ApplicationStatus.OFFERED
    placement.application.save(update_fields=["status"])
    client.force_login(carol)
    staff_page = reverse("staff:application", kwargs={"uuid": placement.application.uuid})
    ask = reverse(
        "staff_hosting:request_confirmation",
        kwargs={"uuid": placement.application.uuid, "placement_uuid": placement.uuid},
    )
    assertContains(client.get(staff_page), "Ask the department to confirm")
    client.post(ask, {"note": "Two weeks in thoracic."})
    assertContains(client.get(staff_page), "Department asked, no answer yet")

    client.force_login(sam)
    page = reverse("hosting:placement", kwargs={"uuid": placement.uuid})
    refused = client.post(reverse("hosting:answer", kwargs={"uuid": placement.uuid}), {"answer": "decline"})
    assertContains(refused, "Say why the department declines the placement.", status_code=400)
    client.post(reverse("hosting:answer", kwargs={"uuid": placement.uuid}), {"answer": "confirm"})
    assertContains(client.get(page), "Confirmed by the department")

    client.force_login(carol)
    assertContains(client.get(staff_page), "✓ Confirmed by the department")
    calendar = client.get(reverse("staff_placements:calendar"), {"start": placement.start_week.isoformat()})
    assertContains(calendar, "✓ Confirmed by the department")
    assert HostConfirmation.objects.get().answered_by == sam


def test_an_absence_recorded_by_the_supervisor_shows_to_the_trainee_and_the_coordinator(client, sam, carol, rotation):
    placement = trainee_placement(rotation, status=P.IN_PROGRESS, start=weeks_ahead(0))
    day = placement.start_week + timedelta(days=2)
    client.force_login(sam)

    wrong = client.post(
        reverse("hosting:absence", kwargs={"uuid": placement.uuid}),
        {"first_day": day.isoformat(), "last_day": (day - timedelta(days=1)).isoformat(), "reason": "Ill"},
    )
    assert wrong.status_code == 400
    client.post(
        reverse("hosting:absence", kwargs={"uuid": placement.uuid}),
        {"first_day": day.isoformat(), "last_day": day.isoformat(), "reason": "Dentist"},
    )

    assert list(Absence.objects.values_list("reason", flat=True)) == ["Dentist"]
    client.force_login(placement.application.applicant)
    assertContains(client.get(placement.application.get_absolute_url()), "Dentist")
    assertContains(client.get(placement.application.get_absolute_url()), "In progress")
    client.force_login(carol)
    assertContains(client.get(reverse("staff:application", kwargs={"uuid": placement.application.uuid})), "Dentist")


def test_the_calendar_marks_each_week_of_a_trainee(client, sam, rotation):
    placement = trainee_placement(rotation, first="Cato")
    client.force_login(sam)

    response = client.get(reverse("hosting:calendar"), {"start": placement.start_week.isoformat()})

    rows = response.context["rows"]
    assert [row.cells[:3] for row in rows] == [[True, True, False]]
    assertContains(response, "Cato Silva")


def test_a_supervisor_lands_on_my_placements_and_has_the_link(client, sam):
    client.force_login(sam)

    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("hosting:placements")
    assertContains(response, f'href="{reverse("hosting:placements")}"')


def test_the_staff_panels_name_a_renamed_department_at_once(client, carol, rotation):
    """The panels take the departments from the catalogue's cache: a change to one shows on the
    next page, as does a placement in a department the programme no longer offers."""
    placement = trainee_placement(rotation, status=P.CONFIRMED)
    page = reverse("staff:application", kwargs={"uuid": placement.application.uuid})
    client.force_login(carol)
    assertContains(client.get(page), placement.department.name)

    department = placement.department
    department.name = "Thoracic imaging, new wing"
    department.save()
    panels = client.get(page).content.decode().split('class="card shadow-sm mb-4 placements-panel"')[1]
    assert panels.count("Thoracic imaging, new wing") == 2  # the placements panel and the host departments'

    placement.application.components.all().delete()
    department.offerings.all().delete()
    panels = client.get(page).content.decode().split('class="card shadow-sm mb-4 placements-panel"')[1]
    assert panels.count("Thoracic imaging, new wing") == 2
