"""The retention purge: documents of finished applications are deleted once their programme's retention
period has passed after the final decision (or after the stay, for confirmed placements); once only."""

import logging
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.enums import ApplicationStatus, DocumentState, EventKind
from applicants.models import Application, Document, Event
from applicants.privacy.retention import PURGE_MESSAGE, add_months
from applicants.privacy.tasks import purge_expired_documents
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def finished(programme, status: str, *, months_ago: int, documents: int = 2) -> Application:
    """An application that reached `status` `months_ago` months ago, with stored documents and previews."""
    applicant = UserFactory()
    application = Application.objects.create(applicant=applicant, programme=programme, status=status)
    decided = add_months(timezone.now(), -months_ago)
    event = Event.objects.create(application=application, kind=EventKind.STATUS_CHANGED, to_status=status)
    Event.objects.filter(pk=event.pk).update(created_at=decided)
    for item in programme.programme_documents.select_related("document_type")[:documents]:
        document = Document(
            application=application,
            document_type=item.document_type,
            original_name=f"{item.document_type.code}.pdf",
            size=9,
            sha256="0" * 64,
            content_kind="pdf",
            state=DocumentState.READY,
            text="Some words",
        )
        document.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.preview.save("p.png", ContentFile(b"\x89PNG"), save=False)
        document.save()
    return application


def with_stay_ended(application: Application, *, months_ago: int) -> Application:
    """A confirmed placement of three weeks whose last week ended `months_ago` months ago."""
    last_week = monday(add_months(timezone.now(), -months_ago).date()) - timedelta(weeks=1)
    Placement.objects.create(
        application=application,
        department=application.programme.offerings.first().department,
        start_week=last_week - timedelta(weeks=2),
        weeks=3,
        status=PlacementStatus.CONFIRMED,
    )
    return application


def files_of(application: Application) -> list[Path]:
    return [Path(f.path) for d in application.documents.all() for f in (d.file, d.preview)]


@pytest.fixture
def cohort(catalogue):
    catalogue["cohort"].retention_months = 6
    catalogue["cohort"].save(update_fields=["retention_months"])
    return catalogue["cohort"]


@pytest.fixture
def cases(rotation, cohort) -> dict[str, Application]:
    return {
        # past the rotation's 12 months
        "rejected_13": finished(rotation, S.REJECTED, months_ago=13),
        "withdrawn_14": finished(rotation, S.WITHDRAWN, months_ago=14),
        "expired_25": finished(rotation, S.EXPIRED, months_ago=25),
        "stay_over_13": with_stay_ended(finished(rotation, S.CONFIRMED, months_ago=15), months_ago=13),
        # past the cohort's 6 months
        "declined_7_cohort": finished(cohort, S.DECLINED, months_ago=7),
        # not yet, or not finished
        "rejected_11": finished(rotation, S.REJECTED, months_ago=11),
        "rejected_7_rotation": finished(rotation, S.REJECTED, months_ago=7),
        "stay_over_2": with_stay_ended(finished(rotation, S.CONFIRMED, months_ago=15), months_ago=2),
        "accepted_20": finished(rotation, S.ACCEPTED, months_ago=20),
        "in_review_20": finished(rotation, S.IN_REVIEW, months_ago=20),
    }


PURGED = ["rejected_13", "withdrawn_14", "expired_25", "stay_over_13", "declined_7_cohort"]


def test_retention_defaults_to_twelve_months(rotation):
    assert rotation.retention_months == 12


def test_purge_runs_once_and_logs_what_it_did(cases, caplog, django_capture_on_commit_callbacks):
    purged_files = [path for name in PURGED for path in files_of(cases[name])]
    kept_files = [path for name, app in cases.items() if name not in PURGED for path in files_of(app)]
    caplog.set_level(logging.INFO, logger="applicants.privacy.retention")

    with django_capture_on_commit_callbacks(execute=True):
        first = purge_expired_documents()
    with django_capture_on_commit_callbacks(execute=True):
        second = purge_expired_documents()

    assert first == {"documents": 10, "applications": 5}
    assert second == {"documents": 0, "applications": 0}
    assert [r.getMessage() for r in caplog.records if r.name == "applicants.privacy.retention"] == [
        "Purged 10 documents of 5 applications",
        "Purged 0 documents of 0 applications",
    ]
    assert [path for path in purged_files if path.exists()] == []
    assert all(path.exists() for path in kept_files)


def test_each_purged_application_gets_one_event_on_its_timeline(cases, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        purge_expired_documents()
        purge_expired_documents()

    removed = Event.objects.filter(kind=EventKind.DOCUMENT_DELETED, message=PURGE_MESSAGE)
    assert sorted(removed.values_list("application_id", flat=True)) == sorted(cases[name].pk for name in PURGED)
    assert not removed.filter(internal=True).exists()  # the applicant sees it too
    assert {name for name, app in cases.items() if app.documents.exists()} == set(cases) - set(PURGED)


def test_applications_keep_their_status_and_dates(cases, django_capture_on_commit_callbacks):
    before = {app.pk: (app.status, app.programme_id) for app in cases.values()}

    with django_capture_on_commit_callbacks(execute=True):
        purge_expired_documents()

    assert {a.pk: (a.status, a.programme_id) for a in Application.objects.all()} == before


def test_a_longer_retention_period_keeps_the_documents(rotation, django_capture_on_commit_callbacks):
    application = finished(rotation, S.REJECTED, months_ago=13)
    rotation.retention_months = 24
    rotation.save(update_fields=["retention_months"])

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_documents() == {"documents": 0, "applications": 0}

    assert application.documents.count() == 2


def test_a_document_file_already_gone_does_not_stop_the_purge(rotation, django_capture_on_commit_callbacks):
    application = finished(rotation, S.REJECTED, months_ago=13)
    files_of(application)[0].unlink()

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_documents() == {"documents": 2, "applications": 1}

    assert files_of(application) == []
