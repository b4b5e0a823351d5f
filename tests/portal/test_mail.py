"""E-mail: templates in the applicant's language, one message per event, sent once, each attempt logged.

Personas: alice applies and reads English; bram applies and reads Dutch; carol coordinates the
programme (she may request information and decide); dirk coordinates it too and reads Dutch.
Sending runs in this process: `send_email.apply(...)` executes the task here (retries included,
without waiting), and with `eager_tasks` a `.delay()` made after commit does the same.
"""

import smtplib
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib import admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from applicants.effects import email_applicant
from applicants.enums import ApplicationStatus as S
from applicants.enums import EventKind
from applicants.models import Application, Event
from applicants.notifications import application_context, event_email_draft, event_email_queue
from applicants.services.reminders import last_day_to_submit
from applicants.tasks import send_reminders_drafts, send_reminders_info, send_reminders_reviews
from applicants.workflow import transition
from portal.mail.defaults import default_templates, email_templates_install
from portal.mail.models import EmailCode, EmailLog, EmailStatus, EmailTemplate
from portal.mail.selectors import email_logs_for
from portal.mail.services import MAX_ATTEMPTS, NoTemplate, email_queue, email_render
from portal.models import User
from portal.outbox import outbox_sweep
from portal.tasks import send_email, send_stuck_emails
from tests.factories import ProgrammeFactory, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_templates")]


# --- personas and data -----------------------------------------------------------------------


@pytest.fixture
def alice(db):
    return make_user("alice", first_name="Alice", last_name="Martin")


@pytest.fixture
def bram(db):
    return make_user("bram", language="nl", first_name="Bram", last_name="de Vries")


@pytest.fixture
def programme(db):
    return ProgrammeFactory(title="Observership in medical physics", lead_time_months=3)


@pytest.fixture
def carol(programme):
    user = make_user("carol", first_name="Carol")
    programme.coordinators.add(user)
    return user


@pytest.fixture
def dirk(programme):
    user = make_user("dirk", language="nl", first_name="Dirk")
    programme.coordinators.add(user)
    return user


def make_application(programme, applicant, *, status=S.SUBMITTED, reference="OBS-2027-0042", start=None, end=None):
    return Application.objects.create(
        applicant=applicant,
        programme=programme,
        status=status,
        reference=reference if status != S.DRAFT else None,
        start_date=start or date(2027, 3, 1),
        end_date=end or date(2027, 3, 26),
    )


def status_event(application, to_status, *, message="", days_ago=0, internal=False):
    event = Event.objects.create(
        application=application,
        kind=EventKind.STATUS_CHANGED,
        to_status=to_status,
        message=message,
        internal=internal,
    )
    if days_ago:
        Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return event


class RefusingBackend(BaseEmailBackend):
    """An SMTP server's permanent refusal, as Django's SMTP backend raises it."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam")


class DisconnectingBackend(BaseEmailBackend):
    """A server that always hangs up: a temporary failure, every time."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


# --- templates and rendering -----------------------------------------------------------------


def test_seed_has_every_code_in_english_and_dutch_and_each_renders():
    seeded = set(EmailTemplate.objects.values_list("code", "language"))

    assert seeded == {(code, language) for code in EmailCode.values for language in ("en", "nl")}
    assert set(default_templates()) == seeded
    for template in EmailTemplate.objects.all():
        template.full_clean()


def test_seed_does_not_overwrite_an_edited_template():
    EmailTemplate.objects.filter(code="submitted", language="en").update(subject="Edited {{ reference }}")

    created = email_templates_install()

    assert created == 0
    assert EmailTemplate.objects.get(code="submitted", language="en").subject == "Edited {{ reference }}"


def test_english_applicant_gets_the_english_text_with_placeholders_filled(programme, alice):
    application = make_application(programme, alice)

    subject, body = email_render(
        code="info_requested",
        language=alice.language,
        context=application_context(application, message="Please upload a letter that states your dates."),
    )

    assert subject == "More information needed for your application OBS-2027-0042"
    assert body.splitlines()[:6] == [
        "Dear Alice Martin,",
        "",
        "Before your application OBS-2027-0042 to the Observership in medical physics can be assessed, "
        "the coordinator needs more information from you.",
        "",
        "Please upload a letter that states your dates.",
        "",
    ]
    assert f"http://127.0.0.1:8000/me/applications/{application.uuid}/" in body.splitlines()


