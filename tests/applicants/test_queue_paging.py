"""The review queue's paging (applicants.selectors_queue): a page nearer the end is taken from the end,
and every page must hold exactly the rows that plain offset paging gives, in every sort, with ties and
missing scores; a page past the last is the last.

Persona: root, a superuser, sees every submitted application; the rows are made in bulk.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.search import searchable
from applicants.selectors_queue import in_scope, queue_page, status_counts
from applicants.selectors_staff import SORTS, QueueFilters
from portal.models import User

pytestmark = pytest.mark.django_db
PER_PAGE = 10


@pytest.fixture
def rows(catalogue):
    """53 applications in 6 pages: equal submission times, start dates and scores (the primary key
    breaks the ties), a third without a score, and drafts that the queue never shows."""
    programme = catalogue["rotation"]
    users = User.objects.bulk_create(User(email=f"paging{i}@example.org") for i in range(60))
    Application.objects.bulk_create(
        Application(
            applicant=user,
            programme=programme,
            status=ApplicationStatus.DRAFT if i >= 53 else ApplicationStatus.SUBMITTED,
            reference=None if i >= 53 else f"PAGE-{i:04d}",
            search_text="" if i >= 53 else searchable(f"PAGE-{i:04d}"),  # as save() would write it
            start_date=date(2027, 3, 1) + timedelta(weeks=i % 4),
            submitted_at=None if i >= 53 else datetime(2026, 11, 1, 9, i % 5, tzinfo=UTC),
            review_score=Decimal(f"{2 + i % 3}.50") if i % 3 else None,
        )
        for i, user in enumerate(users)
    )
    return [programme.pk]


def page_of(scope, number: int, **filters):
    filters = QueueFilters(**filters)
    return queue_page(scope, filters, number, PER_PAGE, counts=status_counts(scope, filters.programme_id))


@pytest.mark.parametrize("sort", SORTS)
def test_every_page_holds_the_rows_of_plain_offset_paging(rows, sort):
    in_order = list(in_scope(rows).order_by(*SORTS[sort]).values_list("reference", flat=True))

    pages = [[row["reference"] for row in page_of(rows, number, sort=sort).rows] for number in range(1, 7)]

    assert len(in_order) == 53
    assert pages == [in_order[i : i + PER_PAGE] for i in range(0, 53, PER_PAGE)]


@pytest.mark.parametrize(
    "filters", [{}, {"start_month": date(2027, 3, 1)}, {"q": "page"}], ids=["all", "month", "search"]
)
def test_a_page_past_the_last_is_the_last(rows, filters):
    last = page_of(rows, 6, **filters)

    past = page_of(rows, 99, **filters)

    assert (past.number, past.num_pages) == (last.number, last.num_pages)
    assert [row["reference"] for row in past.rows] == [row["reference"] for row in last.rows]
    assert past.count == last.count == 53


def test_a_page_from_the_end_costs_the_same_queries(rows):
    counts = status_counts(rows)

    with CaptureQueriesContext(connection) as first:
        queue_page(rows, QueueFilters(), 1, PER_PAGE, counts=counts)
    with CaptureQueriesContext(connection) as last:
        queue_page(rows, QueueFilters(), 6, PER_PAGE, counts=counts)

    assert len(first) == len(last) == 2  # the page's rows, their components
