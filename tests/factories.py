"""factory_boy factories, one per model, grouped by app; each builds a valid row with no arguments.

People come from `make_user` and `make_staff` (a name gives the address: "carol" is
carol@example.org); the personas built from them are in tests/conftest.py.
"""

import json
import uuid
from pathlib import Path

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from applicants.enums import EnglishLevel, StudyPhase
from applicants.models import ApplicantProfile
from placements.catalogue.catalogue_import import catalogue_load
from placements.catalogue.enums import FileKind, IntakeMode, QuestionKind
from placements.catalogue.models import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Offering,
    OfferingGroup,
    Programme,
    ProgrammeDocument,
    Specialization,
)
from portal.models import User
from tests.totp import give_totp

DEMO_FILE = Path(__file__).resolve().parent.parent / "placements" / "fixtures" / "demo_catalogue.json"

PASSWORD = "a-long-test-password"

# --- portal: people --------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A user who signed up with PASSWORD and confirmed the address (`verified=False`: not yet)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=extracted is not False, primary=True)


def make_user(name: str, **fields) -> User:
    """`name`@example.org, signed up with PASSWORD and a confirmed address; `fields` go to the user."""
    return UserFactory(email=f"{name}@example.org", **fields)


def make_staff(name: str, *programmes: Programme, superuser: bool = False, **fields) -> User:
    """A coordinator of `programmes` (or a superuser) with an authenticator app, as the portal requires of staff."""
    user = make_user(name, **{"is_superuser": superuser, "is_staff": superuser, **fields})
    for programme in programmes:
        programme.coordinators.add(user)
    give_totp(user)
    return user


def unique_email(name: str) -> str:
    """An address no other test uses: allauth counts sign-in attempts per address in the shared Redis."""
    return f"{name}-{uuid.uuid4().hex[:10]}@example.org"


# --- applicants ------------------------------------------------------------------------------


class ApplicantProfileFactory(DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(UserFactory)
    nationality = "Portuguese"
    home_institution = "University of Porto"
    study_phase = StudyPhase.CLINICAL
    english_level = EnglishLevel.C1


# --- placements: the catalogue ---------------------------------------------------------------


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Hospital {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    city = "Leuven"
    country = "BE"
    recognized = True


class SpecializationFactory(DjangoModelFactory):
    class Meta:
        model = Specialization
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Specialization {n}")
    slug = factory.Sequence(lambda n: f"specialization-{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    institution = factory.SubFactory(InstitutionFactory)
    specialization = factory.SubFactory(SpecializationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")
    weekly_capacity = 2
    contact_name = "Physics secretariat"
    contact_email = factory.Sequence(lambda n: f"department-{n}@hospital.example")


class DocumentTypeFactory(DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"document-{n}")
    name = factory.Sequence(lambda n: f"Document {n}")
    description = "Upload it as a PDF."
    allowed_kinds = factory.LazyFunction(lambda: [FileKind.PDF.value])


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    title = factory.Sequence(lambda n: f"Programme {n}")
    provider = factory.SubFactory(InstitutionFactory)
    reference_prefix = factory.Sequence(lambda n: f"P{n:04d}")
    summary = "A clinical placement for trainees."
    description = "Trainees join the physicists at work."
    audience = "Students of medical physics."
    intake_mode = IntakeMode.ROLLING
    lead_time_months = 3
    min_total_weeks = 1
    max_total_weeks = 12
    published = True


class OfferingGroupFactory(DjangoModelFactory):
    class Meta:
        model = OfferingGroup

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Group {n}")
    min_choices = 1
    max_choices = 1


class OfferingFactory(DjangoModelFactory):
    class Meta:
        model = Offering

    group = factory.SubFactory(OfferingGroupFactory)
    programme = factory.SelfAttribute("group.programme")
    department = factory.SubFactory(DepartmentFactory)
    weeks_min = 1
    weeks_max = 4
    may_stand_alone = True


class ProgrammeDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeDocument

    programme = factory.SubFactory(ProgrammeFactory)
    document_type = factory.SubFactory(DocumentTypeFactory)
    required = True


class EligibilityQuestionFactory(DjangoModelFactory):
    class Meta:
        model = EligibilityQuestion

    programme = factory.SubFactory(ProgrammeFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = QuestionKind.YES_NO
    must_answer_yes = True
    refusal_message = "This programme is open only to those who answer yes."


def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def demo_catalogue(data: dict | None = None) -> dict[str, Programme]:
    """The demo catalogue loaded, keyed by a short name: "cohort" (one specialization) and "rotation"."""
    by_mode = {p.intake_mode: p for p in catalogue_load(data=data or demo_data())}
    return {"cohort": by_mode[IntakeMode.COHORT], "rotation": by_mode[IntakeMode.ROLLING]}
