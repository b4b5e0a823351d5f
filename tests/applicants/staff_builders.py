"""Builders for the staff pages' tests: staff with an authenticator app, applications in a state,
documents with previews and checks, a rubric, real PDF bytes."""

import io
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from applicants.enums import CheckStatus, DocumentState, EventKind
from applicants.models import Application, Document, DocumentCheck, Event, RubricCriterion
from applicants.services.reviews import rubric_load
from placements.catalogue.models import DocumentType
from portal.models import User

RUBRIC = [
    {"name": "Motivation"},
    {"name": "Academic background"},
    {"name": "Relevant experience"},
    {"name": "Fit with the programme"},
]


def make_user(name: str, *, language: str = "en", **extra) -> User:
    user = User.objects.create_user(
        email=f"{name}@example.org",
        password="a-long-test-password",
        first_name=name.capitalize(),
        last_name="Tester",
        language=language,
        **extra,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_staff(name: str, *programmes, superuser: bool = False) -> User:
    """A coordinator of `programmes` (or a superuser) with an authenticator app, as the portal requires of staff."""
    user = make_user(name, is_superuser=superuser, is_staff=superuser)
    for programme in programmes:
        programme.coordinators.add(user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "not-used-in-tests"})
    return user


def give_rubric(programme) -> list[RubricCriterion]:
    return rubric_load(programme=programme, criteria=RUBRIC)


def make_application(programme, applicant, *, status: str, number: int = 1) -> Application:
    """An application arranged directly in `status` (the workflow has its own tests)."""
    start = date(2027, 3, 1)
    application = Application.objects.create(
        applicant=applicant,
        programme=programme,
        status=status,
        reference=f"{programme.reference_prefix}-2027-{number:04d}",
        start_date=start,
        end_date=start + timedelta(days=27),
    )
    Event.objects.create(application=application, actor=applicant, kind=EventKind.CREATED)
    return application


def pdf_bytes(text: str = "Curriculum vitae") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 56), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def make_document(application, document_type: DocumentType, *, name: str = "file.pdf", check: str = "") -> Document:
    """A checked document with a preview and, if `check` is given, one automatic check needing a look."""
    content = pdf_bytes()
    document = Document(
        application=application,
        document_type=document_type,
        original_name=name,
        size=len(content),
        sha256="0" * 64,
        content_kind="pdf",
        state=DocumentState.READY,
        pages=1,
    )
    document.file.save("upload.pdf", ContentFile(content), save=False)
    document.preview.save("preview.png", ContentFile(png_bytes()), save=False)
    document.save()
    if check:
        DocumentCheck.objects.create(
            document=document, code="states_requested_dates", status=CheckStatus.WARN, message=check
        )
    return document


def staff_url(name: str, application, **kwargs) -> str:
    return reverse(f"staff:{name}", kwargs={"uuid": application.uuid, **kwargs})
