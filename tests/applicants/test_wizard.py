"""The application wizard, driven through the test client step by step on the demo catalogue.

Personas:
- alice: a verified applicant; owns the drafts in these tests and is the only one who sees their steps.
- bob: another verified applicant; gets 404 on every one of alice's step URLs.
- carol: coordinator of the rotation programme; sees alice's application once submitted, never her draft's steps.
"""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus, DocumentState
from applicants.files.checks import format_date
from applicants.models import Application, Document
from applicants.services.documents import document_process
from applicants.services.notices import privacy_notice_current
from placements.catalogue.models import DocumentType, Programme
from placements.catalogue.validation import earliest_start, human_date
from portal.models import User
from tests.applicants.corpus import html_page, pdf_with_text
from tests.applicants.staff_builders import offering
from tests.factories import make_user

pytestmark = pytest.mark.django_db
STEPS = ("profile", "eligibility", "components", "dates", "documents", "review")


# --- people and places ---------------------------------------------------------------------------


@pytest.fixture
def alice(client) -> User:
    user = make_user("alice")
    client.force_login(user)
    return user


def step_url(application: Application, step: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})


def status_url(application: Application) -> str:
    return reverse("applicants:wizard_documents_status", kwargs={"uuid": application.uuid})


def apply_url(programme: Programme) -> str:
    return reverse("applicants:application_apply", kwargs={"programme_slug": programme.slug})


def first_monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def valid_start(programme: Programme) -> date:
    """A Monday comfortably past the lead time."""
    return first_monday_after(earliest_start(programme, timezone.localdate()) + timedelta(days=7))


# --- filling the steps ---------------------------------------------------------------------------


PROFILE = {
    "first_name": "Alice",
    "last_name": "Martins",
    "language": "en",
    "nationality": "Portuguese",
    "home_institution": "University of Porto",
    "study_phase": "clinical",
    "degree": "Medicine",
    "english_level": "C1",
    "phone": "",
}


def start_application(client, programme: Programme):
    response = client.post(apply_url(programme))
    return Application.objects.get(programme=programme), response


def components_data(programme: Programme, weeks: dict[str, int], *, action="continue") -> dict:
    """The components form: every section row 0 weeks unless named in `weeks` (department slug -> weeks)."""
    data = {"action": action}
    for rank, item in enumerate(programme.offerings.all(), start=1):
        chosen = weeks.get(item.department.slug, 0)
        data[f"weeks_{item.pk}"] = str(chosen)
        data[f"rank_{item.pk}"] = str(rank) if chosen else ""
    return data


FOUR_WEEKS = {"umcg-thoracic": 3, "umcg-nuclear-medicine": 1}


def fill_until_documents(client, programme: Programme) -> tuple[Application, date, date]:
    """Profile, eligibility, 3 weeks thoracic + 1 week nuclear medicine, and 4 weeks of dates."""
    application, _ = start_application(client, programme)
    client.post(step_url(application, "profile"), {**PROFILE, "action": "continue"})
    question = programme.questions.get()
    client.post(step_url(application, "eligibility"), {f"answer_{question.pk}": "yes", "action": "continue"})
    client.post(step_url(application, "components"), components_data(programme, FOUR_WEEKS))
    start = valid_start(programme)
    end = start + timedelta(days=25)  # the Friday of the fourth week
    response = client.post(
        step_url(application, "dates"),
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "action": "continue"},
    )
    assertRedirects(response, step_url(application, "documents"), fetch_redirect_response=False)
    return application, start, end


def upload(client, application: Application, code: str, content: bytes, name: str, *, action="upload"):
    item = application.programme.programme_documents.get(document_type__code=code)
    field = f"document-{item.pk}-file"
    return client.post(step_url(application, "documents"), {field: SimpleUploadedFile(name, content), "action": action})


def settle_documents(application: Application) -> None:
    """What the worker does with each uploaded file."""
    for document in application.documents.filter(state=DocumentState.PENDING):
        document_process(document_id=document.pk)


def upload_all(client, application: Application, start: date, end: date) -> None:
    letter = f"Dear coordinator, I ask for an observership from {format_date(start)} to {format_date(end)}."
    for code, content in [
        ("cv", pdf_with_text("Curriculum vitae of Alice Martins")),
        ("motivation-letter", pdf_with_text(letter)),
        ("english-proof", pdf_with_text("IELTS Test Report Form, overall band 7.5")),
    ]:
        response = upload(client, application, code, content, f"{code}.pdf")
        assertRedirects(response, step_url(application, "documents"), fetch_redirect_response=False)


