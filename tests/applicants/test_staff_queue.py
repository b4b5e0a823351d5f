"""The review queue: scope, filters, search, sorting, paging, status counts, query counts and bulk actions.

Personas (rotation = the demo observership, cohort = the demo postgraduate year):
- carol: coordinator of the rotation programme; sees its submitted applications, never drafts.
- dave: coordinator of the cohort programme only; never sees a rotation application.
- root: superuser; sees both programmes.
- alice: an applicant; the staff area does not exist for her (404).
"""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus, EventKind
from applicants.models import Application, Event
from applicants.privacy.erasure import applicant_erase
from applicants.services.applications import application_submit
from applicants.services.reviews import review_save
from placements.catalogue.models import Programme
from portal.page_cache import BumpAfterCommit
from tests.applicants.builders import complete_draft, make_applicant
from tests.applicants.staff_builders import give_rubric, make_row, many_rows, offering, warn_about_dates
from tests.factories import make_staff
from tests.web import messages_of

pytestmark = pytest.mark.django_db
S = ApplicationStatus
QUEUE_URL = reverse("staff:queue")
BULK_URL = reverse("staff:queue_bulk")
EXPORT_URL = reverse("staff:queue_export")


# --- helpers -------------------------------------------------------------------------------------


def submitted_application(programme: Programme, email: str) -> Application:
    """A rotation application submitted by its applicant through the real services."""
    applicant = make_applicant(email)
    application = complete_draft(programme, applicant)
    return application_submit(application=application, by=applicant)


def references(response) -> list[str]:
    return [row.reference for row in response.context["rows"]]


@pytest.fixture
def alice():
    return make_applicant("alice@example.org")


# --- scope ---------------------------------------------------------------------------------------


def test_coordinator_sees_only_submitted_applications_of_their_programme(client, rotation, cohort, carol):
    mine = make_row(rotation, first="Mine")
    make_row(rotation, first="Drafty", status=S.DRAFT)
    make_row(cohort, first="Theirs")
    client.force_login(carol)

    response = client.get(QUEUE_URL)

    assert references(response) == [mine.reference]
    assertContains(response, "Mine Silva")
    assertNotContains(response, "Theirs")
    assertNotContains(response, "Drafty")


def test_superuser_sees_every_programme(client, rotation, cohort, root):
    older = make_row(rotation, submitted=timezone.now() - timedelta(days=2))
    newer = make_row(cohort, submitted=timezone.now() - timedelta(days=1))
    client.force_login(root)

    assert references(client.get(QUEUE_URL)) == [newer.reference, older.reference]


def test_row_links_to_the_staff_application_page(client, rotation, carol):
    application = make_row(rotation)
    client.force_login(carol)

    response = client.get(QUEUE_URL)

    link = reverse("staff:application", kwargs={"uuid": application.uuid})
    assertContains(response, f'<a href="{link}">{application.reference}</a>', html=True)


def test_staff_navigation_links_to_the_queue(client, carol):
    client.force_login(carol)

    assertContains(client.get(QUEUE_URL), f'<a class="nav-link" href="{QUEUE_URL}">Review queue</a>', html=True)


@pytest.mark.parametrize(("method", "url"), [("get", QUEUE_URL), ("post", BULK_URL), ("get", EXPORT_URL)])
def test_applicant_finds_no_staff_queue(client, alice, method, url):
    client.force_login(alice)

    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize(("method", "url"), [("get", QUEUE_URL), ("post", BULK_URL), ("get", EXPORT_URL)])
