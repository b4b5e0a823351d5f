"""The applicant's dashboard, an application's page and withdrawing, for each kind of visitor.

Personas (rotation = the demo observership, cohort = the demo postgraduate year):
- alice: applicant with an application to the rotation programme; sees only her own.
- bob: another applicant; never sees alice's application.
- carol: coordinator of the rotation programme; sees alice's application, internal events included.
- dave: coordinator of the cohort programme only; gets 404 for alice's application.
- root: superuser; sees everything.
"""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus, CheckStatus, DocumentState, EventKind
from applicants.models import Application, DocumentCheck, Event
from placements.catalogue.models import DocumentType
from tests.applicants.staff_builders import make_application, make_document
from tests.factories import ApplicantProfileFactory, ProgrammeFactory, make_staff
from tests.web import messages_of

pytestmark = pytest.mark.django_db
S = ApplicationStatus
DASHBOARD_URL = reverse("applicants:dashboard")


# --- helpers -------------------------------------------------------------------------------------


def document_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def detail_url(application) -> str:
    return reverse("applicants:application_detail", kwargs={"uuid": application.uuid})


def withdraw_url(application) -> str:
    return reverse("applicants:application_withdraw", kwargs={"uuid": application.uuid})


@pytest.fixture
def alices_application(rotation, alice):
    return make_application(rotation, alice)


# --- the dashboard -------------------------------------------------------------------------------


def test_dashboard_lists_only_own_applications(client, rotation, cohort, alice, bob):
    mine = [make_application(rotation, alice), make_application(cohort, alice, status=S.DRAFT)]
    make_application(rotation, bob)
    client.force_login(alice)

    response = client.get(DASHBOARD_URL)

    assert response.status_code == 200
    assert [row.application for row in response.context["rows"]] == sorted(mine, key=lambda a: a.created_at)[::-1]
    assertContains(response, mine[0].reference, count=1)
    assertNotContains(response, "-2027-0003")


def step_url(application, step: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})


def dashboard_links(response) -> dict[str, str]:
    return dict(re.findall(r'href="([^"]+)">(View|Continue)<', response.content.decode()))


def test_dashboard_links_view_for_submitted_and_continue_for_draft(client, rotation, cohort, alice):
    submitted = make_application(rotation, alice)
    draft = make_application(cohort, alice, status=S.DRAFT)
    client.force_login(alice)

    response = client.get(DASHBOARD_URL)

    assert dashboard_links(response) == {detail_url(submitted): "View", step_url(draft, "profile"): "Continue"}
    assertContains(response, "<td>Draft</td>", count=1, html=True)
    assertContains(response, f"<td>{submitted.reference}</td>", count=1, html=True)


def test_continue_resumes_the_draft_at_its_first_unsaved_step(client, cohort, alice):
    ApplicantProfileFactory(user=alice)
    draft = make_application(cohort, alice, status=S.DRAFT)
    draft.completed_steps = ["eligibility", "components"]
    draft.save(update_fields=["completed_steps"])
    client.force_login(alice)

    response = client.get(DASHBOARD_URL)

    assert dashboard_links(response) == {step_url(draft, "dates"): "Continue"}


def test_dashboard_without_applications_points_to_the_catalogue(client, alice):
    client.force_login(alice)

    response = client.get(DASHBOARD_URL)

    assertContains(response, "You have not started an application yet.")
    link = f'<a class="btn btn-primary" href="{reverse("placements:programme_list")}">Find a programme</a>'
    assertContains(response, link, count=1, html=True)


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_query_count_does_not_grow_with_applications(client, alice, count, django_assert_num_queries):
    for index in range(count):
        make_application(ProgrammeFactory(), alice, status=S.DRAFT if index % 2 == 0 else S.SUBMITTED)
    client.force_login(alice)

    # user (the session comes from the cache), applications with their programme and last event,
    # whether alice has a profile, whether she has a placement for a calendar feed
    with django_assert_num_queries(4):
        response = client.get(DASHBOARD_URL)

    assert len(response.context["rows"]) == count


def test_dashboard_sends_anonymous_visitor_to_sign_in(client):
    response = client.get(DASHBOARD_URL)

    assertRedirects(response, f"{reverse('account_login')}?next={DASHBOARD_URL}", fetch_redirect_response=False)


