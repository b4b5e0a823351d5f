"""Builders of applicants and applications in a known state, through the real services."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.enums import DocumentState
from applicants.models import Application, Document
from applicants.services import applications as services
from placements.catalogue.models import Programme
from placements.catalogue.validation import earliest_start
from portal.models import User
from tests.factories import ApplicantProfileFactory, UserFactory


def make_applicant(email: str, *, verified: bool = True, profile: bool = True, **fields) -> User:
    """An applicant at `email` with a profile ready to apply (unless `profile=False`); `fields` go to the user."""
    user = UserFactory(email=email, verified=verified, **{"first_name": "Test", **fields})
    if profile:
        ApplicantProfileFactory(user=user)
    return user


def first_monday_from(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def rotation_choice(programme: Programme) -> list[services.ComponentInput]:
    """A valid rotation choice: the first radiology section for 3 weeks, then 1 week not standing alone."""
    alone = programme.offerings.filter(may_stand_alone=True).order_by("order").first()
    partner = programme.offerings.filter(may_stand_alone=False).first()
    return [
        services.ComponentInput(offering_id=alone.pk, weeks=3, rank=1),
        services.ComponentInput(offering_id=partner.pk, weeks=1, rank=2),
    ]


def complete_draft(programme: Programme, applicant: User, *, documents_state=DocumentState.READY) -> Application:
    """A draft that passes every guard: answers, a 4-week choice, Monday to Friday dates, ready documents, consent."""
    application = services.application_start(applicant=applicant, programme=programme)
    services.application_save_answers(
        application=application,
        answers={q.pk: True if q.kind == "yes_no" else "none" for q in programme.questions.all()},
    )
    services.application_save_components(application=application, components=rotation_choice(programme))
    start = first_monday_from(earliest_start(programme, timezone.localdate()) + timedelta(days=7))
    services.application_save_dates(application=application, start=start, end=start + timedelta(days=25))
    for item in programme.programme_documents.select_related("document_type"):
        document = Document(
            application=application,
            document_type=item.document_type,
            original_name=f"{item.document_type.code}.pdf",
            size=9,
            sha256="0" * 64,
            content_kind="pdf",
            state=documents_state,
        )
        document.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
    services.application_give_consent(application=application, consent=True)
    return application
