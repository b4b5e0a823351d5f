"""Rules of the seed programmes kept as catalogue data that an admin edits: whether a document's
automatic check blocks submitting, intakes with their deadline and period, and which groups accept a
hospital the applicant proposes."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from placements.catalogue.enums import CheckFailure
from placements.catalogue.models import Intake, ProgrammeDocument
from portal.models import User
from tests.totp import give_totp


@pytest.fixture
def ada(db) -> User:
    """Ada keeps the catalogue: a superuser who may change anything in the admin."""
    user = User.objects.create_superuser(email="ada@portal.example", password="catalogue-keeper-2027")
    give_totp(user)
    return user


def letter_of(programme) -> ProgrammeDocument:
    return programme.programme_documents.get(document_type__code="motivation-letter")


def test_the_demo_observership_letter_blocks_and_the_certificate_letter_only_warns(rotation, cohort):
    assert (letter_of(rotation).when_check_fails, letter_of(cohort).when_check_fails) == (
        CheckFailure.BLOCK,
        CheckFailure.WARN,
    )


def test_the_admin_sets_per_programme_whether_a_check_blocks(client, ada, rotation):
    client.force_login(ada)
    letter = letter_of(rotation)

    response = client.get(reverse("admin:placements_programme_change", args=[rotation.pk]))

    index = list(rotation.programme_documents.all()).index(letter)
    assertContains(response, f'name="programme_documents-{index}-when_check_fails"')
    assertContains(response, '<option value="block" selected>', count=1)


def test_the_demo_certificate_has_an_intake_per_academic_year(cohort, rotation):
    assert [(i.academic_year, i.applications_deadline.isoformat(), i.weeks) for i in cohort.intakes.all()] == [
        ("2027–2028", "2027-05-31", 40),
        ("2028–2029", "2028-05-31", 40),
        ("2029–2030", "2029-05-31", 40),
    ]
    assert not rotation.intakes.exists()


def test_the_admin_edits_a_programmes_intakes_inline(client, ada, cohort):
    client.force_login(ada)

    response = client.get(reverse("admin:placements_programme_change", args=[cohort.pk]))

    assertContains(response, 'name="intakes-0-academic_year"')
    assertContains(response, 'value="2027–2028"')
    assertContains(response, 'name="intakes-2-applications_deadline"')


def test_an_intake_closes_before_it_starts_and_runs_on_working_days(cohort):
    intake = Intake(
        programme=cohort,
        academic_year="2030–2031",
        applications_deadline=date(2030, 9, 9),
        starts_on=date(2030, 9, 8),  # a Sunday
        ends_on=date(2031, 6, 14),  # a Saturday
    )

    with pytest.raises(ValidationError) as refused:
        intake.full_clean()

    assert refused.value.message_dict == {
        "applications_deadline": ["The deadline must come before the internship starts."],
        "starts_on": ["Choose a working day (Monday to Friday)."],
        "ends_on": ["Choose a working day (Monday to Friday)."],
    }