def test_home_takes_signed_in_applicant_to_dashboard(client, alice):
    client.force_login(alice)

    assertRedirects(client.get("/"), DASHBOARD_URL, fetch_redirect_response=False)


def test_home_takes_staff_and_visitors_to_the_catalogue(client):
    catalogue_url = reverse("placements:programme_list")
    assertRedirects(client.get("/"), catalogue_url, fetch_redirect_response=False)

    staff = make_staff("staff", is_staff=True)
    client.force_login(staff)
    assertRedirects(client.get("/"), catalogue_url, fetch_redirect_response=False)


# --- who may see an application ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("root", 200)],
)
def test_application_page_is_seen_only_by_owner_its_coordinators_and_superusers(
    request, client, alices_application, carol, dave, bob, root, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(detail_url(alices_application))

    assert response.status_code == status


def test_application_page_sends_anonymous_visitor_to_sign_in(client, alices_application):
    url = detail_url(alices_application)

    response = client.get(url)

    assertRedirects(response, f"{reverse('account_login')}?next={url}", fetch_redirect_response=False)


def test_application_page_of_unknown_uuid_is_404(client, alice):
    client.force_login(alice)

    response = client.get(reverse("applicants:application_detail", kwargs={"uuid": uuid.uuid4()}))

    assert response.status_code == 404


# --- what the page shows -------------------------------------------------------------------------


def test_application_page_shows_stay_answers_documents_and_checks(client, rotation, alice):
    application = make_application(rotation, alice)
    offering = rotation.offerings.order_by("order").first()
    application.components.create(offering=offering, weeks=3, rank=1)
    question = rotation.questions.first()
    application.answers = {str(question.pk): True} if question else {}
    application.save(update_fields=["answers"])
    cv = make_document(application, document_type("cv"), name="My CV.pdf")
    DocumentCheck.objects.create(document=cv, code="pages", status=CheckStatus.PASS, message="The CV has one page.")
    letter = make_document(
        application,
        document_type("motivation-letter"),
        name="Letter.pdf",
        state=DocumentState.REJECTED,
        reason="It is empty.",
    )
    DocumentCheck.objects.create(
        document=letter, code="dates", status=CheckStatus.WARN, message="The letter does not state your dates."
    )
    client.force_login(alice)

    response = client.get(detail_url(application))

    assertContains(response, application.reference)
    assertContains(response, "1 March 2027 – 28 March 2027")
    assertContains(response, f"<td>{escape(offering.department.name)}</td>", count=1)
    if question:
        assertContains(response, question.text)
    assertContains(response, "My CV.pdf")
    assertContains(response, "Refused: It is empty.", count=1)
    assertContains(response, "The CV has one page.", count=1)
    assertContains(response, "The letter does not state your dates.", count=1)
    for document in (cv, letter):
        assertContains(response, reverse("applicants:document_download", kwargs={"uuid": document.uuid}), count=1)


def test_applicant_sees_public_events_with_roles_and_staff_see_internal_ones(client, alices_application, carol):
    Event.objects.create(
        application=alices_application,
        actor=carol,
        kind=EventKind.STATUS_CHANGED,
        from_status=S.SUBMITTED,
        to_status=S.IN_REVIEW,
        message="We are looking at it.",
    )
    Event.objects.create(
        application=alices_application, actor=carol, kind=EventKind.NOTE, message="Strong CV.", internal=True
    )
    Event.objects.create(application=alices_application, actor=None, kind=EventKind.EMAIL_SENT, message="Mail sent.")

    client.force_login(alices_application.applicant)
    as_applicant = client.get(detail_url(alices_application))
    client.force_login(carol)
    as_coordinator = client.get(detail_url(alices_application))

    assert [(e.title, e.actor) for e in as_applicant.context["timeline"]] == [
        ("Application started", "You"),
        ("In review", "Coordinator"),
        ("E-mail sent", "System"),
    ]
    assertNotContains(as_applicant, "Strong CV.")
    assertNotContains(as_applicant, "carol@example.org")
    assert [(e.title, e.actor) for e in as_coordinator.context["timeline"]] == [
        ("Application started", "alice@example.org"),
        ("In review", "carol@example.org"),
        ("Note", "carol@example.org"),
        ("E-mail sent", "System"),
    ]


@pytest.mark.parametrize("documents", [1, 4])
def test_application_page_query_count_does_not_grow_with_documents(
    client, rotation, alice, documents, django_assert_num_queries
):
    application = make_application(rotation, alice)
    for code in ["cv", "motivation-letter", "english-proof", "transcript"][:documents]:
        document = make_document(application, document_type(code), state=DocumentState.PENDING)
        DocumentCheck.objects.create(document=document, code="x", status=CheckStatus.PASS, message="Fine.")
        Event.objects.create(application=application, actor=alice, kind=EventKind.DOCUMENT_UPLOADED)
    client.force_login(alice)

    # user (the session comes from the cache), application, components, documents, checks, questions, events,
    # proposed hospitals
    with django_assert_num_queries(8):
        client.get(detail_url(application))


# --- withdrawing ---------------------------------------------------------------------------------


def test_withdraw_button_is_offered_to_the_applicant_only_while_open(client, alices_application, carol):
    client.force_login(alices_application.applicant)
    assertContains(client.get(detail_url(alices_application)), withdraw_url(alices_application), count=1)

    client.force_login(carol)
    assertNotContains(client.get(detail_url(alices_application)), withdraw_url(alices_application))

    Application.objects.filter(pk=alices_application.pk).update(status=S.REJECTED)
    client.force_login(alices_application.applicant)
    assertNotContains(client.get(detail_url(alices_application)), withdraw_url(alices_application))


def test_withdraw_page_explains_the_consequences(client, alices_application):
    client.force_login(alices_application.applicant)

    response = client.get(withdraw_url(alices_application))

    assert response.status_code == 200
    assertContains(response, "You cannot undo this.")
    assertContains(response, 'name="reason"', count=1)


def test_withdraw_changes_status_and_records_the_reason(client, alices_application):
    client.force_login(alices_application.applicant)

    response = client.post(withdraw_url(alices_application), {"reason": "I found a place closer to home."})

    assertRedirects(response, detail_url(alices_application), fetch_redirect_response=False)
    assert messages_of(response) == ["Your application has been withdrawn."]
    alices_application.refresh_from_db()
    assert alices_application.status == S.WITHDRAWN
    event = alices_application.events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.actor, event.from_status, event.to_status, event.message, event.internal) == (
        alices_application.applicant,
        S.SUBMITTED,
        S.WITHDRAWN,
        "I found a place closer to home.",
        False,
    )


