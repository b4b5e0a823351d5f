"""Deleting one's account: personal data gone from every table and from the document folder, statistics kept.

Personas:
- quintessa: applicant with one rejected and one open application, documents, answers, e-mails,
  notes and reviews about her, a data export, a sign-in lockout row; she deletes her account.
- bob: another applicant; nothing of his changes.
- carol: coordinator of the rotation programme (reviews, notes, asks for information, rejects).
"""

import io
import os
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applicants.enums import OPEN_STATES, ApplicationStatus, EventKind
from applicants.files.checks import format_date
from applicants.models import (
    ApplicantProfile,
    Application,
    ApplicationComponent,
    DataExport,
    Document,
    Event,
    InternalNote,
    ReviewScore,
    RubricCriterion,
)
from applicants.privacy.data_export import data_export_build, data_export_request
from applicants.privacy.erasure import ErasureSummary, applicant_erase
from applicants.services import applications as services
from applicants.services.decisions import (
    application_answer_info,
    application_decide,
    application_request_info,
    application_start_review,
    internal_note_add,
)
from applicants.services.documents import document_process, document_upload
from applicants.services.reviews import review_save
from placements.catalogue.models import DocumentType
from portal.mail.models import EmailLog
from portal.models import User
from tests.applicants import corpus
from tests.applicants.builders import complete_draft, make_applicant
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "quintessa.zyqxenborg@example.pt"
FIRST, LAST = "Quintessa", "Zyqxenborg"
NATIONALITY = "Vanuatuan-Qx"
INSTITUTION = "Universidade Quorvath de Braga"
PHONE = "+351 912 004 777"
DEGREE = "Mestrado em Fisica Quorvathiana"
ANSWER = "I work at the Pellwick Memorial Clinic"
INFO_REPLY = "My supervisor Dr Ostrander-Vale will confirm"
LETTER_PHRASE = "ultramarine pelican seventeen"


def letter_text(application) -> str:
    dates = f"{format_date(application.start_date)} to {format_date(application.end_date)}"
    return f"Dear team, {LETTER_PHRASE}, from {dates}."


FILENAME = "quintessa-zyqxenborg-motivation.pdf"

NEEDLES = [EMAIL, FIRST, LAST, NATIONALITY, INSTITUTION, PHONE, DEGREE, ANSWER, INFO_REPLY, LETTER_PHRASE, FILENAME]
# Types holding numbers, times or flags: nothing of a person's words can be in them.
NOT_TEXT = (
    "smallint", "integer", "bigint", "numeric", "real", "double precision", "boolean",
    "date", "timestamp with time zone", "timestamp without time zone", "interval", "uuid",
)  # fmt: skip


# --- the sweeps ----------------------------------------------------------------------------------


def database_hits(needles: list[str]) -> set[tuple[str, str, str]]:
    """(needle, table, column) for every needle found in any text-like column of any table."""
    hits = set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.data_type <> ALL(%s)",
            [list(NOT_TEXT)],
        )
        columns = cursor.fetchall()
        assert len(columns) > 50  # the sweep really covers the schema
        for table, column in columns:
            table_sql, column_sql = connection.ops.quote_name(table), connection.ops.quote_name(column)
            cursor.execute(f"SELECT lower({column_sql}::text) FROM {table_sql} WHERE {column_sql} IS NOT NULL")  # noqa: S608
            values = [row[0] for row in cursor.fetchall()]
            for needle in needles:
                if any(needle.lower() in value for value in values):
                    hits.add((needle, table, column))
    return hits


def media_hits(needles: list[str]) -> set[tuple[str, str]]:
    """(needle, path) for every needle found in the bytes of any file under PRIVATE_MEDIA_ROOT (a PDF's streams
    uncompressed: a stored PDF is rebuilt with compressed streams)."""
    hits = set()
    for path in stored_files():
        data = readable_bytes(path).lower()
        hits.update((n, str(path)) for n in needles if n.lower().encode() in data)
    return hits


