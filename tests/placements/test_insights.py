"""The insights dashboard: every figure from a small data set counted by hand, the scope, the CSV
downloads and the number of queries.

Personas:
- carol: coordinator of the rotation programme; sees its figures and nothing of the cohort programme.
- dave: coordinator of the cohort programme only; never sees a rotation application, count or row.
- root: superuser; sees both programmes and may narrow to one.
- alice: an applicant; the dashboard does not exist for her (404).

The world (rotation programme, period 5 January to 29 March 2026, twelve weeks):
  A  submitted 6 Jan, in review, Portuguese, Porto, a letter whose check needs a look
  B  submitted 7 Jan, rejected 17 Jan (10 days), Portuguese, Porto
  C  submitted 13 Jan, accepted 17 Jan (4 days), Portuguese, Groningen
  D  submitted 14 Jan, offered 3 Feb (20 days), Dutch, Groningen; an offered placement from this week
  E  submitted 2 Feb, confirmed, decided 4 Feb (2 days), Dutch, Groningen
  F  submitted 3 Feb, withdrawn without a review, Belgian, Groningen
  G  a draft started 9 Jan: counted in the funnel, never listed
  I  submitted 1 Dec 2025 (before the period), still waiting
and in the cohort programme H, submitted 6 Jan, waiting.
"""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from applicants.enums import ApplicationStatus
from applicants.models import ApplicantProfile, Application
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, monday_of
from tests.applicants.builders import make_applicant
from tests.applicants.staff_builders import make_row, many_rows, warn_about_dates

pytestmark = pytest.mark.django_db
S = ApplicationStatus
URL = reverse("staff_placements:insights")
PERIOD = {"period": "custom", "start": "2026-01-05", "end": "2026-03-29"}


def noon(day: int, month: int = 1, year: int = 2026) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def arrange(programme, *, first, status, submitted, decided=None, nationality="", institution="", created=None):
    application = make_row(programme, first=first, last="Doe", status=status, submitted=submitted)
    Application.objects.filter(pk=application.pk).update(
        created_at=created or (submitted - timedelta(days=1)), decided_at=decided
    )
    if nationality:
        ApplicantProfile.objects.filter(user=application.applicant).update(
            nationality=nationality, home_institution=institution
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def world(rotation, cohort):
    rows = {
        "A": arrange(rotation, first="Ada", status=S.IN_REVIEW, submitted=noon(6),
                     nationality="Portuguese", institution="University of Porto"),
        "B": arrange(rotation, first="Bea", status=S.REJECTED, submitted=noon(7), decided=noon(17),
                     nationality="Portuguese", institution="University of Porto"),
        "C": arrange(rotation, first="Cas", status=S.ACCEPTED, submitted=noon(13), decided=noon(17),
                     nationality="Portuguese", institution="University of Groningen"),
        "D": arrange(rotation, first="Dan", status=S.OFFERED, submitted=noon(14), decided=noon(3, 2),
                     nationality="Dutch", institution="University of Groningen"),
        "E": arrange(rotation, first="Eva", status=S.CONFIRMED, submitted=noon(2, 2), decided=noon(4, 2),
                     nationality="Dutch", institution="University of Groningen"),
        "F": arrange(rotation, first="Fay", status=S.WITHDRAWN, submitted=noon(3, 2),
                     nationality="Belgian", institution="University of Groningen"),
        "I": arrange(rotation, first="Ivo", status=S.SUBMITTED, submitted=noon(1, 12, 2025)),
        "H": arrange(cohort, first="Hal", status=S.SUBMITTED, submitted=noon(6), nationality="Italian"),
    }  # fmt: skip
    draft = make_row(rotation, first="Gil", status=S.DRAFT)
    Application.objects.filter(pk=draft.pk).update(created_at=noon(9))
    rows["G"] = draft
    warn_about_dates(rows["A"])
    warn_about_dates(rows["C"])  # decided: no longer waiting for a look
    offered = rows["D"].components.first().offering.department
    Placement.objects.create(
        application=rows["D"], department=offered, start_week=monday_of(timezone.localdate()), weeks=2,
        status=PlacementStatus.OFFERED, offer_deadline=timezone.now() + timedelta(days=9),
    )  # fmt: skip
    rows["department"] = offered
    return rows


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, {**PERIOD, **params})


