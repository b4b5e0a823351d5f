"""Drafts that passed their last day to submit expire (applicants.expire_drafts, every night).

Every draft here asks to start on 1 March 2027; the rotation programme's lead time is 3 months, so
its last day to submit is 1 December 2026.

Personas:
- alice: applicant with a rotation draft; sees it as expired on her dashboard once the day has passed.
- sam: applicant who submitted in time; his application is never touched.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from applicants.enums import ApplicationStatus, EventKind
from applicants.models import Application, Event
from applicants.services.drafts import drafts_expire
from applicants.tasks import expire_drafts
from tests.applicants.builders import make_applicant
from tests.applicants.staff_builders import make_application

pytestmark = pytest.mark.django_db
S = ApplicationStatus
LAST_DAY = date(2026, 12, 1)
DAY_AFTER = LAST_DAY + timedelta(days=1)


@pytest.fixture
def alice():
    return make_applicant("alice@example.org")


@pytest.fixture
def draft(rotation, alice):
    return make_application(rotation, alice, status=S.DRAFT)


def status_changes(application) -> list[tuple]:
    return list(
        Event.objects.filter(application=application, kind=EventKind.STATUS_CHANGED)
        .order_by("pk")
        .values_list("from_status", "to_status", "actor", "message", "internal")
    )


def test_a_draft_past_its_last_day_expires_with_an_event_and_shows_as_expired(client, draft, alice):
    assert drafts_expire(today=DAY_AFTER) == 1

    draft.refresh_from_db()
    assert draft.status == S.EXPIRED
    assert status_changes(draft) == [
        (S.DRAFT, S.EXPIRED, None, "The last day to submit this application was 1 December 2026.", False)
    ]
    client.force_login(alice)
    dashboard = client.get(reverse("applicants:dashboard"))
    assert [(row.application, row.link_label) for row in dashboard.context["rows"]] == [(draft, "View")]
    assertContains(dashboard, ">Expired</span>", count=1)
    page = client.get(draft.get_absolute_url())
    assert [(event.title, event.actor) for event in page.context["timeline"]] == [
        ("Application started", "You"),
        ("Expired", "System"),
    ]
    assertContains(page, "The last day to submit this application was 1 December 2026.", count=1)


def test_a_draft_on_its_last_day_and_a_submitted_application_are_left_alone(rotation, draft):
    submitted = make_application(rotation, make_applicant("sam@example.org"), status=S.SUBMITTED)

    assert drafts_expire(today=LAST_DAY) == 0
    assert drafts_expire(today=date(2027, 6, 1)) == 1

    assert Application.objects.get(pk=draft.pk).status == S.EXPIRED
    assert Application.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert status_changes(submitted) == []


def test_a_draft_without_dates_waits_until_its_programme_closes(cohort, alice):
    undated = Application.objects.create(applicant=alice, programme=cohort, status=S.DRAFT)

    assert drafts_expire(today=date(2030, 1, 1)) == 0
    cohort.applications_close = date(2027, 1, 15)
    cohort.save(update_fields=["applications_close"])
    assert drafts_expire(today=date(2027, 1, 15)) == 0
    assert drafts_expire(today=date(2027, 1, 16)) == 1

    undated.refresh_from_db()
    assert undated.status == S.EXPIRED
    assert status_changes(undated)[0][3] == "The last day to submit this application was 15 January 2027."


def test_a_draft_for_an_intake_expires_after_the_intakes_deadline(cohort, alice):
    intake = cohort.intakes.get(academic_year="2027–2028")  # apply by 31 May 2027
    draft = Application.objects.create(
        applicant=alice, programme=cohort, status=S.DRAFT, start_date=intake.starts_on, end_date=intake.ends_on
    )

    assert drafts_expire(today=date(2027, 5, 31)) == 0
    assert drafts_expire(today=date(2027, 6, 1)) == 1

    draft.refresh_from_db()
    assert draft.status == S.EXPIRED
    assert status_changes(draft)[0][3] == "The last day to submit this application was 31 May 2027."


def test_running_twice_changes_nothing_more(draft):
    assert drafts_expire(today=DAY_AFTER) == 1
    draft.refresh_from_db()
    first = (draft.status, draft.updated_at, status_changes(draft))

    assert drafts_expire(today=DAY_AFTER) == 0

    draft.refresh_from_db()
    assert (draft.status, draft.updated_at, status_changes(draft)) == first


def test_the_nightly_task_expires_drafts_as_of_today(rotation, alice):
    start = timezone.localdate() + timedelta(days=30)  # inside the 3 months' lead time already
    late = Application.objects.create(
        applicant=alice, programme=rotation, status=S.DRAFT, start_date=start, end_date=start + timedelta(days=27)
    )

    assert expire_drafts.apply().get() == 1

    late.refresh_from_db()
    assert late.status == S.EXPIRED
