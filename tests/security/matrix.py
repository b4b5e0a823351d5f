"""Who may open what: the classification of every URL pattern of the portal, the world the matrix's
tests request them in, and how a request is made as each persona.

The URL patterns are read from the URLconf, so a new view that is not classified here fails the
test. Outsiders get a 404 (never a 403 or a page that confirms the object exists); anonymous
visitors of private pages are sent to sign in.

Personas (the rotation programme is the observership; the cohort programme is the other one):
- anonymous: not signed in;
- owner: the applicant whose application, documents and data export are used in the URLs;
- other: another applicant, with an application of their own elsewhere;
- coordinator: coordinates the rotation programme (owner's application);
- outsider: coordinates only the cohort programme;
- admin: a superuser.
Host supervisors are checked apart (SUPERVISOR_GET below), against the same URLs:
- supervisor: supervises UMCG radiology, where the owner's confirmed placement is (a section);
- supervisor_other: supervises another department only; their own lists open, nothing of the owner's.
"""

from contextlib import contextmanager
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from applicants.models import DataExport, Dossier, HospitalProposal
from applicants.services.applications import application_submit
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import InsightsReport, Placement, PlacementConfirmation, PlanRun
from placements.allocation.models.proposals import SeatProposal
from placements.catalogue.models import Department
from placements.hosting.feeds import feed_token
from placements.hosting.invitations import invitation_token
from placements.hosting.models import FeedKind
from placements.training.demo import training_load
from placements.training.models import Certificate, Competency, Evaluation, EvaluationForm, LogbookEntry
from portal.models import User
from tests.applicants.builders import complete_draft, make_applicant
from tests.factories import demo_catalogue, make_staff
from tests.hosting.helpers import make_supervisor

PERSONAS = ("anonymous", "owner", "other", "coordinator", "outsider", "admin")
LOGIN, NOT_FOUND = "login", 404
# What a GET returns for each persona, in the order of PERSONAS. "login": redirect to sign in;
# 302: a redirect elsewhere; 405: the URL only takes POST (its POST is checked below).
PUBLIC = (200,) * 6
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
OWNER_ONLY = (LOGIN, 200, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)
OWNER_AND_STAFF = (LOGIN, 200, NOT_FOUND, 200, NOT_FOUND, 200)
STAFF = (LOGIN, NOT_FOUND, NOT_FOUND, 200, 200, 200)
STAFF_OF_PROGRAMME = (LOGIN, NOT_FOUND, NOT_FOUND, 200, NOT_FOUND, 200)
# What one member of staff asked for for themselves (the yearly report): nobody else, not even an admin.
REQUESTER_ONLY = (LOGIN, NOT_FOUND, NOT_FOUND, 200, NOT_FOUND, NOT_FOUND)
# A host supervisor's own pages: for the personas above, nobody's (SUPERVISOR_GET has the supervisors').
HOSTS_ONLY = (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)


def post_only(allowed: tuple) -> tuple:
    """A POST-only URL: a GET is 405 for whoever may reach the view; outsiders get 404 or sign-in."""
    return tuple(405 if outcome not in (LOGIN, NOT_FOUND) else outcome for outcome in allowed)


