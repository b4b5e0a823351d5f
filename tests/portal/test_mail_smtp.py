"""E-mail through a real SMTP server (aiosmtpd, started by the test on a free local port).

Personas: alice applies and reads English; bram applies and reads Dutch.
"""

import socket
import uuid
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import transaction

from applicants.enums import ApplicationStatus as S
from applicants.enums import EventKind
from applicants.models import Application, Event
from applicants.notifications import application_context, event_email_queue
from portal.celery import app as celery_app
from portal.mail.models import EmailLog, EmailStatus
from portal.mail.services import MAX_ATTEMPTS, email_queue
from portal.tasks import send_email
from tests.conftest import WorkerProcess
from tests.factories import ProgrammeFactory, UserFactory
from tests.waiting import wait_for

pytestmark = pytest.mark.usefixtures("email_templates")


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it accepts; `refuse` holds SMTP answers to give to DATA first."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    refuse_recipients: str = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return self.refuse_recipients
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse.pop(0)
        self.envelopes.append(envelope)
        self.received.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    # aiosmtpd's Controller checks that it listens by connecting to its port, so it cannot take
    # port 0; ask the system for a free port and try again in the rare case someone took it since.
    for _attempt in range(5):
        controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        try:
            controller.start()
            break
        except OSError:
            continue
    else:
        pytest.fail("No free local port for the SMTP server")
    yield SmtpServer(mailbox=mailbox, port=controller.port)
    controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Django's SMTP backend, pointed at the test's server (what EMAIL_URL=smtp://... configures)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


def make_application(email, *, language="en", first="Alice", last="Martin", reference="OBS-2027-0042"):
    applicant = UserFactory(email=email, first_name=first, last_name=last, language=language)
    programme = ProgrammeFactory(title="Observership in medical physics")
    return Application.objects.create(
        applicant=applicant,
        programme=programme,
        status=S.SUBMITTED,
        reference=reference,
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 26),
    )


def submitted_event(application):
    return Event.objects.create(application=application, kind=EventKind.STATUS_CHANGED, to_status=S.SUBMITTED)


# --- in this process ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_message_goes_through_a_real_smtp_server(smtp_settings, smtp_server):
    application = make_application("alice@example.org")
    log = event_email_queue(event=submitted_event(application))

    result = send_email.apply(kwargs={"log_id": log.pk})

    assert result.get() == "sent"
    [message] = smtp_server.mailbox.received
    assert smtp_server.mailbox.envelopes[0].rcpt_tos == ["alice@example.org"]
    assert message["To"] == "alice@example.org"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == "Your application OBS-2027-0042 has been received"
    assert "reference OBS-2027-0042" in message.get_content()
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.SENT, 1)


@pytest.mark.django_db
def test_dutch_text_arrives_intact(smtp_settings, smtp_server):
    application = make_application("bram@example.org", language="nl", first="Bram", last="de Vries")
    log = event_email_queue(event=submitted_event(application))

    send_email.apply(kwargs={"log_id": log.pk})

    [message] = smtp_server.mailbox.received
    assert message["Subject"] == "Uw aanvraag OBS-2027-0042 is ontvangen"
    body = message.get_content()
    assert "Een coördinator bekijkt nu uw aanvraag. Elke stap kunt u volgen op uw persoonlijke pagina:" in body
    assert "Gevraagde periode: 1 maart 2027 tot en met 26 maart 2027." in body


@pytest.mark.django_db
def test_temporary_refusal_is_retried_and_both_attempts_are_logged(smtp_settings, smtp_server, retries_in_process):
    smtp_server.mailbox.refuse = ["451 4.3.0 Mailbox busy, try again later"]
    application = make_application("alice@example.org")
    log = event_email_queue(event=submitted_event(application))

    result = send_email.apply(kwargs={"log_id": log.pk})

    assert result.get() == "sent"
    assert len(smtp_server.mailbox.received) == 1
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.SENT, 2)
    assert log.last_error == "451 4.3.0 Mailbox busy, try again later"


@pytest.mark.django_db
def test_permanent_refusal_of_the_recipient_fails_at_once(smtp_settings, smtp_server, retries_in_process):
    smtp_server.mailbox.refuse_recipients = "550 5.1.1 No such user here"
    application = make_application("nobody@example.org")
    log = event_email_queue(event=submitted_event(application))

    result = send_email.apply(kwargs={"log_id": log.pk})

    assert result.get() == "failed"
    assert smtp_server.mailbox.received == []
    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.FAILED, 1)
    assert log.last_error == "Recipients refused: nobody@example.org: 550 5.1.1 No such user here"


@pytest.mark.django_db
def test_unreachable_server_is_a_temporary_failure(settings, retries_in_process):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    application = make_application("alice@example.org")
    log = event_email_queue(event=submitted_event(application))

    send_email.apply(kwargs={"log_id": log.pk})

    log.refresh_from_db()
    assert (log.status, log.attempts) == (EmailStatus.FAILED, MAX_ATTEMPTS)
    assert log.last_error.startswith("ConnectionRefusedError: ")


# --- through a real worker ---------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_through_the_smtp_server(smtp_server):
    # A worker of its own, configured like production through EMAIL_URL, on a queue of its own so
    # that a session worker with the in-memory backend cannot take the message instead.
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-smtp-{uuid.uuid4().hex[:6]}"
    worker = WorkerProcess(settings.DATABASES["default"]["NAME"], name="smtp")
    worker.env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_server.port}"
    worker.env["CELERY_QUEUE"] = queue
    previous_routes = celery_app.conf.task_routes
    celery_app.conf.update(task_routes={"portal.send_email": {"queue": queue}})
    worker.start()
    try:
        application = make_application("alice@example.org")
        with transaction.atomic():
            log = email_queue(
                code="submitted",
                to=application.applicant.email,
                language="en",
                context=application_context(application),
                application=application,
            )

        arrived = wait_for(
            lambda: len(smtp_server.mailbox.received) == 1,
            timeout=20,
            what=f"a message at the SMTP server (see {worker.log_path})",
        )
        sent = wait_for(
            lambda: EmailLog.objects.get(pk=log.pk).status == EmailStatus.SENT, timeout=20, what="the log to say sent"
        )
    finally:
        celery_app.conf.update(task_routes=previous_routes)
        worker.stop()

    assert arrived, f"No message reached the SMTP server; see {worker.log_path}"
    assert sent
    [message] = smtp_server.mailbox.received
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Your application OBS-2027-0042 has been received"
    assert "reference OBS-2027-0042" in message.get_content()
    assert Event.objects.get(kind=EventKind.EMAIL_SENT).application == application