def test_dutch_applicant_gets_the_dutch_text_with_dates_in_dutch(programme, bram):
    application = make_application(programme, bram)

    subject, body = email_render(code="submitted", language=bram.language, context=application_context(application))

    assert subject == "Uw aanvraag OBS-2027-0042 is ontvangen"
    assert body.startswith("Beste Bram de Vries,\n\nHartelijk dank voor uw aanvraag voor Observership in medical")
    assert "Gevraagde periode: 1 maart 2027 tot en met 26 maart 2027." in body.splitlines()
    assert body.endswith("Met vriendelijke groet,\nHet stagebureau\n")


def test_english_dates_are_written_out(programme, alice):
    application = make_application(programme, alice)

    _subject, body = email_render(code="submitted", language="en", context=application_context(application))

    assert "Requested period: 1 March 2027 to 26 March 2027." in body.splitlines()


def test_missing_dutch_template_falls_back_to_english(programme, bram):
    EmailTemplate.objects.filter(code="rejected", language="nl").delete()
    application = make_application(programme, bram)

    subject, body = email_render(code="rejected", language="nl", context=application_context(application))

    assert subject == "Decision on your application OBS-2027-0042"
    assert body.startswith("Dear Bram de Vries,")


def test_inactive_dutch_template_falls_back_to_english(programme, bram):
    EmailTemplate.objects.filter(code="accepted", language="nl").update(active=False)

    subject, _body = email_render(
        code="accepted", language="nl", context=application_context(make_application(programme, bram))
    )

    assert subject == "Your application OBS-2027-0042 has been accepted"


def test_inactive_templates_in_every_language_mean_no_email(programme, alice):
    EmailTemplate.objects.filter(code="waitlisted").update(active=False)
    application = make_application(programme, alice)

    with pytest.raises(NoTemplate):
        email_render(code="waitlisted", language="en", context={})
    assert event_email_queue(event=status_event(application, S.WAITLISTED)) is None


def test_without_any_template_row_the_built_in_text_is_used(programme, bram):
    EmailTemplate.objects.filter(code="waitlisted").delete()

    subject, _body = email_render(
        code="waitlisted", language="nl", context=application_context(make_application(programme, bram))
    )

    assert subject == "Uw aanvraag OBS-2027-0042 staat op de wachtlijst"


def test_clean_refuses_a_template_with_a_syntax_error():
    template = EmailTemplate(code="accepted", language="en", subject="Hello", body="{% if message %}")

    with pytest.raises(ValidationError) as error:
        template.clean()

    assert list(error.value.message_dict) == ["body"]
    assert error.value.message_dict["body"][0].startswith("The template cannot be read: Unclosed tag")


def test_clean_refuses_an_unknown_placeholder_and_names_it():
    template = EmailTemplate(code="accepted", language="en", subject="{{ user.password }} {{ reference }}", body="x")

    with pytest.raises(ValidationError) as error:
        template.clean()

    assert error.value.message_dict == {
        "subject": [
            "Unknown placeholder: user.password. Use only {{ applicant_name }}, {{ reference }}, "
            "{{ programme }}, {{ start_date }}, {{ end_date }}, {{ message }}, {{ dashboard_url }}, {{ deadline }}."
        ]
    }


@pytest.mark.parametrize(
    "body",
    ['{% include "base.html" %}', "{% load static %}{% static 'x' %}", '{% extends "base.html" %}', "{% debug %}"],
)
def test_clean_refuses_tags_that_reach_beyond_the_placeholders(body):
    template = EmailTemplate(code="accepted", language="en", subject="Hello", body=body)

    with pytest.raises(ValidationError) as error:
        template.clean()

    assert list(error.value.message_dict) == ["body"]


