"""The public catalogue: the list of published programmes and each programme's page, for anyone."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from placements.catalogue.enums import IntakeMode
from placements.catalogue.models import RotationPattern
from tests.factories import (
    EligibilityQuestionFactory,
    OfferingFactory,
    OfferingGroupFactory,
    ProgrammeDocumentFactory,
    ProgrammeFactory,
)

LIST_URL = reverse("placements:programme_list")
APPLY_LINK = re.compile(r'<a\b[^>]*\bhref="(?P<href>[^"]+)"[^>]*>\s*Apply\s*</a>')


def detail_url(programme) -> str:
    return reverse("placements:programme_detail", kwargs={"slug": programme.slug})


RECOGNIZED = '<span class="badge text-bg-light border">Recognized</span>'


def offering_row(department: str, hospital: str, *weeks: str, note: str = "", recognized: bool = True) -> str:
    """A row of a group's table: the weeks per pattern of the group (its own range without patterns); a
    recognized hospital is marked so (every hospital of the demo catalogue is)."""
    cells = "".join(f"<td>{w}</td>" for w in weeks)
    mark = f" {RECOGNIZED}" if recognized else ""
    return f"<tr><td>{department}</td><td>{hospital}{mark}</td>{cells}<td>{note}</td></tr>"


def programme_with_rules(*, offerings: int) -> object:
    """A published programme with documents, a required yes, and `offerings` departments in one group."""
    programme = ProgrammeFactory()
    ProgrammeDocumentFactory(programme=programme)
    ProgrammeDocumentFactory(programme=programme, required=False)
    EligibilityQuestionFactory(programme=programme)
    group = OfferingGroupFactory(programme=programme, max_choices=offerings)
    OfferingFactory.create_batch(offerings, group=group)
    return programme


# --- the list ------------------------------------------------------------------------------------


def test_list_shows_both_demo_programmes(client, catalogue):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert list(response.context["programmes"]) == sorted(catalogue.values(), key=lambda p: p.title)
    for programme in catalogue.values():
        assertContains(response, f'href="{detail_url(programme)}"', count=1)
        assertContains(response, escape(programme.title), count=1)
    assertContains(response, "apply at least 3 months ahead")
    assertContains(response, "apply at least 2 months ahead")


def test_list_leaves_out_unpublished_programme(client, catalogue):
    hidden = ProgrammeFactory(title="Summer school in dosimetry", published=False)

    response = client.get(LIST_URL)

    assert hidden not in response.context["programmes"]
    assertNotContains(response, "Summer school in dosimetry")
    assertNotContains(response, detail_url(hidden))


def test_list_says_so_when_nothing_is_published(client, db):
    ProgrammeFactory(published=False)

    response = client.get(LIST_URL)

    assertContains(response, "No programme is open for applications at the moment.")


@pytest.mark.parametrize("programmes", [1, 30])
def test_list_query_count_does_not_grow_with_programmes(client, db, django_assert_num_queries, programmes):
    ProgrammeFactory.create_batch(programmes)

    with django_assert_num_queries(1):
        response = client.get(LIST_URL)

    assert len(response.context["programmes"]) == programmes


# --- the programme page ---------------------------------------------------------------------------


def test_unpublished_programme_page_is_not_found(client, db):
    hidden = ProgrammeFactory(published=False)

    response = client.get(detail_url(hidden))

    assert response.status_code == 404


def test_unknown_programme_page_is_not_found(client, db):
    response = client.get(reverse("placements:programme_detail", kwargs={"slug": "no-such-programme"}))

    assert response.status_code == 404


def test_certificate_page_shows_requirements_documents_and_lead_time(client, catalogue):
    response = client.get(detail_url(catalogue["cohort"]))

    assert response.status_code == 200
    assertContains(response, '<h3 class="h6">Requirements</h3>', html=True)
    assertContains(
        response,
        escape("This certificate is open only to holders of a master's degree in medical (radiation) physics."),
        count=1,
    )
    assertContains(response, "Curriculum vitae")
    assertContains(response, escape("Master's diploma"))
    assertContains(response, "Transcript of records (optional)")
    assertContains(response, "Say which specialization you choose and why.")
    assertContains(response, "Apply at least 2 months before your start date.")
    assertContains(response, "20–40 weeks in total")


def test_certificate_page_lists_host_departments_of_both_hospitals(client, catalogue):
    response = client.get(detail_url(catalogue["cohort"]))

    assertContains(response, offering_row("Radiology physics", "UZ Leuven", "20–40"), html=True)
    assertContains(response, offering_row("Radiotherapy physics", "AZ Groeninge", "20–40"), html=True)
    assertContains(response, offering_row("Nuclear medicine physics", "UZ Leuven", "20–40"), html=True)


def test_observership_page_shows_sections_with_the_weeks_each_pattern_allows(client, catalogue):
    response = client.get(detail_url(catalogue["rotation"]))

    assertContains(response, "Radiology sections")
    for section in ["Thoracic radiology", "Breast imaging", escape("Neuroradiology and head & neck")]:
        assertContains(response, offering_row(section, "UMCG", "1", "2–8"), html=True)
    assertNotContains(response, "1–8")
    assertContains(response, "Proof of English")
    assertContains(response, "State the exact start and end dates you ask for.")
    assertContains(response, "Apply at least 3 months before your start date.")


def test_observership_page_states_the_weeks_of_each_pattern(client, catalogue):
    response = client.get(detail_url(catalogue["rotation"]))

    assertContains(response, "<li>A week in each of the eight sections: choose 8, 1 week each.</li>", html=True)
    assertContains(response, "<li>A longer stay in one or two sections: choose 1–2, 2–8 weeks each.</li>", html=True)
    for label in ["A week in each of the eight sections", "A longer stay in one or two sections"]:
        header = f'<th scope="col">Weeks <span class="d-block small fw-normal">{label}</span></th>'
        assertContains(response, header, count=1, html=True)


def test_observership_page_has_no_empty_requirements_heading(client, catalogue):
    # Its one question asks for a yes/no that nobody is refused on.
    response = client.get(detail_url(catalogue["rotation"]))

    assertNotContains(response, "Requirements")


def test_a_pattern_changed_in_the_admin_shows_at_once(client, catalogue):
    client.get(detail_url(catalogue["rotation"]))  # the page is cached for visitors
    pattern = RotationPattern.objects.get(label="A longer stay in one or two sections")
    pattern.max_weeks_each = 6
    pattern.save()

    response = client.get(detail_url(catalogue["rotation"]))

    assertContains(response, offering_row("Thoracic radiology", "UMCG", "1", "2–6"), html=True)
    assertContains(response, "A longer stay in one or two sections: choose 1–2, 2–6 weeks each.")


def test_a_section_that_only_one_pattern_fits_shows_a_dash_for_the_other(client, catalogue):
    thoracic = catalogue["rotation"].offerings.get(department__slug="umcg-thoracic")
    thoracic.weeks_min = 2
    thoracic.save()

    response = client.get(detail_url(catalogue["rotation"]))

    assertContains(response, offering_row("Thoracic radiology", "UMCG", "—", "2–8"), html=True)


def test_observership_page_marks_nuclear_medicine_as_only_together(client, catalogue):
    response = client.get(detail_url(catalogue["rotation"]))

    row = offering_row("Nuclear medicine and molecular imaging", "UMCG", "1–2", note="Only together with another part")
    assertContains(response, row, html=True)
    assertContains(response, "Only together with another part", count=1)


def test_programme_page_has_an_apply_link(client, catalogue):
    response = client.get(detail_url(catalogue["rotation"]))

    (href,) = APPLY_LINK.findall(response.content.decode())
    assert href.startswith("/")


def test_programme_page_shows_cohort_deadline(client, catalogue):
    programme = ProgrammeFactory(intake_mode=IntakeMode.COHORT, applications_close="2027-05-15")

    response = client.get(detail_url(programme))

    assertContains(response, "<dt>Deadline</dt><dd>15 May 2027</dd>", html=True)


@pytest.mark.parametrize("offerings", [1, 20])
def test_programme_page_query_count_does_not_grow_with_offerings(client, db, django_assert_num_queries, offerings):
    programme = programme_with_rules(offerings=offerings)

    # programme + provider, groups, their patterns, their offerings, documents, questions, intakes
    with django_assert_num_queries(7):
        response = client.get(detail_url(programme))

    assert response.status_code == 200
    assert len(response.context["programme"].offering_groups.all()[0].offerings.all()) == offerings


def test_demo_programme_pages_use_the_same_query_count(client, catalogue, django_assert_num_queries):
    for programme in catalogue.values():
        with django_assert_num_queries(7):
            client.get(detail_url(programme))