def test_withdraw_without_reason_records_a_default_message(client, alices_application):
    client.force_login(alices_application.applicant)

    client.post(withdraw_url(alices_application), {"reason": ""})

    event = alices_application.events.get(kind=EventKind.STATUS_CHANGED)
    assert event.message == "Withdrawn by the applicant."


def test_withdraw_of_withdrawn_application_shows_a_message(client, rotation, alice):
    application = make_application(rotation, alice, status=S.WITHDRAWN)
    client.force_login(alice)

    posted = client.post(withdraw_url(application), {"reason": "Again"}, follow=True)
    fetched = client.get(withdraw_url(application), follow=True)

    assert posted.redirect_chain == [(detail_url(application), 302)]
    assertContains(posted, escape("“Withdraw” is not possible while the application is withdrawn."), count=1)
    assert fetched.redirect_chain == [(detail_url(application), 302)]
    assertContains(fetched, "You have already withdrawn this application.", count=1)
    assert not application.events.filter(kind=EventKind.STATUS_CHANGED).exists()


def test_coordinator_cannot_withdraw_for_the_applicant(client, alices_application, carol):
    client.force_login(carol)

    response = client.post(withdraw_url(alices_application), {"reason": ""})

    assertRedirects(response, detail_url(alices_application), fetch_redirect_response=False)
    assert messages_of(response) == ["You may not withdraw this application."]
    alices_application.refresh_from_db()
    assert alices_application.status == S.SUBMITTED


@pytest.mark.parametrize("persona", ["bob", "dave"])
def test_outsider_withdrawing_gets_404_and_changes_nothing(request, client, alices_application, bob, dave, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(withdraw_url(alices_application)).status_code == 404
    assert client.post(withdraw_url(alices_application), {"reason": ""}).status_code == 404
    alices_application.refresh_from_db()
    assert alices_application.status == S.SUBMITTED
