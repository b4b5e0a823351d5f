"""The review queue's paging: a page nearer the end is taken from the end (selectors_staff.QueuePaginator)
and must hold exactly the rows that plain offset paging gives, in every sort, with ties and missing scores.

Persona: root, a superuser, sees every submitted application; the rows are made in bulk.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.selectors_staff import SORTS, QueueFilters, QueuePaginator, queue_rows
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
            start_date=date(2027, 3, 1) + timedelta(weeks=i % 4),
            submitted_at=None if i >= 53 else datetime(2026, 11, 1, 9, i % 5, tzinfo=UTC),
            review_score=Decimal(f"{2 + i % 3}.50") if i % 3 else None,
        )
        for i, user in enumerate(users)
    )


@pytest.mark.parametrize("sort", SORTS)
def test_every_page_holds_the_rows_of_plain_offset_paging(root, rows, sort):
    in_order = list(queue_rows(root, QueueFilters(sort=sort)).values_list("reference", flat=True))
    paginator = QueuePaginator(queue_rows(root, QueueFilters(sort=sort)), PER_PAGE)

    pages = [[a.reference for a in paginator.page(n).object_list] for n in paginator.page_range]

    assert len(in_order) == 53
    assert pages == [in_order[i : i + PER_PAGE] for i in range(0, 53, PER_PAGE)]


def test_a_page_from_the_end_costs_the_same_queries(root, rows):
    paginator = QueuePaginator(queue_rows(root, QueueFilters()), PER_PAGE)
    assert paginator.num_pages == 6

    with CaptureQueriesContext(connection) as first:
        list(paginator.page(1).object_list)
    with CaptureQueriesContext(connection) as last:
        list(paginator.page(6).object_list)

    assert len(first) == len(last) == 2  # the page's rows, their components
