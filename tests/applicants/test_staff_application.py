"""The staff page of one application, its actions, and the information request round trip.

Personas (rotation = the demo observership, cohort = the demo postgraduate year):
- alice: applies to the rotation programme (English e-mails); sees her own page, never the staff page.
- bram: applies to the rotation programme too and reads Dutch.
- bob: another applicant; sees nothing of alice's.
- carol: coordinates the rotation programme; sees and works on alice's application.
- dave: coordinates the cohort programme only; gets 404 for everything of alice's.
- root: superuser; sees and works on everything.
Staff have an authenticator app, as the portal requires; `force_login` stands in for signing in.
"""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants import workflow
from applicants.access import staff_programme_ids
from applicants.effects import email_applicant
from applicants.enums import ApplicationStatus, EventKind
from applicants.models import Application, ApplicationComponent, Document, Event, InternalNote, Review
from applicants.notifications import application_context
from applicants.services.decisions import decision_email_draft
from applicants.services.reviews import review_save
from placements.catalogue.models import DocumentType
from portal.mail.models import EmailLog
from portal.mail.services import email_render
from tests.applicants.corpus import pdf_with_text
from tests.applicants.staff_builders import give_rubric, make_application, make_document, staff_url
from tests.factories import DocumentTypeFactory, make_staff, make_user
from tests.web import messages_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_templates")]
S = ApplicationStatus


# --- personas and data -----------------------------------------------------------------------


@pytest.fixture
def rotation(catalogue):
    give_rubric(catalogue["rotation"])
    return catalogue["rotation"]


@pytest.fixture
def bram():
    return make_user("bram", language="nl")


@pytest.fixture
def carol(rotation):
    """Named: the timeline shows who reviewed."""
    return make_staff("carol", rotation, first_name="Carol", last_name="Tester")


@pytest.fixture
def submitted(rotation, alice):
    return make_application(rotation, alice, status=S.SUBMITTED)


@pytest.fixture
def in_review(rotation, alice):
    return make_application(rotation, alice, status=S.IN_REVIEW)


def letter(application) -> DocumentType:
    return DocumentType.objects.get(code="motivation-letter")


def decide_url(application, decision: str) -> str:
    return staff_url("application_decide", application, decision=decision)


# --- what the page shows ---------------------------------------------------------------------


def test_pages_show_profile_stay_documents_checks_reviews_notes_timeline_and_emails(client, in_review, carol):
    document = make_document(
        in_review, letter(in_review), name="Letter.pdf", check="The letter does not mention 1 March 2027."
    )
    criteria = list(in_review.programme.rubric.all())
    review_save(
        application=in_review,
        reviewer=carol,
        scores={c.pk: 4 for c in criteria},
        comment="Clear and motivated.",
        recommendation="accept",
    )
    InternalNote.objects.create(application=in_review, author=carol, text="Call the home university.")
    EmailLog.objects.create(
        to="alice@example.org", subject="Your application was received", body="Dear Alice", application=in_review
    )
    client.force_login(carol)

    overview = client.get(staff_url("application", in_review))
    reviews = client.get(staff_url("application_reviews", in_review))
    history = client.get(staff_url("application_history", in_review))

    assert overview.status_code == 200
    assertContains(overview, "alice@example.org")
    assertContains(overview, "1 March 2027 – 28 March 2027")
    assertContains(overview, f'src="{reverse("applicants:document_preview", args=[document.uuid])}"')
    assertContains(overview, f'href="{reverse("applicants:document_download", args=[document.uuid])}"')
    assertContains(overview, "The letter does not mention 1 March 2027.", count=2)  # on the document and in the list
    assertContains(overview, "Mean score 4.00 of 5 (1 review)")  # in the heading of every page
    assertContains(reviews, "Mean score 4.00 of 5 (1 review)")
    assertContains(reviews, "Clear and motivated.")
    assertContains(reviews, "Mean 4.00")
    assertContains(reviews, "Call the home university.")
    assertContains(history, "Review by Carol Tester: mean 4.00 of 5")  # an internal event, with the actor's name
    assertContains(history, "Internal</span>")
    assertContains(history, "Your application was received")
    assertContains(history, "0 attempts")