def test_anonymous_visitor_is_sent_to_sign_in(client, method, url):
    response = getattr(client, method)(url)

    assertRedirects(response, f"{reverse('account_login')}?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("url", [QUEUE_URL, EXPORT_URL])
def test_another_programme_in_the_filter_is_a_404(client, cohort, carol, url):
    make_row(cohort)
    client.force_login(carol)

    assert client.get(url, {"programme": cohort.pk}).status_code == 404
    assert client.get(url, {"programme": "not-a-number"}).status_code == 404


# --- filters and search --------------------------------------------------------------------------


def test_programme_filter(client, rotation, cohort, root):
    make_row(rotation)
    theirs = make_row(cohort)
    client.force_login(root)

    response = client.get(QUEUE_URL, {"programme": cohort.pk})

    assert references(response) == [theirs.reference]


def test_status_filter_takes_one_or_several_statuses(client, rotation, carol):
    submitted = make_row(rotation, status=S.SUBMITTED)
    in_review = make_row(rotation, status=S.IN_REVIEW)
    make_row(rotation, status=S.REJECTED)
    client.force_login(carol)

    assert references(client.get(QUEUE_URL, {"status": S.IN_REVIEW})) == [in_review.reference]
    both = client.get(QUEUE_URL, {"status": [S.SUBMITTED, S.IN_REVIEW]})
    assert references(both) == [submitted.reference, in_review.reference]


def test_section_filter_finds_applications_with_a_component_there(client, rotation, carol):
    thoracic = make_row(rotation, components=(("umcg-thoracic", 3),))
    make_row(rotation, components=(("umcg-breast", 3),))
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"department": offering(rotation, "umcg-thoracic").department_id})

    assert references(response) == [thoracic.reference]


def test_section_filter_offers_only_the_programmes_departments(client, rotation, carol):
    client.force_login(carol)

    choices = client.get(QUEUE_URL).context["form"].fields["department"].choices

    assert [label for _id, label in choices] == [
        "Any",
        "Neuroradiology and head & neck, UMCG",
        "Thoracic radiology, UMCG",
        "Abdominal radiology, UMCG",
        "Musculoskeletal radiology, UMCG",
        "Cardiovascular radiology, UMCG",
        "Interventional radiology, UMCG",
        "Paediatric radiology, UMCG",
        "Breast imaging, UMCG",
        "Nuclear medicine and molecular imaging, UMCG",
    ]


def test_start_month_filter(client, rotation, carol):
    make_row(rotation, start=date(2027, 2, 22))
    march = make_row(rotation, start=date(2027, 3, 29))
    make_row(rotation, start=date(2027, 4, 5))
    client.force_login(carol)

    assert references(client.get(QUEUE_URL, {"start_month": "2027-03"})) == [march.reference]


def test_invalid_start_month_is_shown_and_ignored(client, rotation, carol):
    make_row(rotation)
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"start_month": "2027-13"})

    assert len(response.context["rows"]) == 1
    assertContains(response, "Give a month as YYYY-MM, e.g. 2027-03.")


def test_warnings_filter_and_icon(client, rotation, carol):
    warned = make_row(rotation, warned=True)
    make_row(rotation)
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"warnings": "on"})

    assert references(response) == [warned.reference]
    assertContains(response, 'aria-label="An automatic document check needs a look"', count=1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ana", ["ana"]), ("SILVEIRA", ["joao"]), ("joao@porto", ["joao"]), ("ana costa", ["ana"]), ("ana silveira", [])],
)
def test_search_over_name_and_email(client, rotation, carol, query, expected):
    rows = {
        "ana": make_row(rotation, first="Ana", last="Costa", email="ana@lisboa.example"),
        "joao": make_row(rotation, first="João", last="Silveira", email="joao@porto.example"),
    }
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"q": query})

    assert references(response) == [rows[name].reference for name in expected]


def test_search_by_reference(client, rotation, carol):
    make_row(rotation)
    wanted = make_row(rotation)
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"q": wanted.reference.lower()})

    assert references(response) == [wanted.reference]


# --- sorting, paging, counts ---------------------------------------------------------------------