# --- the whole way -------------------------------------------------------------------------------


def test_happy_path_for_the_rotation_programme_ends_submitted_with_a_reference(client, alice, rotation):
    application, response = start_application(client, rotation)
    assertRedirects(response, step_url(application, "profile"))

    response = client.post(step_url(application, "profile"), {**PROFILE, "action": "continue"})
    assertRedirects(response, step_url(application, "eligibility"))
    alice.refresh_from_db()
    assert (alice.get_full_name(), alice.profile.nationality) == ("Alice Martins", "Portuguese")

    question = rotation.questions.get()
    response = client.post(step_url(application, "eligibility"), {f"answer_{question.pk}": "yes", "action": "continue"})
    assertRedirects(response, step_url(application, "components"))

    response = client.get(step_url(application, "components"))
    assertContains(response, "A longer stay in one or two sections")
    assertContains(response, "Only together with another part")
    response = client.post(step_url(application, "components"), components_data(rotation, FOUR_WEEKS))
    assertRedirects(response, step_url(application, "dates"))

    start = valid_start(rotation)
    end = start + timedelta(days=25)  # the Friday of the fourth week
    response = client.get(step_url(application, "dates"))
    assertContains(response, earliest_start(rotation, timezone.localdate()).strftime("%B %Y").lstrip("0"))
    response = client.post(
        step_url(application, "dates"),
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "action": "continue"},
    )
    assertRedirects(response, step_url(application, "documents"))

    upload_all(client, application, start, end)
    response = client.get(step_url(application, "documents"))
    assertContains(response, 'hx-trigger="every 2s"')
    assertContains(response, "Being checked", count=3)

    settle_documents(application)
    response = client.get(step_url(application, "documents"))
    assertNotContains(response, 'hx-trigger="every 2s"')
    assertContains(response, ">Ready<", count=3)
    assertContains(response, "The letter states the requested dates")

    response = client.get(step_url(application, "review"))
    assert [p.message for p in response.context["problems"]] == ["Give your consent to the processing of your data."]
    notice = privacy_notice_current()
    assertContains(response, f"Privacy notice (version {notice.version}")
    response = client.post(step_url(application, "review"), {"consent": "on", "action": "submit"})

    application.refresh_from_db()
    assertRedirects(response, application.get_absolute_url(), fetch_redirect_response=False)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference == f"UMCG-{start.year}-0001"
    assert application.privacy_notice_version == notice.version
    assert [(c.offering.department.slug, c.weeks, c.rank) for c in application.components.all()] == [
        ("umcg-thoracic", 3, 1),
        ("umcg-nuclear-medicine", 1, 2),
    ]


def test_step_indicator_marks_the_current_step_and_the_done_ones(client, alice, rotation):
    application, _start, _end = fill_until_documents(client, rotation)

    response = client.get(step_url(application, "documents"))

    assertContains(response, 'aria-current="step"', count=1)
    assertContains(response, "(done)", count=4)  # profile, eligibility, components, dates


# --- rules shown next to their field -------------------------------------------------------------


def test_nuclear_medicine_alone_is_saved_but_shown_as_not_possible_on_its_own(client, alice, rotation):
    application, _ = start_application(client, rotation)

    response = client.post(step_url(application, "components"), components_data(rotation, {"umcg-nuclear-medicine": 1}))

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("cannot be chosen on its own" in error for error in errors)
    assertContains(response, "Nuclear medicine and molecular imaging cannot be chosen on its own.")
    assert [c.offering.department.slug for c in application.components.all()] == ["umcg-nuclear-medicine"]


def test_weeks_outside_an_offering_are_shown_on_its_row(client, alice, rotation):
    application, _ = start_application(client, rotation)
    thoracic = offering(rotation, "umcg-thoracic")

    response = client.post(step_url(application, "components"), components_data(rotation, {"umcg-thoracic": 9}))

    assert response.status_code == 200
    assert response.context["form"].errors[f"weeks_{thoracic.pk}"] == [
        "Thoracic radiology: 9 weeks is not possible; choose 1–8 weeks."
    ]