def test_the_overview_shows_catalogue_changes_at_once(client, in_review, carol):
    """The programme's questions, departments and document types come from the cache until the
    catalogue changes: a change shows on the next page."""
    question = in_review.programme.questions.first()
    offering = in_review.programme.offerings.select_related("department").first()
    Application.objects.filter(pk=in_review.pk).update(answers={str(question.pk): True})
    ApplicationComponent.objects.create(application=in_review, offering=offering, weeks=2)
    make_document(in_review, letter(in_review), name="Letter.pdf")
    client.force_login(carol)
    assertContains(client.get(staff_url("application", in_review)), escape(offering.department.name))

    question.text = "Do you hold a visa for the Schengen area?"
    question.save()
    department = offering.department
    department.name = "Interventional radiology (new wing)"
    department.save()
    letter_type = DocumentType.objects.get(code="motivation-letter")
    letter_type.name = "Letter of motivation"
    letter_type.save()
    page = client.get(staff_url("application", in_review))

    assertContains(page, "Do you hold a visa for the Schengen area?")
    assertContains(page, "Interventional radiology (new wing)")
    assertContains(page, "Letter of motivation")


def test_the_pages_of_an_application_are_tabs_that_mark_the_one_shown(client, in_review, carol):
    client.force_login(carol)
    urls = [staff_url(name, in_review) for name in ("application", "application_reviews", "application_history")]

    for shown in urls:
        html = client.get(shown).content.decode()
        for url in urls:
            current = ' aria-current="page"' if url == shown else ""
            assert f'href="{url}"{current}>' in html


def test_page_offers_the_actions_that_the_workflow_allows(client, rotation, alice, carol):
    submitted = make_application(rotation, alice, status=S.SUBMITTED)
    client.force_login(carol)

    page = client.get(staff_url("application", submitted))

    assertContains(page, staff_url("application_start_review", submitted))
    assertContains(page, staff_url("application_request_info", submitted))
    assertContains(page, decide_url(submitted, "reject"))
    assertNotContains(page, decide_url(submitted, "accept"))
    assertNotContains(page, decide_url(submitted, "waitlist"))

    Application.objects.filter(pk=submitted.pk).update(status=S.IN_REVIEW)
    page = client.get(staff_url("application", submitted))

    assertNotContains(page, staff_url("application_start_review", submitted))
    for decision in ("accept", "waitlist", "reject"):
        assertContains(page, decide_url(submitted, decision))

    Application.objects.filter(pk=submitted.pk).update(status=S.ACCEPTED)
    page = client.get(staff_url("application", submitted))

    assertNotContains(page, staff_url("application_request_info", submitted))
    assertNotContains(page, "/decide/")


def test_role_from_the_staff_check_is_the_role_from_the_coordinators_table(rotation, cohort, alice, carol, dave, root):
    application = make_application(rotation, alice, status=S.IN_REVIEW)

    for user in (alice, carol, dave, root):
        scope = staff_programme_ids(user)
        assert workflow.role_of(user, application, coordinated=scope) == workflow.role_of(user, application)
    assert workflow.role_of(carol, application, coordinated=[cohort.pk]) is None


@pytest.mark.parametrize("count", [1, 12])
def test_page_query_count_does_not_grow_with_rows(client, rotation, alice, carol, count, django_assert_num_queries):
    application = make_application(rotation, alice, status=S.IN_REVIEW)
    criteria = list(rotation.rubric.all())
    for number in range(count):
        make_document(application, DocumentTypeFactory(), name=f"file-{number}.pdf", check="Needs a look.")
        reviewer = make_staff(f"reviewer{number}", rotation)
        review_save(application=application, reviewer=reviewer, scores={c.pk: 3 for c in criteria})
        InternalNote.objects.create(application=application, author=reviewer, text=f"Note {number}")
        EmailLog.objects.create(to="alice@example.org", subject=f"E-mail {number}", body="…", application=application)
    client.force_login(carol)
    client.get(staff_url("application", application))  # the session remembers the staff checks

    # user, staff check (the programmes in scope, which also give the coordinator's role), the
    # application with its applicant and profile, its documents, their checks, its components; the
    # session and the programme's catalogue come from the cache (no proposed hospitals here: the
    # programme takes none)
    with django_assert_num_queries(6):
        response = client.get(staff_url("application", application))
    assert response.status_code == 200
    # the same, then the application with its rubric, reviews with their scores, and notes
    with django_assert_num_queries(7):
        response = client.get(staff_url("application_reviews", application))
    assert response.status_code == 200
    # the same, then the application with its events, and the e-mails
    with django_assert_num_queries(5):
        response = client.get(staff_url("application_history", application))
    assert response.status_code == 200