def admin_form(template, data):
    """The admin's change form for `template`, as an administrator gets it (the pages themselves
    sit behind the staff sign-in and its second factor, tested with the accounts)."""
    request = RequestFactory().post("/admin/")
    request.user = User.objects.create_superuser(email="admin@example.org", password="a-long-admin-password")
    form_class = admin.site._registry[EmailTemplate].get_form(request, template, change=True)
    return form_class(data, instance=template)


def test_admin_form_refuses_a_broken_template_with_the_reason():
    template = EmailTemplate.objects.get(code="accepted", language="en")

    form = admin_form(
        template, {"code": "accepted", "language": "en", "subject": "Hi", "body": "{{ reference|shout }}"}
    )

    assert form.is_valid() is False
    assert form.errors["body"] == ["The template cannot be read: Invalid filter: 'shout'."]
    template.refresh_from_db()
    assert template.subject == "Your application {{ reference }} has been accepted"


def test_admin_edit_is_kept_in_the_history():
    template = EmailTemplate.objects.get(code="accepted", language="en")
    form = admin_form(
        template,
        {
            "code": "accepted",
            "language": "en",
            "subject": "Welcome, {{ applicant_name }}",
            "body": "Hi",
            "active": "on",
        },
    )

    assert form.is_valid(), form.errors
    form.save()

    change = template.history.latest()
    assert (change.history_type, change.subject) == ("~", "Welcome, {{ applicant_name }}")


# --- queueing: one message per event ---------------------------------------------------------


def test_queueing_twice_for_one_event_writes_one_row_and_queues_one_task(
    programme, alice, django_capture_on_commit_callbacks
):
    application = make_application(programme, alice)
    event = status_event(application, S.SUBMITTED)

    with django_capture_on_commit_callbacks() as callbacks:
        first = event_email_queue(event=event)
        second = event_email_queue(event=event)
        email_applicant(application.pk, event.pk)

    assert first.pk == second.pk
    assert EmailLog.objects.filter(event=event).count() == 1
    assert len(callbacks) == 1
    assert (first.to, first.template_code, first.status, first.attempts) == (
        "alice@example.org",
        "submitted",
        EmailStatus.QUEUED,
        0,
    )


def test_queueing_twice_for_one_occasion_writes_one_row(programme, alice, django_capture_on_commit_callbacks):
    application = make_application(programme, alice, status=S.DRAFT)
    arguments = {
        "code": "reminder_draft",
        "to": alice.email,
        "language": "en",
        "context": application_context(application, deadline=date(2026, 12, 1)),
        "application": application,
        "occasion": f"reminder_draft:{application.pk}:2026-12-01",
    }

    with django_capture_on_commit_callbacks() as callbacks:
        first = email_queue(**arguments)
        second = email_queue(**arguments)

    assert first.pk == second.pk
    assert len(callbacks) == 1


def test_a_status_without_template_sends_nothing(programme, alice):
    application = make_application(programme, alice, status=S.IN_REVIEW)

    log = event_email_queue(event=status_event(application, S.IN_REVIEW))

    assert log is None
    assert EmailLog.objects.count() == 0


def test_internal_message_of_a_status_change_is_not_sent_to_the_applicant(programme, alice):
    application = make_application(programme, alice)
    event = status_event(application, S.REJECTED, message="Weak letter, between us.", internal=True)

    log = event_email_queue(event=event)

    assert "Weak letter" not in log.body


def test_coordinator_edited_text_replaces_the_template_and_the_effect_adds_nothing(
    programme, alice, django_capture_on_commit_callbacks
):
    application = make_application(programme, alice)
    event = status_event(application, S.ACCEPTED, message="Welcome!")
    subject, body = event_email_draft(event=event)

    with django_capture_on_commit_callbacks() as callbacks:
        edited = event_email_queue(event=event, subject=subject + " – congratulations", body="Edited.\n" + body)
        email_applicant(application.pk, event.pk)

    assert len(callbacks) == 1
    assert EmailLog.objects.get() == edited
    assert edited.subject == "Your application OBS-2027-0042 has been accepted – congratulations"
    assert edited.body.startswith("Edited.\nDear Alice Martin,")


# --- sending ---------------------------------------------------------------------------------