@pytest.fixture
def three_rows(rotation):
    now = timezone.now()
    return {
        "a": make_row(rotation, submitted=now - timedelta(days=3), start=date(2027, 5, 3), score="4.50", reviews=2),
        "b": make_row(rotation, submitted=now - timedelta(days=1), start=date(2027, 3, 1), score=None),
        "c": make_row(rotation, submitted=now - timedelta(days=2), start=date(2027, 4, 5), score="2.00", reviews=1),
    }


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", "bca"),
        ("-submitted", "bca"),
        ("submitted", "acb"),
        ("start", "bca"),
        ("-start", "acb"),
        ("-score", "acb"),
        ("score", "cab"),
    ],
)
def test_sorting(client, carol, three_rows, sort, order):
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"sort": sort} if sort else {})

    assert references(response) == [three_rows[key].reference for key in order]


def test_second_page_continues_the_first(client, rotation, carol):
    many_rows(rotation, 30)
    client.force_login(carol)

    first = references(client.get(QUEUE_URL))
    second = references(client.get(QUEUE_URL, {"page": 2}))

    assert len(first) == 25
    assert second == [f"UMCG-2026-{i:04d}" for i in range(25, 30)]


def test_status_counts_of_the_programme_without_drafts(client, rotation, cohort, carol):
    for status in [S.SUBMITTED, S.SUBMITTED, S.IN_REVIEW, S.REJECTED, S.DRAFT]:
        make_row(rotation, status=status)
    make_row(cohort, status=S.SUBMITTED)
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"status": S.IN_REVIEW})

    counts = {badge.status: badge.count for badge in response.context["status_badges"]}
    assert counts == {status: 0 for status in S if status != S.DRAFT} | {
        S.SUBMITTED: 2,
        S.IN_REVIEW: 1,
        S.REJECTED: 1,
    }
    assert response.context["total_in_scope"] == 4
    assertContains(response, f'href="?status={S.IN_REVIEW}"', count=1)


def badge_counts(client) -> dict[str, int]:
    response = client.get(QUEUE_URL)
    return {badge.status: badge.count for badge in response.context["status_badges"] if badge.count}


def test_status_counts_follow_every_change_of_the_programme(client, rotation, carol):
    first, second = (submitted_application(rotation, f"c{i}@example.org") for i in range(2))
    client.force_login(carol)
    assert badge_counts(client) == {S.SUBMITTED: 2}

    client.post(BULK_URL, {"action": "start_review", "selected": [first.uuid]})
    assert badge_counts(client) == {S.SUBMITTED: 1, S.IN_REVIEW: 1}

    submitted_application(rotation, "c3@example.org")
    assert badge_counts(client) == {S.SUBMITTED: 2, S.IN_REVIEW: 1}

    applicant_erase(user=second.applicant)  # an open application is withdrawn, then anonymised
    assert badge_counts(client) == {S.SUBMITTED: 1, S.IN_REVIEW: 1, S.WITHDRAWN: 1}


def test_paging_link_fetches_only_the_results_with_htmx(client, rotation, carol):
    many_rows(rotation, 30)
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"page": 2}, headers={"HX-Request": "true", "HX-Target": "queue-results"})

    assert [t.name for t in response.templates] == ["staff/_queue_rows.html"]
    assert len(response.context["rows"]) == 5


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # rows, components (the status counts, which count the rows too, are kept since the first visit)
        ({}, 2),
        ({"status": S.IN_REVIEW}, 2),
        ({"sort": "-score", "page": 2}, 2),
        # other filters and a search count apart
        ({"q": "applicant"}, 3),
        ({"status": S.IN_REVIEW, "warnings": "on", "start_month": "2027-03"}, 3),
    ],
    ids=["default", "status", "sort-by-score", "search", "filtered"],
)
def test_queue_query_count_does_not_grow_with_rows(
    client, rotation, carol, count, query, queries, django_assert_num_queries
):
    many_rows(rotation, count)
    client.force_login(carol)
    client.get(QUEUE_URL)  # the security middleware remembers the role and the authenticator in the session

    # user, staff check (the programmes in scope; the session and the filters' catalogue come from the
    # cache), then the page's own
    with django_assert_num_queries(2 + queries):
        response = client.get(QUEUE_URL, query)

    assert len(response.context["rows"]) >= 1


# --- bulk actions --------------------------------------------------------------------------------