def readable_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.startswith(b"%PDF"):
        return data
    buffer = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.save(buffer, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
    except pikepdf.PdfError:  # a placeholder some tests store, not a real PDF
        return data
    return data + buffer.getvalue()


def statistics() -> Counter:
    return Counter(Application.objects.values_list("programme_id", "status"))


def stored_files() -> set[Path]:
    return {Path(folder) / name for folder, _, names in os.walk(settings.PRIVATE_MEDIA_ROOT) for name in names}


@pytest.fixture(autouse=True)
def media_left_clean():
    """The database rolls back after each test, the document folder does not: remove what a test wrote,
    so that the next test's sweep of the whole folder sees only its own files."""
    before = stored_files()
    yield
    for path in stored_files() - before:
        path.unlink(missing_ok=True)


# --- the applicant's history ---------------------------------------------------------------------


@pytest.fixture
def bob(rotation, django_capture_on_commit_callbacks):
    user = make_applicant("bob@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        complete_draft(rotation, user)
    return user


@pytest.fixture
def quintessa(rotation, cohort, carol, django_capture_on_commit_callbacks):
    """An applicant with a full history; every needle is written somewhere by a real service."""
    user = make_applicant(EMAIL, first_name=FIRST, last_name=LAST)
    ApplicantProfile.objects.filter(user=user).update(
        nationality=NATIONALITY, home_institution=INSTITUTION, phone=PHONE, degree=DEGREE
    )
    criterion = RubricCriterion.objects.create(programme=rotation, name="Motivation")
    with django_capture_on_commit_callbacks(execute=True):
        finished = complete_draft(rotation, user)
        letter = document_upload(
            application=finished,
            document_type=DocumentType.objects.get(code="motivation-letter"),
            # The observership's letter states the requested dates, or the application cannot be submitted.
            upload=SimpleUploadedFile(FILENAME, corpus.pdf_with_text(letter_text(finished), compress=False)),
            by=user,
        )
    assert document_process(document_id=letter.pk) == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=finished, by=user)
        application_start_review(application=finished, by=carol)
        application_request_info(application=finished, by=carol, message=f"Dear {FIRST}, who is your supervisor?")
        application_answer_info(application=finished, by=user, answer=INFO_REPLY, uploads={})
        review_save(
            application=finished,
            reviewer=carol,
            scores={criterion.pk: 4},
            comment=f"{FIRST} {LAST} writes well; {INSTITUTION} is a good school.",
        )
        internal_note_add(application=finished, author=carol, text=f"Called {FIRST} on {PHONE}.")
        application_decide(
            application=finished,
            by=carol,
            name="reject",
            subject=f"Your application, {FIRST} {LAST}",
            body=f"Dear {FIRST} {LAST},\n\nwe are sorry.",
        )
        draft = services.application_start(applicant=user, programme=cohort)
        services.application_save_answers(application=draft, answers={q.pk: ANSWER for q in cohort.questions.all()})
    # Traces outside the applicant tables: a data export on disk, e-mail confirmation, second factor,
    # a failed sign-in, the admin's history, a session on another device.
    export = data_export_request(user=user)
    assert data_export_build(export_id=export.pk) == "ready"
    address = EmailAddress.objects.get(user=user)
    EmailConfirmation.objects.create(email_address=address, key="k" * 64, sent=timezone.now())
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00ff"})
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="192.0.2.7", user_agent="x", post_data=f"login={EMAIL}", failures_since_start=2
    )
    LogEntry.objects.log_actions(
        user_id=carol.pk, queryset=[user], action_flag=CHANGE, change_message=f"Changed {LAST}", single_object=True
    )
    Client().force_login(user)
    return user


def delete_account(client, user):
    client.force_login(user)
    return client.post(reverse("applicants:account_delete"), {"password": PASSWORD, "confirm": "on"})


# --- tests ---------------------------------------------------------------------------------------


def test_every_personal_string_is_in_the_database_and_media_before_erasure(quintessa):
    """The sweeps find what they look for: each needle is somewhere before the account is deleted."""
    found = {needle for needle, *_ in database_hits(NEEDLES)} | {needle for needle, _ in media_hits(NEEDLES)}

    assert found == set(NEEDLES)
    # The letter's words are in the stored PDF; its name is in the export archive's index.
    assert {needle for needle, _ in media_hits(NEEDLES)} >= {LETTER_PHRASE, FILENAME}


