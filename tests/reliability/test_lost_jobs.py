"""A job whose task message was lost is sent again by the outbox sweeper and done by a real worker.

The coordinator's dossier request is saved and its task, queued by name after commit, reaches
Redis; the message is then lost (the run's worker was not taking messages, and the queue is
emptied, as when Redis loses its data). Nothing builds the dossier until the sweeper finds it
still queued OUTBOX_SWEEP_AFTER_MINUTES later and sends its task again; the worker builds it once.
"""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import F

from applicants.enums import ApplicationStatus
from applicants.models import Dossier, DossierStatus
from applicants.services.dossier import dossier_request
from placements.catalogue.models import DocumentType
from portal.outbox import outbox_sweep, sources
from portal.tasks import sweep_outbox
from tests.applicants.builders import make_applicant
from tests.applicants.staff_builders import make_application, make_document
from tests.reliability.helpers import broker, log_text, resume_consuming, stop_consuming
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NOTHING = {source.name: 0 for source in sources()}
LATER = timedelta(minutes=settings.OUTBOX_SWEEP_AFTER_MINUTES + 1)


def test_a_dossier_whose_task_was_lost_is_sent_again_by_the_sweeper_and_built(catalogue, celery_worker):
    rotation = catalogue["rotation"]
    application = make_application(
        rotation, make_applicant("lost-dossier@example.org"), status=ApplicationStatus.SUBMITTED
    )
    make_document(application, DocumentType.objects.get(code="cv"), name="cv.pdf")
    coordinator = make_applicant("cora@example.org")
    queue = settings.CELERY_TASK_DEFAULT_QUEUE

    stop_consuming(celery_worker)
    try:
        dossier = dossier_request(application=application, by=coordinator)
        # Sent by name once the request committed: the message waits in Redis (a read the worker had
        # already begun gives it back), and is then lost.
        (message,) = wait_for(lambda: broker().lrange(queue, 0, -1), timeout=30, what="the message in the queue")
        assert json.loads(message)["headers"]["task"] == "applicants.build_dossier"
        broker().delete(queue)
    finally:
        resume_consuming(celery_worker)

    assert outbox_sweep() == NOTHING  # too recent: its task could still be on its way
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.QUEUED
    Dossier.objects.filter(pk=dossier.pk).update(created_at=F("created_at") - LATER)

    assert sweep_outbox.delay().get(timeout=120) == {**NOTHING, "dossiers": 1}  # run by the worker

    wait_for(
        lambda: Dossier.objects.filter(pk=dossier.pk).exclude(status__in=dossier.states.active).exists(),
        timeout=180,
        what="the dossier to be built",
    )
    dossier.refresh_from_db()
    assert (dossier.status, dossier.progress, dossier.error) == (DossierStatus.READY, 100, "")
    assert dossier.pages >= 2  # the summary, then the CV
    assert dossier.file.storage.exists(dossier.file.name)
    assert dossier.claimed_at is not None and dossier.finished_at is not None
    assert outbox_sweep() == NOTHING
    assert log_text(celery_worker.log_path).count(f"Dossier {dossier.pk} ready") == 1