def row_html(*cells) -> str:
    head, *rest = cells
    return f'<tr><th scope="row">{head}</th>' + "".join(f"<td>{cell}</td>" for cell in rest) + "</tr>"


def test_weekly_chart_counts_submissions_per_week_by_outcome(client, world, carol):
    response = get(client, carol)

    weekly = response.context["data"].weekly
    assert len(weekly) == 12
    assert [(w.week, w.total) for w in weekly if w.total] == [
        (date(2026, 1, 5), 2), (date(2026, 1, 12), 2), (date(2026, 2, 2), 2),
    ]  # fmt: skip
    html = response.content.decode()
    #                    week                     waiting accepted placed rejected closed total
    assert row_html("Week 2, 5 Jan 2026", 1, 0, 0, 1, 0, 2) in html
    assert row_html("Week 3, 12 Jan 2026", 0, 1, 1, 0, 0, 2) in html
    assert row_html("Week 6, 2 Feb 2026", 0, 0, 1, 0, 1, 2) in html
    assert '<svg class="chart" id="chart-weekly"' in html
    assert "6 applications submitted over 12 weeks" in html


def test_funnel_counts_drafts_and_each_stage_reached_with_conversion(client, world, carol):
    html = get(client, carol).content.decode()

    assert row_html("Started (drafts included)", 7, "—", "100%") in html
    assert row_html("Submitted", 6, "85.7%", "85.7%") in html
    assert row_html("In review", 5, "83.3%", "71.4%") in html
    assert row_html("Decided", 4, "80%", "57.1%") in html
    assert row_html("Offered a placement", 2, "50%", "28.6%") in html
    assert row_html("Confirmed", 1, "50%", "14.3%") in html
    assert "Gil" not in html  # the draft is counted, never listed


def test_time_to_decision_median_and_90th_percentile_overall_and_per_month(client, world, carol):
    html = get(client, carol).content.decode()

    # decisions after 10, 4, 20 and 2 days: median 7, 90th percentile (nearest rank) 20
    assert "Median <strong>7.0 days</strong>" in html
    assert "90th percentile <strong>20.0 days</strong>" in html
    assert row_html("January 2026", 2, "7", "10") in html
    assert row_html("February 2026", 2, "11", "20") in html
    assert row_html("March 2026", 0, "—", "—") in html
    assert row_html("Whole period", 4, "7", "20") in html


def test_oldest_waiting_link_to_their_applications_oldest_first(client, world, carol):
    response = get(client, carol)

    waiting = response.context["data"].waiting
    assert [a.reference for a in waiting] == [world["I"].reference, world["A"].reference]
    html = response.content.decode()
    link = reverse("staff:application", kwargs={"uuid": world["I"].uuid})
    assert f'<a href="{link}">{world["I"].reference}</a>' in html
    assert world["H"].reference not in html


def test_offers_documents_and_todays_counts(client, world, carol):
    data = get(client, carol).context["data"]

    assert (data.counts.waiting, data.counts.offers) == (2, 1)
    assert (data.counts.documents, data.counts.document_applications) == (1, 1)
    assert [a.reference for a in data.offers] == [world["D"].reference]
    assert [(a.reference, a.flagged) for a in data.documents] == [(world["A"].reference, 1)]


def test_fill_rate_counts_the_offered_placement_in_its_two_weeks(client, world, carol):
    response = get(client, carol)

    department = world["department"]
    row = next(r for r in response.context["data"].fill if r.department == department)
    capacity = department.weekly_capacity
    assert [w.used for w in row.weeks[:3]] == [1, 1, 0]
    assert len(row.weeks) == 26
    assert row.used == 2
    html = response.content.decode()
    assert escape(department.label) in html
    week_link = reverse("staff_placements:calendar_week", args=[department.pk, row.weeks[0].week.isoformat()])
    assert f'<a href="{week_link}">1 of {capacity}</a>' in html