# Who may reach each URL at all: outsiders are the personas with "login" or 404 here.
ACCESS = {
    "home": PUBLIC,
    "healthz": PUBLIC,
    "privacy_notice": PUBLIC,
    "placements:programme_list": PUBLIC,
    "placements:programme_detail": PUBLIC,
    "confirmation_verify": PUBLIC,  # by its unguessable token; any other is a 404 (tests/placements)
    "applicants:dashboard": SIGNED_IN,
    "applicants:profile": SIGNED_IN,
    "applicants:account_delete": SIGNED_IN,
    "applicants:data_export_start": SIGNED_IN,
    "applicants:application_apply": SIGNED_IN,
    "applicants:application_detail": OWNER_AND_STAFF,
    "applicants:application_withdraw": OWNER_AND_STAFF,
    "applicants:placement_confirmation": OWNER_AND_STAFF,
    "applicants:document_download": OWNER_AND_STAFF,
    "applicants:document_preview": OWNER_AND_STAFF,
    "applicants:application_answer": OWNER_ONLY,
    "applicants:offer_accept": OWNER_ONLY,
    "applicants:offer_decline": OWNER_ONLY,
    "applicants:wizard_step": OWNER_ONLY,
    "applicants:wizard_documents_status": OWNER_ONLY,
    "applicants:data_export": OWNER_ONLY,
    "applicants:data_export_status": OWNER_ONLY,
    "applicants:data_export_download": OWNER_ONLY,
    "staff:home": STAFF,
    "staff:queue": STAFF,
    "staff:queue_bulk": STAFF,
    "staff:queue_export": STAFF,
    "staff_placements:calendar": STAFF,
    "staff_placements:planner": STAFF,
    "staff_placements:insights": STAFF,
    "staff_placements:insights_csv": STAFF,
    "staff_placements:report_start": STAFF,
    "staff_placements:report": REQUESTER_ONLY,
    "staff_placements:report_status": REQUESTER_ONLY,
    "staff_placements:report_download": REQUESTER_ONLY,
    "staff:application": STAFF_OF_PROGRAMME,
    "staff:application_reviews": STAFF_OF_PROGRAMME,
    "staff:application_history": STAFF_OF_PROGRAMME,
    "staff:application_start_review": STAFF_OF_PROGRAMME,
    "staff:application_request_info": STAFF_OF_PROGRAMME,
    "staff:application_decide": STAFF_OF_PROGRAMME,
    "staff:application_review": STAFF_OF_PROGRAMME,
    "staff:application_note": STAFF_OF_PROGRAMME,
    "staff:proposal_approve": STAFF_OF_PROGRAMME,
    "staff:proposal_refuse": STAFF_OF_PROGRAMME,
    "staff:dossier_start": STAFF_OF_PROGRAMME,
    "staff:dossier": STAFF_OF_PROGRAMME,
    "staff:dossier_status": STAFF_OF_PROGRAMME,
    "staff:dossier_download": STAFF_OF_PROGRAMME,
    "staff_placements:calendar_week": STAFF_OF_PROGRAMME,
    "staff_placements:assign": STAFF_OF_PROGRAMME,
    "staff_placements:publish_proposal": STAFF_OF_PROGRAMME,
    "staff_placements:dismiss_seat_proposal": STAFF_OF_PROGRAMME,
    "staff_placements:plan_run": STAFF_OF_PROGRAMME,
    "staff_placements:plan_run_progress": STAFF_OF_PROGRAMME,
    "staff_placements:plan_publish": STAFF_OF_PROGRAMME,
    "staff_placements:plan_publish_one": STAFF_OF_PROGRAMME,
    # Host departments: the supervisors' pages are nobody else's (SUPERVISOR_GET says theirs); the
    # invitation link is a bearer link, and the coordinators' pages are staff pages.
    "hosting:placements": HOSTS_ONLY,
    "hosting:calendar": HOSTS_ONLY,
    "hosting:placement": HOSTS_ONLY,
    "hosting:answer": HOSTS_ONLY,
    "hosting:absence": HOSTS_ONLY,
    "hosting:complete": HOSTS_ONLY,
    "hosting:interrupt": HOSTS_ONLY,
    "hosting:document": HOSTS_ONLY,
    "hosting:invitation": PUBLIC,
    "set_language": PUBLIC,  # anyone may choose the language of the pages
    "staff_hosting:supervisors": STAFF,
    "staff_hosting:request_confirmation": STAFF_OF_PROGRAMME,
    "staff_hosting:interrupt": STAFF_OF_PROGRAMME,
    # Training: the trainee's own pages (of a placement, an entry, an evaluation, the certificate), the
    # supervisors' pages (SUPERVISOR_GET says theirs), and the public check of a certificate by its code.
    "training:placement": OWNER_ONLY,
    "training:feedback": OWNER_ONLY,
    "training:entry_edit": OWNER_ONLY,
    "training:evaluation": OWNER_ONLY,
    "training:certificate": OWNER_ONLY,
    "training:certificate_status": OWNER_ONLY,
    "training:certificate_download": OWNER_ONLY,
    "training:supervise": HOSTS_ONLY,
    "training:evaluation_fill": HOSTS_ONLY,
    "training:entry_review": HOSTS_ONLY,
    "training:certificate_verify": PUBLIC,
    # A private calendar feed opens by its unguessable token alone (calendar clients cannot sign in; any
    # other token is a 404, tests/hosting/test_feeds.py); renewing one's supervisor feed is a supervisor's.
    "feeds:feed": PUBLIC,
    "feeds:renew": HOSTS_ONLY,
}
STAFF_POST_ONLY = (LOGIN, NOT_FOUND, NOT_FOUND, 405, 405, 405)  # staff see 405 before the scope check
# What a GET returns in the world below, where it differs from ACCESS: redirects are the page
# sending an insider onwards (the application is submitted, so its wizard, its decision pages and
# the answer page redirect; staff may not delete an account; and the export is ready).
EXPECTED_GET = {
    **ACCESS,
    "home": (302,) * 6,
    "healthz": None,  # 200 or 503 for anyone: reports the services, nothing personal
    "applicants:account_delete": (LOGIN, 200, 200, 302, 302, 302),
    "applicants:data_export_start": post_only(SIGNED_IN),
    "applicants:application_apply": post_only(SIGNED_IN),
    "applicants:application_withdraw": (LOGIN, 200, NOT_FOUND, 302, NOT_FOUND, 302),
    "applicants:application_answer": (LOGIN, 302, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "applicants:offer_accept": (LOGIN, 405, 405, 405, 405, 405),
    "applicants:offer_decline": (LOGIN, 302, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # Nothing is confirmed here, so there is no confirmation to download; tests/placements covers it.
    "applicants:placement_confirmation": (LOGIN, *(NOT_FOUND,) * 5),
    "applicants:wizard_step": (LOGIN, 302, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "staff:home": (LOGIN, NOT_FOUND, NOT_FOUND, 302, 302, 302),
    "staff:queue_bulk": post_only(STAFF),
    "staff_placements:report_start": post_only(STAFF),
    "staff:application_decide": (LOGIN, NOT_FOUND, NOT_FOUND, 302, NOT_FOUND, 302),
    "staff:application_start_review": STAFF_POST_ONLY,
    "staff:application_request_info": STAFF_POST_ONLY,
    "staff:application_review": STAFF_POST_ONLY,
    "staff:application_note": STAFF_POST_ONLY,
    "staff:proposal_approve": STAFF_POST_ONLY,
    "staff:proposal_refuse": STAFF_POST_ONLY,
    "staff:dossier_start": STAFF_POST_ONLY,
    "staff_placements:publish_proposal": STAFF_POST_ONLY,
    "staff_placements:dismiss_seat_proposal": STAFF_POST_ONLY,
    "staff_placements:plan_publish": STAFF_POST_ONLY,
    "staff_placements:plan_publish_one": STAFF_POST_ONLY,
    "staff_hosting:request_confirmation": STAFF_POST_ONLY,
    "staff_hosting:interrupt": STAFF_POST_ONLY,
    # The placement has not begun (no evaluation of it yet), and the entry waits for sign-off (nothing to correct).
    "training:feedback": (LOGIN, 302, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "training:entry_edit": (LOGIN, 302, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "training:entry_review": (LOGIN, 405, 405, 405, 405, 405),
    "feeds:renew": (LOGIN, 405, 405, 405, 405, 405),
    "set_language": (405,) * 6,  # a POST, checked in tests/portal/test_language.py
}
# Routes of the libraries the portal mounts; their own tests and ours (accounts, MFA) cover them.
MOUNTED_PREFIXES = ("admin/", "accounts/")


def named_patterns(patterns=None, prefix="", namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace)
            yield from named_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if not route.startswith(MOUNTED_PREFIXES):
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def build_world(catalogue, *, submitted: bool) -> dict:
    """The world below, with the owner's application submitted or still a draft."""
    rotation, cohort = catalogue["rotation"], catalogue["cohort"]
    owner = make_applicant("owner@example.org", first_name="Ottoline", last_name="Draftwell")
    application = complete_draft(rotation, owner)
    document = application.documents.first()
    document.preview.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    if submitted:
        application_submit(application=application, by=owner)
    other = make_applicant("other@example.org")
    complete_draft(rotation, other)
    coordinator = make_staff("coordinator", rotation)
    outsider = make_staff("outsider", cohort)
    admin = make_staff("admin", superuser=True)
    section = Department.objects.get(slug="umcg-thoracic")
    freed = Placement.objects.create(
        application=application, department=section, start_week=application.start_date, weeks=1,
        status=PlacementStatus.DECLINED,
    )  # fmt: skip
    proposal = SeatProposal.objects.create(
        programme=rotation, department=section, start_week=freed.start_week, weeks=1, freed_by=freed,
        application=application,
    )  # fmt: skip
    run = PlanRun.objects.create(programme=rotation)
    confirmation = PlacementConfirmation.objects.create(application=application)
    export = DataExport.objects.create(applicant=owner, status="ready")
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=True)
    dossier = Dossier.objects.create(application=application, requested_by=coordinator, status="ready")
    dossier.file.save("dossier.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    report = InsightsReport.objects.create(
        requested_by=coordinator, programme_ids=[rotation.pk], year=2026, status="ready"
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    hospital = HospitalProposal.objects.create(
        application=application, group=rotation.offering_groups.first(), specialization=section.specialization,
        hospital="Martini Hospital", city="Groningen", country="NL", department="Radiology",
        contact_name="Dr. Bakker", contact_email="radiology@martini.example", weeks=4,
    )  # fmt: skip
    supervisor = make_supervisor("supervisor", "umcg-radiology")
    supervisor_other = make_supervisor("supervisor-other", "umcg-nuclear-medicine")
    # The owner's stay in a section of the supervisor's department (on a draft, only the declined row).
    hosted = freed
    if submitted:
        hosted = Placement.objects.create(
            application=application, department=section, start_week=freed.start_week, weeks=1,
            status=PlacementStatus.CONFIRMED,
        )  # fmt: skip
    rotation.programme_documents.filter(document_type=document.document_type).update(shared_with_hosts=True)
    invitee = User.objects.create_user("invitee@example.org")
    # Training in that placement: a logbook entry waiting, a submitted evaluation, a certificate.
    training_load()
    entry = LogbookEntry.objects.create(
        placement=hosted, competency=Competency.objects.filter(group__specialization=section.specialization).first(),
        date=hosted.start_week, activity="Observed a CT protocol review.", hours=2, submitted_at=hosted.created_at,
    )  # fmt: skip
    evaluation = Evaluation.objects.create(
        placement=hosted, form=EvaluationForm.objects.get(programme=rotation, kind="final"), kind="final",
        due_on=hosted.end_date, status="submitted", submitted_at=hosted.created_at,
    )  # fmt: skip
    certificate = Certificate.objects.create(application=application, kind="attendance", status="ready")
    certificate.file.save("certificate.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    kwargs = {
        "placements:programme_detail": {"slug": rotation.slug},
        "applicants:document_download": {"uuid": document.uuid},
        "applicants:document_preview": {"uuid": document.uuid},
        "applicants:application_apply": {"programme_slug": rotation.slug},
        "applicants:wizard_step": {"uuid": application.uuid, "step": "profile"},
        "applicants:data_export": {"uuid": export.uuid},
        "applicants:data_export_status": {"uuid": export.uuid},
        "applicants:data_export_download": {"uuid": export.uuid},
        "staff:application_decide": {"uuid": application.uuid, "decision": "accept"},
        "staff:dossier": {"uuid": dossier.uuid},
        "staff:dossier_status": {"uuid": dossier.uuid},
        "staff:dossier_download": {"uuid": dossier.uuid},
        "staff:proposal_approve": {"uuid": application.uuid, "pk": hospital.pk},
        "staff:proposal_refuse": {"uuid": application.uuid, "pk": hospital.pk},
        "staff_placements:calendar_week": {
            "department_id": section.pk,
            "week": (application.start_date - timedelta(days=application.start_date.weekday())).isoformat(),
        },
        "staff_placements:dismiss_seat_proposal": {"uuid": proposal.uuid},
        "staff_placements:insights_csv": {"chart": "waiting"},
        "staff_placements:report": {"uuid": report.uuid},
        "staff_placements:report_status": {"uuid": report.uuid},
        "staff_placements:report_download": {"uuid": report.uuid},
        "staff_placements:plan_run": {"uuid": run.uuid},
        "staff_placements:plan_run_progress": {"uuid": run.uuid},
        "staff_placements:plan_publish": {"uuid": run.uuid},
        "staff_placements:plan_publish_one": {"uuid": run.uuid, "application": application.uuid},
        "confirmation_verify": {"token": confirmation.token},
        "hosting:placement": {"uuid": hosted.uuid},
        "hosting:answer": {"uuid": hosted.uuid},
        "hosting:absence": {"uuid": hosted.uuid},
        "hosting:complete": {"uuid": hosted.uuid},
        "hosting:interrupt": {"uuid": hosted.uuid},
        "hosting:document": {"uuid": hosted.uuid, "document_uuid": document.uuid},
        "hosting:invitation": {"token": invitation_token(invitee)},
        "feeds:feed": {"token": feed_token(coordinator, FeedKind.COORDINATOR).token},
        "feeds:renew": {"kind": FeedKind.SUPERVISOR},
        "training:placement": {"uuid": hosted.uuid},
        "training:feedback": {"uuid": hosted.uuid},
        "training:entry_edit": {"uuid": entry.uuid},
        "training:evaluation": {"uuid": evaluation.uuid},
        "training:supervise": {"uuid": hosted.uuid},
        "training:evaluation_fill": {"uuid": hosted.uuid, "kind": "final"},
        "training:entry_review": {"uuid": entry.uuid},
        "training:certificate_verify": {"code": certificate.code},
        "staff_hosting:request_confirmation": {"uuid": application.uuid, "placement_uuid": hosted.uuid},
        "staff_hosting:interrupt": {"uuid": application.uuid, "placement_uuid": hosted.uuid},
    }
    users = {"owner": owner, "other": other, "coordinator": coordinator, "outsider": outsider, "admin": admin}
    users |= {"supervisor": supervisor, "supervisor_other": supervisor_other}
    return {"application": application, "kwargs": kwargs, "users": users}


@contextmanager
def world_for_a_module(django_db_blocker, *, submitted: bool):
    """The world built once for a whole test module, as Django's TestCase does with setUpTestData:
    in a transaction that each test's own nests in (a savepoint rolled back after the test), itself
    rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(demo_catalogue(), submitted=submitted)
        transaction.set_rollback(True)


def url_for(world, name: str, route: str) -> str:
    if name in world["kwargs"]:
        return reverse(name, kwargs=world["kwargs"][name])
    if "<uuid:uuid>" in route:
        return reverse(name, kwargs={"uuid": world["application"].uuid})
    return reverse(name)


def outcome_of(response) -> object:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def request_as(client, world, persona: str):
    client.logout()
    if persona != "anonymous":
        client.force_login(world["users"][persona])
