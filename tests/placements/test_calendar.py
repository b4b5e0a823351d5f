"""The capacity calendar and the week page: counts, colours, proposals, grouping, scope, query counts.

Personas:
- carol: coordinates the rotation programme (UMCG sections); sees its departments and its people.
- dave: coordinates the cohort programme (Leuven) only; never sees a UMCG department or applicant.
- alice: an applicant; the calendar does not exist for her (404).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from placements.allocation.enums import PlacementStatus
from placements.allocation.models import CapacityOverride, monday_of
from placements.catalogue.models import Department, Offering, OfferingGroup
from tests.applicants.builders import make_applicant
from tests.factories import DepartmentFactory, ProgrammeFactory, make_staff
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
CALENDAR_URL = reverse("staff_placements:calendar")
P = PlacementStatus


def week_url(slug: str, week) -> str:
    return reverse("staff_placements:calendar_week", kwargs={"department_id": department(slug).pk, "week": str(week)})


def cell_html(slug: str, week, *, level: str, text: str, label: str, proposed: int = 0) -> str:
    """The exact markup of one calendar cell: its name begins with what it shows, then `label`."""
    extra = " cal-proposed" if proposed else ""
    marker = f'<span class="cal-prop">+{proposed}</span>' if proposed else ""
    name = f"{text}{f' +{proposed}' if proposed else ''}: {label}"
    return (
        f'<td class="cal-cell cal-{level}{extra}"><a href="{week_url(slug, week)}" title="{name}" '
        f'aria-label="{name}"><span class="cal-count">{text}</span>{marker}</a></td>'
    )


def get_calendar(client, user, start, **params):
    client.force_login(user)
    return client.get(CALENDAR_URL, {"start": start.isoformat(), **params})


# --- counts and colours --------------------------------------------------------------------------


def test_cells_show_seats_used_of_capacity_with_a_colour_per_fill_level(client, rotation, carol):
    week = weeks_ahead(10)
    n = week.isocalendar().week
    thoracic = department("umcg-thoracic")  # 2 seats a week
    one = make_application(rotation, start=week)
    two = make_application(rotation, start=week)
    place(one, "umcg-thoracic", week, weeks=2, status=P.OFFERED)  # weeks n and n+1
    place(two, "umcg-thoracic", week + timedelta(weeks=1), status=P.CONFIRMED)  # week n+1: full
    CapacityOverride.objects.create(department=thoracic, week=week + timedelta(weeks=2), capacity=0, reason="Holiday")

    response = get_calendar(client, carol, week)

    assertContains(
        response,
        cell_html(
            "umcg-thoracic",
            week,
            level="partly",
            text="1/2",
            label=f"Thoracic radiology, UMCG, week {n}: 1 of 2 seats used",
        ),
    )
    assertContains(
        response,
        cell_html(
            "umcg-thoracic",
            week + timedelta(weeks=1),
            level="full",
            text="2/2",
            label=f"Thoracic radiology, UMCG, week {n + 1}: 2 of 2 seats used",
        ),
    )
    assertContains(
        response,
        cell_html(
            "umcg-thoracic",
            week + timedelta(weeks=2),
            level="closed",
            text="0/0",
            label=f"Thoracic radiology, UMCG, week {n + 2}: closed",
        ),
    )
    assertContains(
        response,
        cell_html(
            "umcg-thoracic",
            week + timedelta(weeks=3),
            level="free",
            text="0/2",
            label=f"Thoracic radiology, UMCG, week {n + 3}: 0 of 2 seats used",
        ),
    )


def test_runs_across_the_edges_count_only_in_the_weeks_shown(client, rotation, carol):
    start = weeks_ahead(8)
    runs = [  # (first week, length, status): before and into the window, inside, past its end, just after
        (start - timedelta(weeks=3), 5, P.CONFIRMED),
        (start + timedelta(weeks=1), 2, P.OFFERED),
        (start + timedelta(weeks=1), 2, P.OFFERED),
        (start + timedelta(weeks=50), 6, P.PROPOSED),
        (start + timedelta(weeks=52), 1, P.CONFIRMED),
    ]
    for first, length, status in runs:
        place(make_application(rotation, start=first), "umcg-abdominal", first, weeks=length, status=status)

    response = get_calendar(client, carol, start)

    row = next(r for g in response.context["calendar"].groups for r in g.rows if r.department.slug == "umcg-abdominal")
    for cell in row.cells:  # against counting each placement's weeks one by one
        covering = [(f, s) for f, n, s in runs if f <= cell.week < f + timedelta(weeks=n)]
        assert cell.used == sum(1 for _, s in covering if s != P.PROPOSED), cell.week
        assert cell.proposed == sum(1 for _, s in covering if s == P.PROPOSED), cell.week
    assert [c.used for c in row.cells[:4]] == [1, 3, 2, 0]
    assert [c.proposed for c in row.cells[-3:]] == [0, 1, 1]


def test_a_week_over_capacity_is_shown_red(client, rotation, carol):
    week = weeks_ahead(10)
    for _ in range(2):
        place(make_application(rotation, start=week), "umcg-breast", week, status=P.CONFIRMED)  # 1 seat only

    response = get_calendar(client, carol, week)

    label = f"Breast imaging, UMCG, week {week.isocalendar().week}: 2 of 1 seat used"
    assertContains(response, cell_html("umcg-breast", week, level="over", text="2/1", label=label))


def test_proposals_are_marked_apart_and_hold_no_seat(client, rotation, carol):
    week = weeks_ahead(10)
    place(make_application(rotation, start=week), "umcg-abdominal", week, status=P.PROPOSED)
    place(make_application(rotation, start=week), "umcg-abdominal", week, status=P.CONFIRMED)

    response = get_calendar(client, carol, week)

    label = f"Abdominal radiology, UMCG, week {week.isocalendar().week}: 1 of 2 seats used, 1 proposed"
    assertContains(response, cell_html("umcg-abdominal", week, level="partly", text="1/2", label=label, proposed=1))


def test_declined_expired_and_cancelled_placements_free_their_seats(client, rotation, carol):
    week = weeks_ahead(10)
    for status in (P.DECLINED, P.EXPIRED, P.CANCELLED):
        place(make_application(rotation, start=week), "umcg-cardiovascular", week, status=status)

    response = get_calendar(client, carol, week)

    label = f"Cardiovascular radiology, UMCG, week {week.isocalendar().week}: 0 of 1 seat used"
    assertContains(response, cell_html("umcg-cardiovascular", week, level="free", text="0/1", label=label))


def test_sections_are_grouped_under_their_parent(client, rotation, carol):
    response = get_calendar(client, carol, weeks_ahead(0))

    groups = response.context["calendar"].groups
    assert [(g.title, [r.department.name for r in g.rows]) for g in groups] == [
        ("", ["Nuclear medicine and molecular imaging"]),
        (
            "Radiology, UMCG",
            [
                "Abdominal radiology",
                "Breast imaging",
                "Cardiovascular radiology",
                "Interventional radiology",
                "Musculoskeletal radiology",
                "Neuroradiology and head & neck",
                "Paediatric radiology",
                "Thoracic radiology",
            ],
        ),
    ]
    assert all(row.is_section for row in groups[1].rows)
    assert len(groups[1].rows[0].cells) == 52
    assertContains(response, '<th scope="rowgroup" class="cal-dept">Radiology, UMCG</th>', html=False)


# --- weeks shown and programme filter -------------------------------------------------------------


def test_calendar_starts_this_week_by_default_and_pages_by_four_weeks(client, carol):
    client.force_login(carol)

    response = client.get(CALENDAR_URL)

    this_week = weeks_ahead(0)
    assert response.context["calendar"].start == this_week
    assert response.context["calendar"].weeks[-1] == this_week + timedelta(weeks=51)
    assertContains(response, f'href="?start={(this_week - timedelta(weeks=4)).isoformat()}"')
    assertContains(response, f'href="?start={(this_week + timedelta(weeks=4)).isoformat()}"')


def test_any_start_day_snaps_to_its_monday_and_nonsense_falls_back_to_this_week(client, carol):
    client.force_login(carol)
    wednesday = weeks_ahead(5) + timedelta(days=2)

    assert client.get(CALENDAR_URL, {"start": wednesday.isoformat()}).context["calendar"].start == weeks_ahead(5)
    assert client.get(CALENDAR_URL, {"start": "2027-02-31"}).context["calendar"].start == weeks_ahead(0)


def test_filter_shows_only_the_departments_of_the_chosen_programme(client, rotation, cohort):
    both = make_staff("bea", rotation, cohort)
    client.force_login(both)

    everything = client.get(CALENDAR_URL)
    leuven = client.get(CALENDAR_URL, {"programme": cohort.slug})

    names = [r.department.slug for g in leuven.context["calendar"].groups for r in g.rows]
    assert sorted(names) == [
        "azg-radiology",
        "azg-radiotherapy",
        "uzl-nuclear-medicine",
        "uzl-radiology",
        "uzl-radiotherapy",
    ]
    assert sum(len(g.rows) for g in everything.context["calendar"].groups) == 14
    assertContains(leuven, f'&amp;programme={cohort.slug}"')


def test_a_coordinator_sees_only_the_departments_of_their_programmes(client, dave, cohort):
    response = get_calendar(client, dave, weeks_ahead(0))

    slugs = {r.department.slug for g in response.context["calendar"].groups for r in g.rows}
    assert slugs == {"azg-radiology", "azg-radiotherapy", "uzl-nuclear-medicine", "uzl-radiology", "uzl-radiotherapy"}
    assertNotContains(response, "Thoracic radiology")
    assert [p.slug for p in response.context["programmes"]] == [cohort.slug]


def test_filter_by_a_programme_one_does_not_coordinate_is_a_404(client, dave, rotation):
    client.force_login(dave)

    assert client.get(CALENDAR_URL, {"programme": rotation.slug}).status_code == 404


def test_calendar_is_not_there_for_applicants_and_asks_strangers_to_sign_in(client, rotation):
    alice = make_applicant("alice@example.org")
    assertRedirects(
        client.get(CALENDAR_URL), f"{reverse('account_login')}?next={CALENDAR_URL}", fetch_redirect_response=False
    )
    client.force_login(alice)

    assert client.get(CALENDAR_URL).status_code == 404


# --- who is there ---------------------------------------------------------------------------------


def test_week_page_lists_who_is_there_with_links_to_their_applications(client, rotation, carol):
    week = weeks_ahead(8)
    zoe = make_application(rotation, start=week, first="Zoë", last="Janssen")
    ben = make_application(rotation, start=week, first="Ben", last="Okafor")
    place(zoe, "umcg-thoracic", week - timedelta(weeks=1), weeks=3, status=P.CONFIRMED)
    place(ben, "umcg-thoracic", week, status=P.PROPOSED)
    place(make_application(rotation, start=week), "umcg-thoracic", week, status=P.DECLINED)
    client.force_login(carol)

    response = client.get(week_url("umcg-thoracic", week))

    rows = [
        (p.application.applicant.get_full_name(), p.get_status_display())
        for p in response.context["occupancy"].placements
    ]
    assert rows == [("Zoë Janssen", "Confirmed"), ("Ben Okafor", "Proposed")]
    assertContains(
        response, f'<a href="{reverse("staff:application", kwargs={"uuid": zoe.uuid})}">{zoe.reference}</a>', html=True
    )
    assertContains(response, "1 of 2 seats used")


def test_week_page_counts_but_does_not_name_people_of_other_programmes(client, rotation, carol):
    other = ProgrammeFactory(reference_prefix="OTH")
    group = OfferingGroup.objects.create(programme=other, title="Sections")
    Offering.objects.create(programme=other, group=group, department=department("umcg-thoracic"))
    week = weeks_ahead(8)
    outsider = make_application(other, start=week, components=(("umcg-thoracic", 1),), first="Olga", last="Outsider")
    place(outsider, "umcg-thoracic", week, status=P.CONFIRMED)
    client.force_login(carol)

    response = client.get(week_url("umcg-thoracic", week))

    assert response.context["occupancy"].placements == []
    assertContains(response, "1 of 2 seats used")
    assertContains(response, "1 of them held by another programme.")
    assertNotContains(response, "Outsider")


def test_week_page_of_a_department_outside_ones_programmes_is_a_404(client, dave):
    client.force_login(dave)

    assert client.get(week_url("umcg-thoracic", weeks_ahead(1))).status_code == 404


def test_week_page_with_a_bad_date_is_a_404_and_a_weekday_goes_to_its_monday(client, carol):
    client.force_login(carol)
    thoracic = department("umcg-thoracic").pk
    url = reverse("staff_placements:calendar_week", kwargs={"department_id": thoracic, "week": "2027-13-01"})
    thursday = weeks_ahead(3) + timedelta(days=3)

    assert client.get(url).status_code == 404
    assertRedirects(
        client.get(week_url("umcg-thoracic", thursday)),
        week_url("umcg-thoracic", monday_of(thursday)),
        fetch_redirect_response=False,
    )


def test_calendar_cells_link_to_the_week_page(client, rotation, carol):
    week = weeks_ahead(2)
    response = get_calendar(client, carol, week)

    assertContains(response, f'href="{week_url("umcg-breast", week)}"')


# --- query counts ---------------------------------------------------------------------------------


def _programme_with(departments: int, placements_each: int):
    programme = ProgrammeFactory()
    group = OfferingGroup.objects.create(programme=programme, title="Sections", max_choices=departments)
    week = weeks_ahead(1)
    parent = DepartmentFactory(name="Parent")
    for i in range(departments):
        section = DepartmentFactory(parent=parent if i % 2 else None, institution=parent.institution)
        Offering.objects.create(programme=programme, group=group, department=section)
        CapacityOverride.objects.create(department=section, week=week, capacity=1)
        for j in range(placements_each):
            application = make_application(programme, start=week, components=((section.slug, 2),))
            place(
                application, section.slug, week + timedelta(weeks=j), weeks=2, status=[P.PROPOSED, P.CONFIRMED][j % 2]
            )
    return programme


@pytest.mark.parametrize(("departments", "placements_each"), [(1, 1), (12, 6)])
def test_calendar_query_count_does_not_grow_with_departments_or_placements(
    client, db, departments, placements_each, django_assert_num_queries
):
    programme = _programme_with(departments, placements_each)
    coordinator = make_staff("quinn", programme)
    client.force_login(coordinator)
    client.get(CALENDAR_URL)  # the security middleware keeps the role and the authenticator in the session

    # user, staff check (the session comes from the cache); programmes, departments, overrides,
    # placements, seat proposals, the host departments' answers, the calendar feed's link
    with django_assert_num_queries(9):
        response = client.get(CALENDAR_URL, {"start": weeks_ahead(0).isoformat()})

    assert sum(len(g.rows) for g in response.context["calendar"].groups) == departments
    assert Department.objects.filter(offerings__programme=programme).count() == departments
