"""The review queue's search text (applicants.search): name, e-mail address and reference without
case or accents, written at submission and whenever the applicant's name or address changes.

Persona: carol coordinates the rotation programme and searches its queue.
"""

import pytest
from django.urls import reverse

from applicants.models import Application
from applicants.privacy.erasure import applicant_erase
from applicants.search import search_terms, searchable
from applicants.services.applications import application_submit
from tests.applicants.builders import complete_draft, make_applicant
from tests.applicants.staff_builders import make_row

pytestmark = pytest.mark.django_db
QUEUE_URL = reverse("staff:queue")


def found(client, query: str) -> list[str]:
    return [row.reference for row in client.get(QUEUE_URL, {"q": query}).context["rows"]]


def test_search_text_folds_case_and_accents():
    assert searchable("João", "Ødegård", None, "Straße", "UMCG-2027-0001") == "joao ødegard strasse umcg-2027-0001"
    assert search_terms("  JOÃO   Silva ") == ["joao", "silva"]
    assert search_terms("a b c d e f g") == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize("query", ["joao", "JOÃO", "joão silveira", "umcg-2027", "porto.example"])
def test_search_finds_names_without_accents_addresses_and_references(client, rotation, carol, query):
    joao = make_row(rotation, first="João", last="Silveira", email="joao@porto.example")
    make_row(rotation, first="Ana", last="Costa", email="ana@lisboa.example", status="in_review")
    client.force_login(carol)

    assert joao.reference in found(client, query)
    assert len(found(client, query)) == (2 if query == "umcg-2027" else 1)


def test_submitted_application_is_found_by_its_new_reference(client, rotation, carol):
    applicant = make_applicant("newcomer@example.org", first_name="Nadia", last_name="Novak")
    application = complete_draft(rotation, applicant)
    assert Application.objects.get(pk=application.pk).search_text == ""  # a draft is in no queue

    application_submit(application=application, by=applicant)
    client.force_login(carol)

    assert found(client, application.reference) == [application.reference]
    assert found(client, "nadia novak") == [application.reference]


def test_renamed_applicant_is_found_by_the_new_name_only(client, rotation, carol):
    application = make_row(rotation, first="Ana", last="Silva")
    applicant = application.applicant
    client.force_login(carol)

    applicant.last_name = "Oliveira"
    applicant.email = "ana.oliveira@example.org"
    applicant.save(update_fields=["last_name", "email"])

    assert found(client, "ana oliveira") == [application.reference]
    assert found(client, "silva") == []


def test_erased_applicant_is_no_longer_found_by_name_or_address(client, rotation, carol):
    application = make_row(rotation, first="Ana", last="Silva", email="ana.silva@example.org")
    client.force_login(carol)

    applicant_erase(user=application.applicant)

    assert found(client, "ana") == []
    assert found(client, "ana.silva@example.org") == []
    assert found(client, application.reference) == [application.reference]
    assert "silva" not in Application.objects.get(pk=application.pk).search_text
