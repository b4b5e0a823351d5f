"""Rules of the seed programmes kept as catalogue data that an admin edits: whether a document's
automatic check blocks submitting, intakes with their deadline and period, and which groups accept a
hospital the applicant proposes."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from placements.catalogue.enums import CheckFailure
from placements.catalogue.models import ProgrammeDocument
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
