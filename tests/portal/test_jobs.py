"""The job pattern (portal/jobs): a job is requested once, queued by name after commit, claimed by one
worker, reports progress, and ends done or failed; a job lost with its worker is taken over.

The data export stands in for every job here (the planner run and the PDF dossier share the same
services; their own tests run them through a real worker).
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from applicants.enums import ExportStatus
from applicants.models import DataExport
from portal.jobs.services import (
    job_claim,
    job_fail,
    job_finish,
    job_is_lost,
    job_progress,
    job_request,
    jobs_abandon,
    jobs_under_way,
)
from tests.applicants.builders import make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return make_applicant("alice@example.org")


@pytest.fixture
def export(alice) -> DataExport:
    return DataExport.objects.create(applicant=alice)


def _ago(job, **delta) -> None:
    """Move the job's timestamps into the past, as if time had passed."""
    moment = timezone.now() - timedelta(**delta)
    type(job).objects.filter(pk=job.pk).update(created_at=moment, updated_at=moment)
    job.refresh_from_db()


# --- claiming -------------------------------------------------------------------------------------


def test_claiming_twice_gives_the_job_to_the_first_and_nothing_to_the_second(export):
    first = job_claim(DataExport.objects.all(), pk=export.pk, stage="Starting")
    second = job_claim(DataExport.objects.all(), pk=export.pk, stage="Starting")

    assert first is not None and second is None
    assert (first.status, first.stage, first.progress) == (ExportStatus.RUNNING, "Starting", 0)
    assert first.claimed_at is not None and first.updated_at == first.claimed_at


def test_a_finished_or_missing_job_cannot_be_claimed(export):
    job_claim(DataExport.objects.all(), pk=export.pk)
    job_finish(DataExport, pk=export.pk)

    assert job_claim(DataExport.objects.all(), pk=export.pk) is None
    assert job_claim(DataExport.objects.all(), pk=987654) is None


def test_a_running_job_without_a_sign_of_life_is_taken_over_and_its_results_cleared(export):
    job_claim(DataExport.objects.all(), pk=export.pk)
    job_progress(DataExport, pk=export.pk, done=1, total=2, stage="Half way")
    DataExport.objects.filter(pk=export.pk).update(size=123)
    _ago(export, minutes=11)

    again = job_claim(DataExport.objects.all(), pk=export.pk, stage="Again", size=None)

    assert again is not None
    assert (again.status, again.progress, again.stage, again.size) == (ExportStatus.RUNNING, 0, "Again", None)
    assert job_claim(DataExport.objects.all(), pk=export.pk) is None  # alive again: nobody else takes it


# --- progress, finishing, failing ------------------------------------------------------------------


def test_progress_is_recorded_with_a_sign_of_life_and_stays_below_100_until_done(export):
    job_claim(DataExport.objects.all(), pk=export.pk)
    _ago(export, minutes=5)

    assert job_progress(DataExport, pk=export.pk, done=1, total=3, stage="Adding the CV") is True
    export.refresh_from_db()
    assert (export.progress, export.stage) == (33, "Adding the CV")
    assert export.updated_at > timezone.now() - timedelta(minutes=1)

    job_progress(DataExport, pk=export.pk, done=3, total=3)
    export.refresh_from_db()
    assert (export.progress, export.stage) == (99, "Adding the CV")


def test_progress_of_a_job_that_does_not_run_is_not_recorded(export):
    assert job_progress(DataExport, pk=export.pk, done=50, stage="Too early") is False

    export.refresh_from_db()
    assert (export.status, export.progress, export.stage) == (ExportStatus.PENDING, 0, "")


def test_finishing_writes_the_results_and_100_per_cent(export):
    job_claim(DataExport.objects.all(), pk=export.pk, stage="Working")

    assert job_finish(DataExport, pk=export.pk, size=2048) is True

    export.refresh_from_db()
    assert (export.status, export.progress, export.stage, export.size) == (ExportStatus.READY, 100, "", 2048)
    assert export.finished_at is not None
    assert export.is_active is False


def test_failing_records_the_error_once_and_only_for_a_running_job(export):
    assert job_fail(DataExport, pk=export.pk, error="Too early.") is False
    job_claim(DataExport.objects.all(), pk=export.pk)

    assert job_fail(DataExport, pk=export.pk, error="The archive could not be written.") is True
    assert job_fail(DataExport, pk=export.pk, error="A second failure.") is False

    export.refresh_from_db()
    assert (export.status, export.error) == (ExportStatus.FAILED, "The archive could not be written.")
    assert export.finished_at is not None
    assert job_finish(DataExport, pk=export.pk) is False  # a failed job stays failed


def test_giving_up_fails_only_the_jobs_still_under_way(alice):
    waiting = DataExport.objects.create(applicant=alice)
    running = DataExport.objects.create(applicant=alice)
    done = DataExport.objects.create(applicant=alice)
    job_claim(DataExport.objects.all(), pk=running.pk)
    job_claim(DataExport.objects.all(), pk=done.pk)
    job_finish(DataExport, pk=done.pk)

    assert jobs_abandon(DataExport.objects.all(), error="Gave up.") == 2

    statuses = dict(DataExport.objects.values_list("pk", "status"))
    assert statuses == {waiting.pk: ExportStatus.FAILED, running.pk: ExportStatus.FAILED, done.pk: ExportStatus.READY}


# --- requesting and losing ------------------------------------------------------------------------


def test_a_request_makes_one_job_and_queues_it_after_commit(alice, django_capture_on_commit_callbacks):
    def create():
        return DataExport.objects.create(applicant=alice)

    with django_capture_on_commit_callbacks() as first_callbacks:
        first, first_new = job_request(DataExport.objects.filter(applicant=alice), create=create)
    with django_capture_on_commit_callbacks() as second_callbacks:
        second, second_new = job_request(DataExport.objects.filter(applicant=alice), create=create)

    assert (first_new, second_new) == (True, False)
    assert second == first
    assert (len(first_callbacks), len(second_callbacks)) == (1, 0)
    assert DataExport.objects.count() == 1


def test_a_request_queues_a_lost_job_again_instead_of_making_another(export, django_capture_on_commit_callbacks):
    _ago(export, minutes=11)

    with django_capture_on_commit_callbacks() as callbacks:
        job, new = job_request(DataExport.objects.all(), create=lambda: pytest.fail("no second job"))

    assert (job, new) == (export, False)
    assert len(callbacks) == 1


def test_nothing_is_queued_when_the_request_rolls_back(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        job_request(DataExport.objects.all(), create=lambda: DataExport.objects.create(applicant=alice))
        raise RuntimeError("the request failed later")

    assert callbacks == []
    assert DataExport.objects.count() == 0


def test_a_job_is_lost_when_it_waits_or_keeps_silent_too_long(alice):
    fresh = DataExport.objects.create(applicant=alice)
    waiting = DataExport.objects.create(applicant=alice)
    silent = DataExport.objects.create(applicant=alice)
    job_claim(DataExport.objects.all(), pk=silent.pk)
    _ago(waiting, minutes=11)
    _ago(silent, minutes=11)

    assert [job_is_lost(job) for job in (fresh, waiting, silent)] == [False, True, True]
    assert list(jobs_under_way(DataExport.objects.all())) == [fresh]
