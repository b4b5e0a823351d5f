"""Builders of rows arranged directly (the workflow and the document pipeline have their own tests):
applications in a state, documents with previews and checks, a rubric."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from applicants.enums import ApplicationStatus, CheckStatus, DocumentState, EventKind
from applicants.models import Application, ApplicationComponent, Document, DocumentCheck, Event, RubricCriterion
from applicants.search import searchable
from applicants.services.reviews import rubric_load
from placements.catalogue.models import DocumentType, Offering, Programme
from portal.models import User
from tests.applicants.builders import make_applicant
from tests.applicants.corpus import pdf_with_text, png

S = ApplicationStatus
_numbers = itertools.count(1)
RUBRIC = [
    {"name": "Motivation"},
    {"name": "Academic background"},
    {"name": "Relevant experience"},
    {"name": "Fit with the programme"},
]


def give_rubric(programme) -> list[RubricCriterion]:
    return rubric_load(programme=programme, criteria=RUBRIC)


def make_application(programme, applicant, *, status: str = S.SUBMITTED, number: int | None = None) -> Application:
    """An application arranged directly in `status`, numbered in the order made unless `number` is
    given; a draft has no reference yet."""
    number = number or Application.objects.count() + 1
    start = date(2027, 3, 1)
    application = Application.objects.create(
        applicant=applicant,
        programme=programme,
        status=status,
        reference=None if status == S.DRAFT else f"{programme.reference_prefix}-2027-{number:04d}",
        start_date=start,
        end_date=start + timedelta(days=27),
    )
    Event.objects.create(application=application, actor=applicant, kind=EventKind.CREATED)
    return application


def make_document(
    application, document_type: DocumentType, *, name: str = "file.pdf", check: str = "", **fields
) -> Document:
    """A checked one-page PDF with a preview (`fields` may say otherwise, e.g. its state) and, if
    `check` is given, one automatic check needing a look."""
    content = pdf_with_text()
    document = Document(
        application=application,
        document_type=document_type,
        original_name=name,
        size=len(content),
        sha256="0" * 64,
        content_kind="pdf",
        **{"state": DocumentState.READY, "pages": 1, **fields},
    )
    document.file.save("upload.pdf", ContentFile(content), save=False)
    document.preview.save("preview.png", ContentFile(png(40, 56)), save=False)
    document.save()
    if check:
        DocumentCheck.objects.create(
            document=document, code="states_requested_dates", status=CheckStatus.WARN, message=check
        )
    return document


def staff_url(name: str, application, **kwargs) -> str:
    return reverse(f"staff:{name}", kwargs={"uuid": application.uuid, **kwargs})


# --- rows of the review queue --------------------------------------------------------------------


def offering(programme: Programme, slug: str) -> Offering:
    return Offering.objects.get(programme=programme, department__slug=slug)


def make_row(
    programme: Programme,
    *,
    first: str = "Ana",
    last: str = "Silva",
    email: str | None = None,
    status: str = S.SUBMITTED,
    submitted: datetime | None = None,
    start: date = date(2027, 3, 1),
    weeks: int = 4,
    score: str | None = None,
    reviews: int = 0,
    components: tuple[tuple[str, int], ...] | None = None,
    warned: bool = False,
    answers: dict | None = None,
) -> Application:
    """An application arranged directly in `status` (the submission itself goes through the services
    in `submitted_application`)."""
    number = next(_numbers)
    applicant = make_applicant(email or f"applicant{number}@example.org", first_name=first, last_name=last)
    application = Application.objects.create(
        applicant=applicant,
        programme=programme,
        status=status,
        # Numbered far from the ones application_submit hands out, so that both can meet in one test.
        reference=None if status == S.DRAFT else f"{programme.reference_prefix}-2027-{5000 + number}",
        start_date=start,
        end_date=start + timedelta(weeks=weeks, days=-3),
        submitted_at=None if status == S.DRAFT else (submitted or timezone.now() - timedelta(days=number)),
        review_score=Decimal(score) if score else None,
        review_count=reviews,
        answers=answers or {},
    )
    if components is None:
        components = ((programme.offerings.order_by("pk").first().department.slug, weeks),)
    for rank, (slug, component_weeks) in enumerate(components, start=1):
        ApplicationComponent.objects.create(
            application=application, offering=offering(programme, slug), weeks=component_weeks, rank=rank
        )
    if warned:
        warn_about_dates(application)
    return application


def warn_about_dates(application) -> Document:
    """A motivation letter of `application` whose automatic check says the requested dates are not in it."""
    document = Document.objects.create(
        application=application,
        document_type=DocumentType.objects.get(code="motivation-letter"),
        file="documents/letter.pdf",
        original_name="letter.pdf",
        size=9,
        sha256="0" * 64,
        content_kind="pdf",
        state=DocumentState.READY,
    )
    DocumentCheck.objects.create(
        document=document, code="dates", status=CheckStatus.WARN, message="The dates are not in the letter."
    )
    return document


def many_rows(programme: Programme, count: int) -> None:
    """`count` submitted applications with a component and a checked document each, built in bulk."""
    users = User.objects.bulk_create(
        User(email=f"bulk{i}-{programme.pk}@example.org", first_name="Bulk", last_name=f"Applicant {i}")
        for i in range(count)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            applicant=user,
            programme=programme,
            status=S.SUBMITTED if i % 2 else S.IN_REVIEW,
            reference=f"{programme.reference_prefix}-2026-{i:04d}",
            # bulk_create does not call save(), which writes the search text
            search_text=searchable(
                user.first_name, user.last_name, user.email, f"{programme.reference_prefix}-2026-{i:04d}"
            ),
            start_date=date(2027, 3, 1) + timedelta(weeks=i % 8),
            end_date=date(2027, 3, 26) + timedelta(weeks=i % 8),
            submitted_at=now - timedelta(hours=i),
            review_score=Decimal("3.50") if i % 3 else None,
            review_count=2 if i % 3 else 0,
        )
        for i, user in enumerate(users)
    )
    thoracic, nuclear = offering(programme, "umcg-thoracic"), offering(programme, "umcg-nuclear-medicine")
    ApplicationComponent.objects.bulk_create(
        component
        for application in applications
        for component in (
            ApplicationComponent(application=application, offering=thoracic, weeks=3, rank=1),
            ApplicationComponent(application=application, offering=nuclear, weeks=1, rank=2),
        )
    )
    letter = DocumentType.objects.get(code="motivation-letter")
    documents = Document.objects.bulk_create(
        Document(
            application=application,
            document_type=letter,
            file=f"documents/{application.pk}.pdf",
            original_name="letter.pdf",
            size=9,
            sha256="0" * 64,
            content_kind="pdf",
            state=DocumentState.READY,
        )
        for application in applications
    )
    DocumentCheck.objects.bulk_create(
        DocumentCheck(
            document=d, code="dates", status=CheckStatus.WARN if i % 4 == 0 else CheckStatus.PASS, message="."
        )
        for i, d in enumerate(documents)
    )
