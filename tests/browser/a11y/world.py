"""The data the audited pages show: the demo catalogue with its twenty accepted applications, and
around it one person per side of the portal, each with something in every state their pages show.

- alice: an applicant with a complete draft (the wizard) and an application the coordinator asked
  more information about (the information reply), and a data export ready to download;
- bob: an applicant with a placement offer to accept or decline, and a draft for the cohort programme
  (its eligibility question must be answered yes, its dates are an intake's);
- zoë: an applicant with a confirmed placement, whose confirmation anyone may check;
- dana: an applicant whose submitted application the coordinator reads (documents, checks, notes);
- carol: coordinator of both demo programmes, with an authenticator app;
- root: a superuser (the catalogue editor) with an authenticator app.
"""

from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from applicants.enums import ApplicationStatus
from applicants.models import Application, ApplicationComponent, DataExport, Dossier
from applicants.services.applications import application_start
from applicants.services.decisions import application_request_info, internal_note_add
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import InsightsReport, Placement, PlanRun
from placements.allocation.models.proposals import SeatProposal
from placements.allocation.services.confirmations import confirmation_issue
from placements.allocation.services.planning import plan_run_execute
from placements.catalogue.models import Programme
from placements.catalogue.public_cache import catalogue_changed
from portal.models import User
from tests.applicants.builders import complete_draft, make_applicant
from tests.applicants.staff_builders import make_application, make_document, make_row, offering
from tests.factories import make_staff
from tests.placements.helpers import place, weeks_ahead
from tests.totp import totp_secret

S = ApplicationStatus
ROTATION = "clinical-observership-radiology-nuclear-medicine"
COHORT = "postgraduate-certificate-medical-physics"


@dataclass
class World:
    rotation: Programme
    cohort: Programme
    alice: User
    bob: User
    carol: User
    root: User
    draft: Application  # alice's, complete
    cohort_draft: Application  # bob's, just started
    confirmation: str  # the token of a confirmed placement's confirmation
    asked: Application  # alice's, information requested
    offered: Application  # bob's
    submitted: Application  # dana's, with documents
    accepted: Application  # a demo application, accepted and waiting for a placement
    export: DataExport
    dossier: Dossier
    report: InsightsReport
    run: PlanRun
    secrets: dict[str, str]


def build_world() -> World:
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_applications", stdout=StringIO())
    rotation, cohort = Programme.objects.get(slug=ROTATION), Programme.objects.get(slug=COHORT)
    carol = make_staff("carol", rotation, cohort, first_name="Carol", last_name="Coordinator")
    root = make_staff("root", superuser=True, first_name="Root", last_name="Editor")
    alice = make_applicant("alice@example.org", first_name="Alice", last_name="Appleby")
    draft = complete_draft(rotation, alice)
    asked = make_application(cohort, alice, status=S.SUBMITTED)
    ApplicationComponent.objects.create(application=asked, offering=offering(cohort, "uzl-radiotherapy"), weeks=30)
    application_request_info(application=asked, by=carol, message="Please send your diploma supplement.")
    export = DataExport.objects.create(applicant=alice, status="ready")
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=True)

    offered = make_row(
        rotation,
        first="Bob",
        last="Baker",
        email="bob@example.org",
        status=S.OFFERED,
        start=weeks_ahead(16),
        components=(("umcg-thoracic", 2), ("umcg-nuclear-medicine", 1)),
    )
    deadline = timezone.now() + timedelta(days=14)
    place(offered, "umcg-thoracic", weeks_ahead(16), weeks=2, deadline=deadline)
    place(offered, "umcg-nuclear-medicine", weeks_ahead(18), weeks=1, deadline=deadline)

    cohort_draft = application_start(applicant=offered.applicant, programme=cohort)
    confirmed = make_row(rotation, first="Zoë", last="Zwart", email="zoe@example.org", status=S.CONFIRMED)
    place(confirmed, "umcg-abdominal", weeks_ahead(20), weeks=2, status=PlacementStatus.CONFIRMED)
    confirmation = confirmation_issue(application=confirmed)

    submitted = make_row(rotation, first="Dana", last="Dijkstra", email="dana@example.org", warned=False)
    for item in rotation.programme_documents.select_related("document_type"):
        make_document(submitted, item.document_type, name=f"{item.document_type.code}.pdf", check="Please look.")
    internal_note_add(application=submitted, author=carol, text="Asked her supervisor for a reference.")
    dossier = Dossier.objects.create(application=submitted, requested_by=carol, status="ready")
    dossier.file.save("dossier.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    report = InsightsReport.objects.create(
        requested_by=carol,
        programme_ids=[rotation.pk, cohort.pk],
        year=timezone.localdate().year,
        status="ready",
        pages=3,
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=True)

    accepted = Application.objects.filter(programme=rotation, status=S.ACCEPTED).order_by("pk").first()
    _seat_proposal(rotation, offered, accepted)
    run = PlanRun.objects.create(programme=cohort, created_by=carol)
    plan_run_execute(run_id=run.pk, time_limit=5)
    catalogue_changed()
    return World(
        rotation=rotation,
        cohort=cohort,
        alice=alice,
        bob=offered.applicant,
        carol=carol,
        root=root,
        draft=draft,
        cohort_draft=cohort_draft,
        confirmation=confirmation.token,
        asked=asked,
        offered=offered,
        submitted=submitted,
        accepted=accepted,
        export=export,
        dossier=dossier,
        report=report,
        run=run,
        secrets={"carol": totp_secret(carol), "root": totp_secret(root)},
    )


def _seat_proposal(rotation, offered, accepted) -> SeatProposal:
    """A seat someone declined, proposed to a waiting application (the planner and calendar show it)."""
    freed = Placement.objects.create(
        application=offered,
        department=offered.components.first().offering.department,
        start_week=weeks_ahead(30),
        weeks=1,
        status=PlacementStatus.DECLINED,
    )
    return SeatProposal.objects.create(
        programme=rotation,
        department=freed.department,
        start_week=freed.start_week,
        weeks=1,
        freed_by=freed,
        application=accepted,
    )