def test_send_task_run_twice_sends_once(programme, alice):
    application = make_application(programme, alice)
    log = event_email_queue(event=status_event(application, S.SUBMITTED))

    first = send_email.apply(kwargs={"log_id": log.pk})
    second = send_email.apply(kwargs={"log_id": log.pk})

    assert (first.get(), second.get()) == ("sent", "skipped")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert mail.outbox[0].subject == "Your application OBS-2027-0042 has been received"
    log.refresh_from_db()
    assert (log.status, log.attempts, log.last_error) == (EmailStatus.SENT, 1, "")
    assert log.sent_at is not None


def test_sent_message_appears_on_the_timeline_once(programme, alice):
    application = make_application(programme, alice)
    event = status_event(application, S.SUBMITTED)
    log = event_email_queue(event=event)

    send_email.apply(kwargs={"log_id": log.pk})

    entry = Event.objects.get(kind=EventKind.EMAIL_SENT)
    assert (entry.application, entry.caused_by, entry.internal) == (application, event, False)
    assert entry.message == "To alice@example.org: Your application OBS-2027-0042 has been received"


def test_send_task_for_a_missing_row_does_nothing():
    assert send_email.apply(kwargs={"log_id": 999_999}).get() == "skipped"
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND="tests.portal.test_mail.RefusingBackend")
def test_permanent_refusal_marks_the_log_failed_without_retry(programme, alice):
    application = make_application(programme, alice)
    log = event_email_queue(event=status_event(application, S.SUBMITTED))

    result = send_email.apply(kwargs={"log_id": log.pk})

    assert result.get() == "failed"
    log.refresh_from_db()
    assert (log.status, log.attempts, log.last_error) == (
        EmailStatus.FAILED,
        1,
        "554 5.7.1 Message rejected as spam",
    )
    failure = Event.objects.get(kind=EventKind.EMAIL_FAILED)
    assert failure.internal is True
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND="tests.portal.test_mail.DisconnectingBackend")
def test_temporary_failures_are_retried_until_the_last_attempt_then_failed(programme, alice, retries_in_process):
    application = make_application(programme, alice)
    log = event_email_queue(event=status_event(application, S.SUBMITTED))

    result = send_email.apply(kwargs={"log_id": log.pk})

    assert result.get() == "failed"
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.FAILED, MAX_ATTEMPTS)
    assert log.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"


def test_transition_queues_after_commit_and_the_dutch_applicant_gets_dutch_mail(
    programme, bram, carol, eager_tasks, django_capture_on_commit_callbacks
):
    application = make_application(programme, bram)

    with django_capture_on_commit_callbacks(execute=True):
        event = transition(
            application=application, name="request_info", by=carol, message="Stuur ons een motivatiebrief."
        )

    assert [m.subject for m in mail.outbox] == ["Aanvullende informatie nodig voor uw aanvraag OBS-2027-0042"]
    assert "Stuur ons een motivatiebrief." in mail.outbox[0].body.splitlines()
    log = EmailLog.objects.get()
    assert (log.event, log.application, log.language, log.status) == (event, application, "nl", EmailStatus.SENT)


def test_a_rolled_back_transition_queues_nothing(programme, alice, carol, django_capture_on_commit_callbacks):
    application = make_application(programme, alice)

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                transition(application=application, name="reject", by=carol, message="No.")
                raise RuntimeError("something later in the request failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert EmailLog.objects.count() == 0


def test_message_a_worker_took_on_and_lost_is_queued_again_and_sent(programme, alice, eager_tasks):
    application = make_application(programme, alice)
    log = event_email_queue(event=status_event(application, S.SUBMITTED))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    EmailLog.objects.filter(pk=log.pk).update(
        status=EmailStatus.SENDING, attempts=1, created_at=an_hour_ago, claimed_at=an_hour_ago
    )

    requeued = send_stuck_emails.apply().get()

    assert requeued == 1
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_message_no_worker_ever_claimed_is_sent_again_by_the_outbox_alone(programme, alice, eager_tasks):
    """Exactly one sweeper per lost e-mail: never claimed, the outbox; claimed and lost, send_stuck_emails."""
    application = make_application(programme, alice)
    log = event_email_queue(event=status_event(application, S.SUBMITTED))
    EmailLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert send_stuck_emails.apply().get() == 0
    assert mail.outbox == []
    swept = outbox_sweep()
    assert send_stuck_emails.apply().get() == 0

    assert swept["emails"] == 1
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.SENT, 1)
    assert len(mail.outbox) == 1