def test_after_erasure_no_personal_string_remains_anywhere(
    client, quintessa, bob, rotation, django_capture_on_commit_callbacks
):
    open_ones = list(Application.objects.filter(applicant=quintessa, status__in=OPEN_STATES))
    expected = statistics()
    for application in open_ones:
        expected[(application.programme_id, application.status)] -= 1
        expected[(application.programme_id, ApplicationStatus.WITHDRAWN)] += 1
    components, scores = ApplicationComponent.objects.count(), list(ReviewScore.objects.values_list("score", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = delete_account(client, quintessa)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert database_hits(NEEDLES) == set()
    assert media_hits(NEEDLES) == set()
    assert +statistics() == +expected
    assert ApplicationComponent.objects.count() == components
    assert list(ReviewScore.objects.values_list("score", flat=True)) == scores


def test_erasure_keeps_the_applications_anonymous_and_the_account_unusable(
    client, quintessa, bob, django_capture_on_commit_callbacks
):
    stored = [
        f.path for d in Document.objects.filter(application__applicant=quintessa) for f in (d.file, d.preview) if f
    ]
    export_file = DataExport.objects.get(applicant=quintessa).file.path
    bobs_files = [d.file.path for d in Document.objects.filter(application__applicant=bob)]
    references = set(Application.objects.filter(applicant=quintessa).values_list("reference", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client, quintessa)

    quintessa.refresh_from_db()
    assert quintessa.email == f"erased-{quintessa.pk}@invalid"
    assert (quintessa.first_name, quintessa.last_name, quintessa.is_active) == ("", "", False)
    assert not quintessa.has_usable_password()
    assert set(Application.objects.filter(applicant=quintessa).values_list("reference", flat=True)) == references
    assert set(Application.objects.filter(applicant=quintessa).values_list("status", flat=True)) == {
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    }
    assert not Application.objects.filter(applicant=quintessa).exclude(answers={}).exists()
    assert not Document.objects.filter(application__applicant=quintessa).exists()
    assert [path for path in [*stored, export_file] if Path(path).exists()] == []
    assert all(Path(path).exists() for path in bobs_files)
    assert not ApplicantProfile.objects.filter(user=quintessa).exists()
    assert not DataExport.objects.filter(applicant=quintessa).exists()
    assert not EmailAddress.objects.filter(user=quintessa).exists()
    assert not EmailConfirmation.objects.exists()
    assert not Authenticator.objects.filter(user=quintessa).exists()
    assert not AccessAttempt.objects.filter(username__iexact=EMAIL).exists()
    assert [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(quintessa.pk)] == []
    assert ApplicantProfile.objects.filter(user=bob).exists()
    assert set(InternalNote.objects.filter(application__applicant=quintessa).values_list("text", flat=True)) == {
        "Erased with the applicant's account."
    }
    assert EmailLog.objects.filter(application__applicant=quintessa).exists()  # the rows stay, blanked
    assert Event.objects.filter(application__applicant=quintessa, kind=EventKind.NOTE, internal=True).exists()


def test_erasure_signs_the_applicant_out_and_the_password_no_longer_works(client, quintessa):
    delete_account(client, quintessa)

    assert client.get(reverse("applicants:dashboard")).status_code == 302
    assert not User.objects.filter(email__iexact=EMAIL).exists()
    assert not User.objects.get(pk=quintessa.pk).check_password(PASSWORD)


def test_wrong_password_deletes_nothing(client, quintessa):
    client.force_login(quintessa)

    response = client.post(reverse("applicants:account_delete"), {"password": "not-my-password", "confirm": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"password": ["That is not your password."]}
    quintessa.refresh_from_db()
    assert quintessa.is_active and quintessa.email == EMAIL


def test_without_the_confirmation_nothing_is_deleted(client, quintessa):
    client.force_login(quintessa)

    response = client.post(reverse("applicants:account_delete"), {"password": PASSWORD})

    assert response.context["form"].errors == {
        "confirm": ["Tick this box to confirm that you want your account deleted."]
    }
    assert User.objects.get(pk=quintessa.pk).is_active


def test_after_five_wrong_passwords_even_the_right_one_waits(client, bob):
    client.force_login(bob)
    url = reverse("applicants:account_delete")
    for _ in range(5):
        client.post(url, {"password": "guess", "confirm": "on"})

    response = client.post(url, {"password": PASSWORD, "confirm": "on"})

    assert response.context["form"].errors["password"] == [
        "Too many wrong passwords. Wait a quarter of an hour and try again."
    ]
    assert User.objects.get(pk=bob.pk).is_active


def test_delete_page_shows_the_open_applications(client, quintessa):
    client.force_login(quintessa)

    response = client.get(reverse("applicants:account_delete"))

    assert response.status_code == 200
    assert [a.programme.slug for a in response.context["open_applications"]] == [
        "postgraduate-certificate-medical-physics"
    ]
    assert "no-store" in response["Cache-Control"]


def test_anonymous_visitor_is_sent_to_sign_in(client):
    url = reverse("applicants:account_delete")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_the_page_only_ever_deletes_the_signed_in_account(client, quintessa, bob, django_capture_on_commit_callbacks):
    """There is no id in the URL: bob posting his own password cannot reach quintessa's account."""
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client, bob)

    assert User.objects.get(pk=quintessa.pk).email == EMAIL
    assert not User.objects.get(pk=bob.pk).is_active


def test_coordinator_cannot_delete_their_account_here(client, carol):
    client.force_login(carol)

    response = client.post(reverse("applicants:account_delete"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert User.objects.get(pk=carol.pk).is_active


def test_erasing_twice_changes_nothing_more(quintessa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = applicant_erase(user=quintessa)
    events = Event.objects.count()

    second = applicant_erase(user=User.objects.get(pk=quintessa.pk))

    assert (first.applications, first.withdrawn, first.documents) == (2, 1, 3)
    assert second == ErasureSummary(applications=2, withdrawn=0, documents=0, files=0)
    assert Event.objects.count() == events