# --- who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("carol", 200), ("root", 200), ("dave", 404), ("alice", 404), ("bob", 404)]
)
@pytest.mark.parametrize("page", ["application", "application_reviews", "application_history"])
def test_page_is_seen_by_the_programmes_staff_only(request, client, submitted, persona, status, page):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(staff_url(page, submitted))

    assert response.status_code == status


def test_page_sends_anonymous_visitor_to_sign_in(client, submitted):
    url = staff_url("application", submitted)

    response = client.get(url)

    assertRedirects(response, f"{reverse('account_login')}?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("view", ["applicants:document_download", "applicants:document_preview"])
def test_other_programmes_coordinator_gets_404_for_the_documents(client, submitted, carol, dave, view):
    document = make_document(submitted, letter(submitted))
    url = reverse(view, args=[document.uuid])
    client.force_login(dave)

    assert client.get(url).status_code == 404

    client.force_login(carol)
    assert client.get(url).status_code == 200


ACTION_POSTS = [
    ("application_start_review", {}, {}),
    ("application_request_info", {}, {"message": "Send your diploma."}),
    ("application_decide", {"decision": "accept"}, {"subject": "Accepted", "body": "Welcome"}),
    ("application_decide", {"decision": "waitlist"}, {"subject": "Waitlisted", "body": "Wait"}),
    ("application_decide", {"decision": "reject"}, {"subject": "Rejected", "body": "Sorry"}),
    ("application_review", {}, {"comment": "x"}),
    ("application_note", {}, {"text": "A note"}),
]


@pytest.mark.parametrize(("name", "kwargs", "data"), ACTION_POSTS, ids=[f"{a[0]}-{a[1]}" for a in ACTION_POSTS])
def test_other_programmes_coordinator_gets_404_on_every_action(client, in_review, dave, name, kwargs, data):
    client.force_login(dave)
    url = staff_url(name, in_review, **kwargs)
    events_before = Event.objects.count()

    assert client.post(url, data).status_code == 404
    if name == "application_decide":
        assert client.get(url).status_code == 404

    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW
    assert Event.objects.count() == events_before
    assert (InternalNote.objects.count(), Review.objects.count(), EmailLog.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(("name", "kwargs"), [(a[0], a[1]) for a in ACTION_POSTS])
def test_the_applicant_gets_404_on_every_action(client, in_review, alice, name, kwargs):
    client.force_login(alice)

    assert client.post(staff_url(name, in_review, **kwargs), {}).status_code == 404


def test_unknown_decision_is_404(client, in_review, carol):
    client.force_login(carol)

    assert client.get(decide_url(in_review, "promote")).status_code == 404


# --- start review and notes --------------------------------------------------------------------


def test_start_review_moves_the_application_into_review(client, submitted, carol):
    client.force_login(carol)

    response = client.post(staff_url("application_start_review", submitted))

    assertRedirects(response, staff_url("application", submitted), fetch_redirect_response=False)
    submitted.refresh_from_db()
    assert submitted.status == S.IN_REVIEW
    event = Event.objects.filter(application=submitted).latest("id")
    assert (event.actor, event.from_status, event.to_status) == (carol, S.SUBMITTED, S.IN_REVIEW)


def test_start_review_twice_is_a_message_not_an_error(client, in_review, carol):
    client.force_login(carol)

    response = client.post(staff_url("application_start_review", in_review))

    assert response.status_code == 302
    assert messages_of(response) == ["“Start review” is not possible while the application is in review."]


def test_internal_note_is_kept_for_staff_and_hidden_from_the_applicant(client, in_review, carol, alice):
    client.force_login(carol)

    client.post(staff_url("application_note", in_review), {"text": "Ask the dean for a reference."})

    note = InternalNote.objects.get(application=in_review)
    assert (note.author, note.text) == (carol, "Ask the dean for a reference.")
    assertContains(client.get(staff_url("application_reviews", in_review)), "Ask the dean for a reference.")
    client.force_login(alice)
    assertNotContains(client.get(in_review.get_absolute_url()), "Internal note")


def test_empty_note_is_a_form_error(client, in_review, carol):
    client.force_login(carol)

    response = client.post(staff_url("application_note", in_review), {"text": "  "})

    assertContains(response, "Write the note first.")
    assert not InternalNote.objects.exists()


# --- decisions with an edited e-mail ---------------------------------------------------------


def test_decision_form_is_prefilled_from_the_template_in_the_applicants_language(client, rotation, bram, carol):
    application = make_application(rotation, bram, status=S.IN_REVIEW)
    subject, body = email_render(code="accepted", language="nl", context=application_context(application))
    client.force_login(carol)

    response = client.get(decide_url(application, "accept"))

    assert response.status_code == 200
    assert response.context["form"].initial == {"subject": subject, "body": body}
    assert (subject, body) == decision_email_draft(application=application, name="accept")
    assertContains(response, escape(subject))
    assert "Nederlands" in response.content.decode()


def test_decision_subject_with_a_line_break_is_refused_and_nothing_is_sent(client, in_review, carol):
    client.force_login(carol)

    response = client.post(
        decide_url(in_review, "accept"),
        {"subject": "Welcome to Groningen,\r\nBcc: x@example.org", "body": "Dear Alice"},
    )

    in_review.refresh_from_db()
    assert response.status_code == 200
    assert "one line of plain text" in response.content.decode()
    assert (in_review.status, mail.outbox) == (S.IN_REVIEW, [])


def test_decision_sends_the_edited_e_mail_once(
    client, in_review, carol, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(carol)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(in_review, "accept"),
            {"subject": "Welcome to Groningen,  Alice", "body": "Dear Alice,\n\nWe will see you in March.\n"},
        )

    assertRedirects(response, staff_url("application", in_review), fetch_redirect_response=False)
    in_review.refresh_from_db()
    assert in_review.status == S.ACCEPTED
    event = Event.objects.get(application=in_review, kind=EventKind.STATUS_CHANGED, to_status=S.ACCEPTED)
    log = EmailLog.objects.get(event=event)
    assert (log.subject, log.body, log.to, log.status) == (
        "Welcome to Groningen, Alice",
        "Dear Alice,\n\nWe will see you in March.",
        "alice@example.org",
        "sent",
    )
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        ("Welcome to Groningen, Alice", "Dear Alice,\n\nWe will see you in March.", ["alice@example.org"])
    ]
    # The transition's own e-mail effect ran after commit and found the row; running it again adds nothing.
    email_applicant(in_review.pk, event.pk)
    assert EmailLog.objects.filter(event=event).count() == 1
    assert EmailLog.objects.filter(application=in_review).count() == 1


def test_decision_that_the_workflow_refuses_is_a_message_and_sends_nothing(
    client, submitted, carol, django_capture_on_commit_callbacks
):
    client.force_login(carol)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(submitted, "accept"), {"subject": "Accepted", "body": "Welcome"})

    assert response.status_code == 302
    assert messages_of(response) == ["“Accept” is not possible while the application is submitted."]
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_at) == (S.SUBMITTED, None)
    assert not EmailLog.objects.exists()


