"""Reference codes stay unique and gapless when many applicants submit at the same moment."""

import threading

import pytest
from django.db import connection

from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.services.applications import application_submit
from tests.applicants.builders import complete_draft, make_applicant

pytestmark = pytest.mark.django_db(transaction=True)

SUBMITTERS = 20


def test_twenty_concurrent_submissions_get_unique_sequential_references(catalogue):
    programme = catalogue["rotation"]
    drafts = [complete_draft(programme, make_applicant(f"applicant{i}@example.org")) for i in range(SUBMITTERS)]
    barrier = threading.Barrier(SUBMITTERS)
    errors = []

    def submit(application):
        try:
            barrier.wait(timeout=30)
            application_submit(application=application, by=application.applicant)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    references = sorted(Application.objects.values_list("reference", flat=True))
    year = drafts[0].start_date.year
    assert references == [f"UMCG-{year}-{n:04d}" for n in range(1, SUBMITTERS + 1)]
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == SUBMITTERS