def test_origins_top_nationalities_and_institutions(client, world, carol):
    html = get(client, carol).content.decode()

    assert row_html("Portuguese", 3, "50%") in html
    assert row_html("Dutch", 2, "33.3%") in html
    assert row_html("Belgian", 1, "16.7%") in html
    assert row_html("University of Groningen", 4, "66.7%") in html
    assert row_html("University of Porto", 2, "33.3%") in html
    assert "Italian" not in html  # the cohort programme's applicant


def test_every_chart_has_a_text_alternative_and_a_table_to_open(client, world, carol):
    html = get(client, carol).content.decode()

    charts = re.findall(r'<svg class="chart" id="([a-z-]+)"', html)
    assert sorted(charts) == sorted(
        ["chart-weekly", "chart-funnel", "chart-times", "chart-fill", "chart-nationalities", "chart-institutions"]
    )
    for chart in charts:
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert html.count("<summary>Show as table</summary>") == 6
    assert "style=" not in html.split('<main id="main"')[1]


def test_other_coordinator_sees_nothing_of_the_programme(client, world, dave, rotation):
    response = get(client, dave)

    data = response.context["data"]
    assert data.submitted == 1
    assert [a.reference for a in data.waiting] == [world["H"].reference]
    html = response.content.decode()
    for key in "ABCDEFI":
        assert world[key].reference not in html
    assert get(client, dave, programme=rotation.slug).status_code == 404


def test_admin_sees_both_programmes_and_may_narrow_to_one(client, world, root, cohort):
    assert get(client, root).context["data"].submitted == 7
    assert get(client, root, programme=cohort.slug).context["data"].submitted == 1


def test_applicant_gets_a_404_and_a_stranger_is_asked_to_sign_in(client, world):
    assert client.get(URL).status_code == 302
    client.force_login(make_applicant("alice@example.org"))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("staff_placements:insights_csv", args=["weekly"])).status_code == 404


def test_csv_of_a_chart_has_its_table_for_the_same_period(client, world, carol):
    client.force_login(carol)

    response = client.get(reverse("staff_placements:insights_csv", args=["funnel"]), PERIOD)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["Stage", "Applications", "Of the stage before", "Of those started"]
    assert rows[2:] == [
        ["Started (drafts included)", "7", "—", "100%"],
        ["Submitted", "6", "85.7%", "85.7%"],
        ["In review", "5", "83.3%", "71.4%"],
        ["Decided", "4", "80%", "57.1%"],
        ["Offered a placement", "2", "50%", "28.6%"],
        ["Confirmed", "1", "50%", "14.3%"],
    ]
    assert client.get(reverse("staff_placements:insights_csv", args=["nothing"])).status_code == 404


def test_csv_of_the_waiting_list_is_scoped_to_the_coordinator(client, world, dave):
    client.force_login(dave)

    response = client.get(reverse("staff_placements:insights_csv", args=["waiting"]), PERIOD)

    text = response.content.decode()
    assert world["H"].reference in text
    assert world["A"].reference not in text


def test_a_custom_period_ending_before_it_starts_falls_back_to_this_intake(client, world, carol):
    response = get(client, carol, start="2026-03-01", end="2026-02-01")

    assert "The period cannot end before it starts." in response.content.decode()
    assert response.context["data"].period.label.startswith("This intake")


@pytest.mark.parametrize("count", [1, 40])
def test_dashboard_queries_do_not_grow_with_the_rows(client, rotation, carol, count, django_assert_num_queries):
    many_rows(rotation, count)
    decided = Application.objects.filter(programme=rotation).order_by("pk")[: max(count // 2, 1)]
    Application.objects.filter(pk__in=[a.pk for a in decided]).update(status=S.ACCEPTED, decided_at=timezone.now())
    client.force_login(carol)
    client.get(URL)  # the security middleware remembers the role and the authenticator in the session

    # user, staff check, the programmes, then 12 of the page's own
    with django_assert_num_queries(15):
        response = client.get(URL, {"period": "year"})

    assert response.context["data"].submitted == count