def test_bulk_start_review_changes_submitted_ones_and_skips_the_others(client, rotation, cohort, carol):
    submitted = [submitted_application(rotation, f"s{i}@example.org") for i in range(3)]
    already = make_row(rotation, status=S.IN_REVIEW)
    outside = make_row(cohort)
    client.force_login(carol)
    back = "status=submitted&page=1"

    response = client.post(
        BULK_URL,
        {"action": "start_review", "selected": [a.uuid for a in [*submitted, already, outside]], "back": back},
    )

    assertRedirects(response, f"{QUEUE_URL}?{back}", fetch_redirect_response=False)
    assert messages_of(response) == ["3 started, 1 skipped (not submitted), 1 not found."]
    assert set(Application.objects.filter(pk__in=[a.pk for a in submitted]).values_list("status", flat=True)) == {
        S.IN_REVIEW
    }
    events = Event.objects.filter(kind=EventKind.STATUS_CHANGED, to_status=S.IN_REVIEW, actor=carol)
    assert sorted(events.values_list("application_id", flat=True)) == sorted(a.pk for a in submitted)
    outside.refresh_from_db()
    assert outside.status == S.SUBMITTED
    assert not outside.events.exists()


def test_bulk_reject_sends_the_message_with_each_decision(
    client, rotation, cohort, carol, django_capture_on_commit_callbacks
):
    rejected = [submitted_application(rotation, f"r{i}@example.org") for i in range(2)]
    accepted = make_row(rotation, status=S.ACCEPTED)
    outside = make_row(cohort)
    client.force_login(carol)
    message = "We cannot host you in the requested weeks."

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            BULK_URL,
            {"action": "reject", "message": message, "selected": [a.uuid for a in [*rejected, accepted, outside]]},
        )

    assert messages_of(response) == ["2 rejected, 1 skipped (not awaiting a decision), 1 not found."]
    for application in rejected:
        application.refresh_from_db()
        assert application.status == S.REJECTED
        assert application.decided_at is not None
        event = application.events.get(kind=EventKind.STATUS_CHANGED, to_status=S.REJECTED)
        assert (event.actor, event.message) == (carol, message)
    # the rejection e-mail of each, queued after its own commit (besides the cache's second bumps)
    assert len([c for c in callbacks if not isinstance(c, BumpAfterCommit)]) == 2
    accepted.refresh_from_db()
    outside.refresh_from_db()
    assert (accepted.status, outside.status) == (S.ACCEPTED, S.SUBMITTED)


def test_bulk_reject_needs_a_message(client, rotation, carol):
    application = make_row(rotation)
    client.force_login(carol)

    response = client.post(BULK_URL, {"action": "reject", "message": " ", "selected": [application.uuid]})

    assertRedirects(response, QUEUE_URL, fetch_redirect_response=False)
    assert messages_of(response) == ["Write the message that goes to the rejected applicants."]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_bulk_action_needs_a_selection(client, carol):
    client.force_login(carol)

    response = client.post(BULK_URL, {"action": "start_review"})

    assert messages_of(response) == ["Select at least one application."]


def test_bulk_export_contains_only_the_selected_rows_in_scope(client, rotation, cohort, carol):
    chosen = make_row(rotation, first="Chosen")
    make_row(rotation, first="Other")
    outside = make_row(cohort, first="Outside")
    client.force_login(carol)

    response = client.post(BULK_URL, {"action": "export", "selected": [chosen.uuid, outside.uuid]})

    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(lines) == 2
    assert lines[1].startswith(f"{chosen.reference},Submitted,")


def test_bulk_action_needs_the_csrf_token(rotation, carol):
    application = make_row(rotation)
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    client.get(QUEUE_URL)

    response = client.post(BULK_URL, {"action": "start_review", "selected": [application.uuid]})

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_bulk_action_refuses_get(client, carol):
    client.force_login(carol)

    assert client.get(BULK_URL).status_code == 405


# --- every page shows the data as it is now ------------------------------------------------------
# Queue pages are not kept in any cache: a change shows on the next load, whoever made it.