def test_email_logs_for_lists_only_that_applications_messages_oldest_first(programme, alice, bram):
    mine = make_application(programme, alice)
    other = make_application(programme, bram, reference="OBS-2027-0043")
    first = event_email_queue(event=status_event(mine, S.SUBMITTED))
    second = event_email_queue(event=status_event(mine, S.ACCEPTED))
    event_email_queue(event=status_event(other, S.SUBMITTED))

    assert list(email_logs_for(mine)) == [first, second]


# --- reminders -------------------------------------------------------------------------------


def test_last_day_to_submit_is_the_lead_time_before_the_start(programme, alice):
    draft = make_application(programme, alice, status=S.DRAFT, start=date(2027, 5, 31), end=date(2027, 6, 25))

    assert last_day_to_submit(draft) == date(2027, 2, 28)


def test_draft_reminder_is_sent_once_in_the_week_before_the_last_day(
    programme, alice, bram, eager_tasks, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    close_start = today + timedelta(days=3) + relativedelta(months=3)
    far_start = today + timedelta(days=30) + relativedelta(months=3)
    due = make_application(programme, alice, status=S.DRAFT, start=close_start, end=close_start + timedelta(27))
    make_application(programme, bram, status=S.DRAFT, start=far_start, end=far_start + timedelta(27))

    for _day in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders_drafts.apply()

    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert (
        mail.outbox[0].subject == "Your application to the Observership in medical physics has not been submitted yet"
    )
    deadline = last_day_to_submit(due)  # today + 3 days, or + 4 where a month end clamps the date
    assert today + timedelta(days=3) <= deadline <= today + timedelta(days=4)
    log = EmailLog.objects.get()
    assert log.occasion == f"reminder_draft:{due.pk}:{deadline.isoformat()}"


def test_information_request_reminder_is_sent_once_after_seven_days(
    programme, alice, bram, eager_tasks, django_capture_on_commit_callbacks
):
    waiting = make_application(programme, alice, status=S.INFO_REQUESTED)
    request = status_event(waiting, S.INFO_REQUESTED, message="Send your CV.", days_ago=8)
    recent = make_application(programme, bram, status=S.INFO_REQUESTED, reference="OBS-2027-0043")
    status_event(recent, S.INFO_REQUESTED, message="Send your CV.", days_ago=6)

    for _day in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders_info.apply()

    assert [m.subject for m in mail.outbox] == ["Reminder: we are waiting for your answer (OBS-2027-0042)"]
    assert "Send your CV." in mail.outbox[0].body.splitlines()
    assert EmailLog.objects.get().event == request


def test_review_reminder_goes_to_the_coordinators_once_per_wait(
    programme, alice, bram, carol, dirk, eager_tasks, django_capture_on_commit_callbacks
):
    waiting = make_application(programme, alice, status=S.SUBMITTED)
    status_event(waiting, S.SUBMITTED, days_ago=15)
    recent = make_application(programme, bram, status=S.IN_REVIEW, reference="OBS-2027-0043")
    status_event(recent, S.IN_REVIEW, days_ago=13)

    for _day in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders_reviews.apply()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["carol@example.org", "dirk@example.org"], "Application OBS-2027-0042 is waiting for review")
    ]
    since = timezone.localdate(timezone.now() - timedelta(days=15))
    assert f"since {since.day} {since:%B} {since.year}." in mail.outbox[0].body
    assert Event.objects.get(kind=EventKind.EMAIL_SENT).internal is True


def test_review_reminder_comes_again_for_a_new_wait(
    programme, alice, carol, eager_tasks, django_capture_on_commit_callbacks
):
    application = make_application(programme, alice, status=S.IN_REVIEW)
    status_event(application, S.SUBMITTED, days_ago=40)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders_reviews.apply()
    status_event(application, S.IN_REVIEW, days_ago=20)

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders_reviews.apply()

    assert len(mail.outbox) == 2