def test_decision_page_of_a_decision_not_possible_now_goes_back_with_a_message(client, submitted, carol):
    client.force_login(carol)

    response = client.get(decide_url(submitted, "waitlist"))

    assertRedirects(response, staff_url("application", submitted), fetch_redirect_response=False)
    assert messages_of(response) == ["“Waitlist” is not possible while the application is submitted."]


def test_decision_without_subject_keeps_the_text_and_decides_nothing(client, in_review, carol):
    client.force_login(carol)

    response = client.post(decide_url(in_review, "reject"), {"subject": " ", "body": "My careful words"})

    assert response.status_code == 200
    assertContains(response, "The e-mail needs a subject.")
    assertContains(response, "My careful words")
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW
    assert not EmailLog.objects.exists()


# --- the information request round trip ----------------------------------------------------------


def test_request_info_is_mailed_with_the_message(
    client, in_review, carol, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(carol)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(staff_url("application_request_info", in_review), {"message": "Please send your diploma."})

    in_review.refresh_from_db()
    assert in_review.status == S.INFO_REQUESTED
    event = Event.objects.get(application=in_review, to_status=S.INFO_REQUESTED)
    assert (event.actor, event.message, event.internal) == (carol, "Please send your diploma.", False)
    log = EmailLog.objects.get(event=event)
    assert "Please send your diploma." in log.body
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_request_info_without_a_message_is_a_form_error(client, in_review, carol):
    client.force_login(carol)

    response = client.post(staff_url("application_request_info", in_review), {"message": ""})

    assertContains(response, "Write what the applicant should send or explain.")
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW


def test_applicant_answers_with_text_and_an_upload_and_the_application_returns_to_review(
    client, in_review, carol, alice
):
    old_letter = make_document(in_review, letter(in_review), name="Old letter.pdf")
    client.force_login(carol)
    client.post(staff_url("application_request_info", in_review), {"message": "Which dates exactly?"})

    client.force_login(alice)
    page = client.get(in_review.get_absolute_url())
    assertContains(page, "Which dates exactly?")
    answer_url = reverse("applicants:application_answer", kwargs={"uuid": in_review.uuid})
    assertContains(page, answer_url)
    assertContains(client.get(answer_url), "Which dates exactly?")

    upload = SimpleUploadedFile("New letter.pdf", pdf_with_text("From 1 March 2027"), content_type="application/pdf")
    field = f"file_{letter(in_review).pk}"
    response = client.post(answer_url, {"answer": "From 1 to 29 March 2027.", field: upload})

    assertRedirects(response, in_review.get_absolute_url(), fetch_redirect_response=False)
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW
    answer = Event.objects.filter(application=in_review).latest("id")
    assert (answer.actor, answer.from_status, answer.to_status, answer.message) == (
        alice,
        S.INFO_REQUESTED,
        S.IN_REVIEW,
        "From 1 to 29 March 2027.",
    )
    uploaded = Event.objects.get(application=in_review, kind=EventKind.DOCUMENT_UPLOADED)
    assert uploaded.message == "Motivation letter: New letter.pdf (replaces the earlier file)"
    assert list(Document.objects.filter(application=in_review).values_list("original_name", flat=True)) == [
        "New letter.pdf"
    ]
    assert not Document.objects.filter(pk=old_letter.pk).exists()
    client.force_login(carol)
    assertContains(client.get(staff_url("application_history", in_review)), "From 1 to 29 March 2027.")


def test_refused_upload_keeps_the_answer_and_changes_nothing(client, in_review, alice):
    Application.objects.filter(pk=in_review.pk).update(status=S.INFO_REQUESTED)
    client.force_login(alice)
    answer_url = reverse("applicants:application_answer", kwargs={"uuid": in_review.uuid})
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")

    response = client.post(answer_url, {"answer": "Here it is.", f"file_{letter(in_review).pk}": fake})

    assert response.status_code == 200
    assertContains(response, "Motivation letter: ")
    assertContains(response, "Here it is.")
    in_review.refresh_from_db()
    assert in_review.status == S.INFO_REQUESTED
    assert not Document.objects.filter(application=in_review).exists()


@pytest.mark.parametrize("persona", ["carol", "bob", "dave"])
def test_answer_page_is_the_applicants_own(request, client, in_review, persona):
    Application.objects.filter(pk=in_review.pk).update(status=S.INFO_REQUESTED)
    client.force_login(request.getfixturevalue(persona))
    answer_url = reverse("applicants:application_answer", kwargs={"uuid": in_review.uuid})

    assert client.get(answer_url).status_code == 404
    assert client.post(answer_url, {"answer": "Not mine to give."}).status_code == 404
    in_review.refresh_from_db()
    assert in_review.status == S.INFO_REQUESTED


def test_answer_page_without_an_open_request_goes_back_with_a_message(client, in_review, alice):
    client.force_login(alice)

    response = client.post(reverse("applicants:application_answer", kwargs={"uuid": in_review.uuid}), {"answer": "?"})

    assertRedirects(response, in_review.get_absolute_url(), fetch_redirect_response=False)
    assert messages_of(response) == ["There is no open request for information on this application."]
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW


# --- the admin: read-mostly -----------------------------------------------------------------------


@pytest.mark.parametrize("model", ["application", "document", "event", "rubriccriterion"])
def test_admin_lists_the_applicants_models(client, in_review, root, model):
    make_document(in_review, letter(in_review))
    client.force_login(root)

    assert client.get(reverse(f"admin:applicants_{model}_changelist")).status_code == 200


def test_admin_shows_an_application_without_letting_its_status_change(client, in_review, root):
    make_document(in_review, letter(in_review))
    client.force_login(root)
    url = reverse("admin:applicants_application_change", args=[in_review.pk])

    page = client.get(url)
    client.post(url, {"status": S.ACCEPTED})

    assert page.status_code == 200
    assertNotContains(page, 'name="status"')
    assertContains(page, staff_url("application", in_review))
    in_review.refresh_from_db()
    assert in_review.status == S.IN_REVIEW


def test_admin_document_page_links_to_the_checked_download_only(client, in_review, root):
    document = make_document(in_review, letter(in_review))
    client.force_login(root)

    page = client.get(reverse("admin:applicants_document_change", args=[document.pk]))

    assert page.status_code == 200
    assertContains(page, reverse("applicants:document_download", args=[document.uuid]))
    assertNotContains(page, document.file.name)