def set_status(application, status):
    application.status = status
    application.save()


def rename_applicant(application, name):
    applicant = application.applicant
    applicant.first_name = name
    applicant.save()


def warn(application):
    make_row(application.programme, first="Unrelated")  # another row, to be sure the mark is the right one's
    warn_about_dates(application)


def rename_department(application):
    component = application.components.select_related("offering__department").get()
    department = component.offering.department
    department.name = "Paediatric imaging"
    department.save()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda a: set_status(a, S.IN_REVIEW), '<span class="badge text-bg-info">In review</span>'),
        (lambda a: rename_applicant(a, "Beatriz"), "Beatriz"),
        (warn, 'aria-label="An automatic document check needs a look"'),
        (rename_department, '<td class="d-none d-md-table-cell">Paediatric imaging'),
    ],
    ids=["status", "applicant-name", "document-warning", "department-name"],
)
def test_queue_shows_a_change_at_once(client, rotation, carol, change, shown):
    application = make_row(rotation)
    client.force_login(carol)
    assertNotContains(client.get(QUEUE_URL), shown)

    change(application)

    assertContains(client.get(QUEUE_URL), shown)


def test_new_review_score_shows_at_once(client, rotation, carol):
    application = make_row(rotation, status=S.IN_REVIEW)
    criteria = give_rubric(rotation)
    client.force_login(carol)
    assertContains(client.get(QUEUE_URL), "—</span>")

    review_save(application=application, reviewer=carol, scores={c.pk: 4 for c in criteria})

    assertContains(client.get(QUEUE_URL), "4.00 <span")


def test_new_submission_and_erased_applicant_show_at_once(client, rotation, carol):
    kept = make_row(rotation)
    client.force_login(carol)
    client.get(QUEUE_URL)

    submitted = submitted_application(rotation, "newcomer@example.org")
    assert references(client.get(QUEUE_URL)) == [submitted.reference, kept.reference]

    applicant_erase(user=kept.applicant)
    page = client.get(QUEUE_URL)
    assertNotContains(page, "Ana Silva")
    assertContains(page, "Withdrawn")


def test_coordinators_see_only_their_own_programmes_and_address(rotation, cohort, carol, dave):
    make_row(rotation, first="Rotational")
    make_row(cohort, first="Cohortian")
    colleague = make_staff("colin", rotation)
    pages = {}
    for user in (carol, dave, colleague):
        client = Client()
        client.force_login(user)
        client.get(QUEUE_URL)
        pages[user.email] = client.get(QUEUE_URL)

    assertContains(pages["carol@example.org"], "Rotational Silva")
    assertNotContains(pages["carol@example.org"], "Cohortian")
    assertContains(pages["dave@example.org"], "Cohortian Silva")
    assertNotContains(pages["dave@example.org"], "Rotational")
    # Same programme, same rows, but each page is the signed-in person's own (their address, their forms).
    assertContains(pages["colin@example.org"], "colin@example.org")
    assertNotContains(pages["colin@example.org"], "carol@example.org")


def test_coordinator_taken_off_a_programme_stops_seeing_it_at_once(client, rotation, cohort, carol):
    cohort.coordinators.add(carol)
    make_row(cohort, first="Cohortian")
    client.force_login(carol)
    assertContains(client.get(QUEUE_URL), "Cohortian Silva")

    cohort.coordinators.remove(carol)

    assertNotContains(client.get(QUEUE_URL), "Cohortian")
    assert client.get(QUEUE_URL, {"programme": cohort.pk}).status_code == 404


def test_bulk_form_of_the_page_carries_a_working_csrf_token(rotation, carol):
    application = make_row(rotation)
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    client.get(QUEUE_URL)
    page = client.get(QUEUE_URL)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()

    response = client.post(
        BULK_URL, {"csrfmiddlewaretoken": token, "action": "start_review", "selected": [application.uuid]}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assertContains(client.get(QUEUE_URL), "1 started.")
