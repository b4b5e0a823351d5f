"""Which rows the outbox sweeper sends again, and that it sends each once.

Tasks run inline here (eager), so each row the sweeper picks is settled by its real task at once;
the fault tests (test_broker_down, test_worker_killed, test_lost_jobs) run the same sweeper against
a real worker.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.utils import timezone

from applicants.enums import DocumentState, ExportStatus
from applicants.models import DataExport, Document, Dossier, DossierStatus
from placements.allocation.enums import PlanRunStatus
from placements.allocation.models import InsightsReport, PlanRun, ReportStatus
from portal.celery import app
from portal.mail.models import EmailLog, EmailStatus
from portal.mail.services import email_queue
from portal.outbox import outbox_sweep, sources
from tests.applicants.builders import complete_draft, make_applicant
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

NOTHING = {source.name: 0 for source in sources()}
LATER = timedelta(minutes=settings.OUTBOX_SWEEP_AFTER_MINUTES + 1)


def _age(queryset, field: str) -> None:
    queryset.update(**{field: F(field) - LATER})


def _message(to: str) -> EmailLog:
    return email_queue(code="submitted", to=to, language="en", context={}, subject="Hello", body="Body")


def test_every_app_registers_its_rows_with_a_task_the_worker_knows():
    app.loader.import_default_modules()

    registered = {source.name: source.task for source in sources()}

    assert registered == {
        "emails": "portal.send_email",
        "plan_runs": "placements.run_planner",
        "documents": "applicants.process_document",
        "data_exports": "applicants.build_data_export",
        "dossiers": "applicants.build_dossier",
        "insights_reports": "placements.build_insights_report",
        "certificates": "training.build_certificate",
    }
    assert set(registered.values()) <= set(app.tasks)


def test_rows_waiting_too_long_are_sent_again_once_and_recent_ones_left_alone(catalogue, eager_tasks):
    applicant = make_applicant("outbox@example.org")
    draft = complete_draft(catalogue["rotation"], applicant, documents_state=DocumentState.PENDING)
    old_documents = list(draft.documents.values_list("pk", flat=True))
    lost = _message("lost@example.org")
    retrying = _message("retrying@example.org")
    recent = _message("recent@example.org")
    EmailLog.objects.filter(pk__in=[lost.pk, retrying.pk, recent.pk]).update(status=EmailStatus.QUEUED, attempts=0)
    mail.outbox.clear()
    # A failed attempt waits for its scheduled retry: not the sweeper's (portal.send_stuck_emails').
    EmailLog.objects.filter(pk=retrying.pk).update(claimed_at=timezone.now(), attempts=1)
    run = PlanRun.objects.create(programme=catalogue["rotation"], stage="Waiting for a worker")
    export = DataExport.objects.create(applicant=applicant)
    dossier = Dossier.objects.create(application=draft, stage="Waiting for its turn")
    recent_dossier = Dossier.objects.create(application=draft, stage="Waiting for its turn")
    coordinator = make_staff("outbox-coordinator", catalogue["rotation"])
    report = InsightsReport.objects.create(
        requested_by=coordinator, programme_ids=[catalogue["rotation"].pk], year=2026
    )
    _age(Document.objects.filter(pk__in=old_documents), "uploaded_at")
    _age(EmailLog.objects.filter(pk__in=[lost.pk, retrying.pk]), "created_at")
    _age(PlanRun.objects.filter(pk=run.pk), "created_at")
    _age(DataExport.objects.filter(pk=export.pk), "created_at")
    _age(Dossier.objects.filter(pk=dossier.pk), "created_at")
    _age(InsightsReport.objects.filter(pk=report.pk), "created_at")

    sent = outbox_sweep()

    assert sent == {
        "documents": len(old_documents),
        "emails": 1,
        "plan_runs": 1,
        "data_exports": 1,
        "dossiers": 1,
        "insights_reports": 1,
        "certificates": 0,  # none waiting here; tests/training covers a certificate's
    }
    assert not Document.objects.filter(pk__in=old_documents, state=DocumentState.PENDING).exists()
    assert [m.to for m in mail.outbox] == [["lost@example.org"]]
    assert EmailLog.objects.get(pk=retrying.pk).status == EmailStatus.QUEUED
    assert EmailLog.objects.get(pk=recent.pk).status == EmailStatus.QUEUED
    run.refresh_from_db()
    export.refresh_from_db()
    dossier.refresh_from_db()
    recent_dossier.refresh_from_db()
    assert run.status != PlanRunStatus.QUEUED
    assert export.status != ExportStatus.PENDING
    assert (dossier.status, dossier.progress) == (DossierStatus.READY, 100)
    assert recent_dossier.status == DossierStatus.QUEUED
    report.refresh_from_db()
    assert (report.status, report.progress) == (ReportStatus.READY, 100)
    assert outbox_sweep() == NOTHING