def test_weeks_that_are_not_a_number_are_a_form_error_and_nothing_is_saved(client, alice, rotation):
    application, _ = start_application(client, rotation)
    thoracic = offering(rotation, "umcg-thoracic")
    data = components_data(rotation, {"umcg-thoracic": 3})
    data[f"weeks_{thoracic.pk}"] = "three"

    response = client.post(step_url(application, "components"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[f"weeks_{thoracic.pk}"] == ["Enter a whole number."]
    assert not application.components.exists()


def test_start_date_inside_the_lead_time_shows_the_earliest_date_next_to_the_start_date(client, alice, rotation):
    application, _ = start_application(client, rotation)
    today = timezone.localdate()
    start = first_monday_after(today + timedelta(days=30))

    response = client.post(
        step_url(application, "dates"),
        {"start_date": start.isoformat(), "end_date": (start + timedelta(days=25)).isoformat(), "action": "continue"},
    )

    assert response.status_code == 200
    earliest = earliest_start(rotation, today)
    assert response.context["form"].errors["start_date"] == [
        f"The start date must be on or after {date_format(earliest, 'l j F Y')}, "
        f"the first Monday at least 3 months after {human_date(today)}."
    ]
    application.refresh_from_db()
    assert application.start_date == start  # a draft keeps what was typed


def test_a_date_that_does_not_exist_is_a_form_error_and_nothing_is_saved(client, alice, rotation):
    application, _ = start_application(client, rotation)

    response = client.post(
        step_url(application, "dates"), {"start_date": "2031-02-30", "end_date": "2031-03-20", "action": "continue"}
    )

    assert response.context["form"].errors["start_date"] == ["Enter a valid date."]
    application.refresh_from_db()
    assert (application.start_date, application.end_date) == (None, None)


def test_dates_that_do_not_add_up_to_the_chosen_weeks_are_shown_on_the_dates_step(client, alice, rotation):
    application, _ = start_application(client, rotation)
    client.post(step_url(application, "components"), components_data(rotation, FOUR_WEEKS))
    start = valid_start(rotation)

    response = client.post(
        step_url(application, "dates"),
        {"start_date": start.isoformat(), "end_date": (start + timedelta(days=34)).isoformat(), "action": "continue"},
    )

    assert response.context["form"].non_field_errors() == [
        "Your choices add up to 4 weeks, but the requested period is 5 weeks."
    ]


def test_the_dates_step_offers_a_monday_as_the_earliest_start(client, alice, rotation):
    application, _ = start_application(client, rotation)
    earliest = earliest_start(rotation, timezone.localdate())

    response = client.get(step_url(application, "dates"))

    assert earliest.weekday() == 0
    assert response.context["form"].fields["start_date"].widget.attrs["min"] == earliest.isoformat()
    assertContains(response, f"The earliest possible start is {date_format(earliest, 'l j F Y')}.")
    assertContains(response, "Start and end on a working day (Monday to Friday).")


def test_a_start_and_end_on_a_weekend_are_refused_next_to_each_date(client, alice, rotation):
    application, _ = start_application(client, rotation)
    saturday = valid_start(rotation) - timedelta(days=2)
    sunday = saturday + timedelta(days=29)

    response = client.post(
        step_url(application, "dates"),
        {"start_date": saturday.isoformat(), "end_date": sunday.isoformat(), "action": "continue"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["start_date"] == [
        f"{human_date(saturday)} is a Saturday; the placement runs on working days, so start on a Monday to Friday."
    ]
    assert errors["end_date"] == [
        f"{human_date(sunday)} is a Sunday; the placement runs on working days, so end on a Monday to Friday."
    ]


def test_a_required_no_is_shown_next_to_the_question(client, alice, catalogue):
    cohort = catalogue["cohort"]
    application, _ = start_application(client, cohort)
    degree, hospital = cohort.questions.all()

    response = client.post(
        step_url(application, "eligibility"),
        {f"answer_{degree.pk}": "no", f"answer_{hospital.pk}": "none", "action": "continue"},
    )

    assert response.context["form"].errors[f"answer_{degree.pk}"] == [degree.refusal_message]
    application.refresh_from_db()
    assert application.answers == {str(degree.pk): False, str(hospital.pk): "none"}


def test_the_cohort_programme_offers_its_departments_as_radios(client, alice, catalogue):
    cohort = catalogue["cohort"]
    application, _ = start_application(client, cohort)
    group = cohort.offering_groups.get()
    radiotherapy = offering(cohort, "uzl-radiotherapy")

    response = client.get(step_url(application, "components"))
    # one per department, and one to propose another recognized hospital
    assertContains(response, 'type="radio"', count=cohort.offerings.count() + 1)
    response = client.post(
        step_url(application, "components"),
        {f"group_{group.pk}": str(radiotherapy.pk), f"group_{group.pk}_weeks": "30", "action": "continue"},
    )

    assertRedirects(response, step_url(application, "dates"), fetch_redirect_response=False)
    assert [(c.offering_id, c.weeks) for c in application.components.all()] == [(radiotherapy.pk, 30)]


# --- documents -----------------------------------------------------------------------------------


def test_a_refused_upload_shows_the_reason_and_keeps_the_rest_of_the_draft(client, alice, rotation):
    application, start, end = fill_until_documents(client, rotation)
    item = rotation.programme_documents.get(document_type__code="cv")

    response = upload(client, application, "cv", html_page(), "cv.pdf")

    assert response.status_code == 200
    assert response.context["slots"][0][1].errors["file"] == ["The file is named .pdf but its content is not a PDF."]
    assertContains(response, "The file is named .pdf but its content is not a PDF.")
    assert f"document-{item.pk}-file" in response.content.decode()
    application.refresh_from_db()
    assert (application.start_date, application.end_date) == (start, end)
    assert application.components.count() == 2
    assert not application.documents.exists()


def test_a_file_refused_by_the_worker_shows_its_reason_and_can_be_replaced_or_deleted(client, alice, rotation):
    application, _start, _end = fill_until_documents(client, rotation)
    upload(client, application, "cv", b"%PDF-1.4\nnot really a PDF at all", "cv.pdf")
    settle_documents(application)

    response = client.get(step_url(application, "documents"))
    document = application.documents.get()
    assert document.state == DocumentState.REJECTED
    assertContains(response, ">Refused<")
    assertContains(response, document.reason)
    assertContains(response, "Replace")

    response = client.post(step_url(application, "documents"), {"delete": str(document.uuid)})
    assertRedirects(response, step_url(application, "documents"))
    assert not application.documents.exists()


def test_the_polling_fragment_shows_the_state_change(client, alice, bob, rotation):
    application, _start, _end = fill_until_documents(client, rotation)
    upload(client, application, "cv", pdf_with_text("Curriculum vitae"), "cv.pdf")

    pending = client.get(status_url(application))
    settle_documents(application)
    ready = client.get(status_url(application))
    client.force_login(bob)
    outsider = client.get(status_url(application))

    assert pending.status_code == 200
    assertContains(pending, 'hx-trigger="every 2s"')
    assertContains(pending, "Being checked")
    assert ready.status_code == 200
    assertNotContains(ready, "hx-trigger")
    assertContains(ready, ">Ready<")
    assert outsider.status_code == 404


# --- coming back ---------------------------------------------------------------------------------


def test_leave_and_come_back_to_the_saved_values(client, alice, rotation):
    application, _ = start_application(client, rotation)
    client.post(step_url(application, "profile"), {**PROFILE, "action": "continue"})
    thoracic = offering(rotation, "umcg-thoracic")

    response = client.post(step_url(application, "components"), components_data(rotation, FOUR_WEEKS, action="leave"))
    assertRedirects(response, reverse("applicants:dashboard"), fetch_redirect_response=False)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your draft is saved. You can come back to it at any time from “My applications”."
    ]

    again, response = start_application(client, rotation)
    assert again.pk == application.pk
    assertRedirects(response, step_url(application, "eligibility"))
    response = client.get(step_url(application, "components"))
    assert response.context["form"][f"weeks_{thoracic.pk}"].value() == 3
    assertContains(response, f'name="weeks_{thoracic.pk}" id="id_weeks_{thoracic.pk}"\n       value="3"')
    response = client.get(step_url(application, "profile"))
    assertContains(response, 'value="University of Porto"')


def test_submitted_application_steps_lead_to_its_page(client, alice, rotation):
    application, start, end = fill_until_documents(client, rotation)
    upload_all(client, application, start, end)
    settle_documents(application)
    client.post(step_url(application, "review"), {"consent": "on", "action": "submit"})

    response = client.get(step_url(application, "dates"))

    assertRedirects(response, application.get_absolute_url(), fetch_redirect_response=False)


def test_second_apply_after_submission_is_refused_with_a_message(client, alice, rotation):
    application, start, end = fill_until_documents(client, rotation)
    upload_all(client, application, start, end)
    settle_documents(application)
    client.post(step_url(application, "review"), {"consent": "on", "action": "submit"})
    application.refresh_from_db()

    response = client.post(apply_url(rotation), follow=True)

    assertRedirects(response, rotation.get_absolute_url())
    assertContains(response, f"You already have an open application for this programme ({application.reference}).")
    assert Application.objects.filter(applicant=alice).count() == 1


def test_submit_with_problems_stays_a_draft_and_says_why(client, alice, rotation):
    application, _start, _end = fill_until_documents(client, rotation)

    review = client.get(step_url(application, "review"))
    response = client.post(step_url(application, "review"), {"consent": "on", "action": "submit"}, follow=True)

    assert [(p.message, p.step) for p in review.context["problems"]] == [
        ("Upload your curriculum vitae.", "documents"),
        ("Upload your motivation letter.", "documents"),
        ("Upload your proof of English.", "documents"),
        ("Give your consent to the processing of your data.", "review"),
    ]
    slots = [item.pk for item in application.programme.programme_documents.order_by("order", "pk")]
    for slot in slots:  # each link goes to the document's own place on the documents step
        assertContains(
            review, f'<a href="{step_url(application, "documents")}#document-slot-{slot}">Go to documents</a>'
        )
    assertRedirects(response, step_url(application, "review"))
    assertContains(response, "Your application is not submitted yet. Upload your curriculum vitae.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submit_without_consent_is_a_form_error(client, alice, rotation):
    application, _ = start_application(client, rotation)

    response = client.post(step_url(application, "review"), {"action": "submit"})

    assert response.status_code == 200
    assert response.context["form"].errors["consent"] == [
        "Tick this box to give your consent; without it we cannot process your data."
    ]


# --- who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS)
def test_another_applicant_gets_404_on_every_step(client, alice, bob, rotation, step):
    application, _ = start_application(client, rotation)
    client.force_login(bob)

    assert client.get(step_url(application, step)).status_code == 404
    assert client.post(step_url(application, step), {"action": "continue"}).status_code == 404


def test_the_programme_coordinator_gets_404_on_a_draft_step(client, alice, rotation, carol):
    application, _ = start_application(client, rotation)
    client.force_login(carol)

    assert client.get(step_url(application, "review")).status_code == 404


def test_an_unknown_step_is_404(client, alice, rotation):
    application, _ = start_application(client, rotation)

    assert client.get(step_url(application, "payment")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, rotation):
    response = client.post(apply_url(rotation))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_programme_page_apply_button_posts_when_signed_in_and_signs_up_otherwise(client, rotation):
    signed_out = client.get(rotation.get_absolute_url())
    client.force_login(make_user("dora"))
    signed_in = client.get(rotation.get_absolute_url())

    assertContains(signed_out, f'href="{reverse("account_signup")}?next={rotation.get_absolute_url()}"')
    assertNotContains(signed_out, apply_url(rotation))
    assertContains(signed_in, f'<form method="post" action="{apply_url(rotation)}">')


# --- in a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_documents_list_updates_itself_while_a_file_is_checked(client, alice, rotation, live_server, browser):
    application, _start, _end = fill_until_documents(client, rotation)
    # Stored as the upload view stores it, but not queued: a worker started by another test of this
    # run must not check it before the page has shown it as pending.
    cv = Document(
        application=application,
        document_type=DocumentType.objects.get(code="cv"),
        original_name="cv.pdf",
        size=1,
        sha256="0" * 64,
        content_kind="pdf",
    )
    cv.file.save("cv.pdf", ContentFile(pdf_with_text("Curriculum vitae")), save=True)
    letter = rotation.programme_documents.get(document_type__code="motivation-letter")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + step_url(application, "documents"))
    cv_card = page.locator("section", has=page.get_by_role("heading", name="Curriculum vitae"))
    assert "Being checked" in cv_card.inner_text()
    # A file chosen meanwhile for another document survives the list's refreshes.
    page.locator(f"#id_document-{letter.pk}-file").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": pdf_with_text("Letter")}
    )

    settle_documents(application)

    cv_card.get_by_text("Ready", exact=True).wait_for(timeout=30_000)  # polls every 2 s
    assert page.locator("#document-list").get_attribute("data-hx-trigger") is None
    assert page.locator(f"#id_document-{letter.pk}-file").evaluate("input => input.files.length") == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    context.close()
