"""The page where an applicant answers a request for information: each document's field says
whether a new file replaces one already sent or adds one never sent.

Persona: alice, an applicant whose application the coordinator asked about; she sent a motivation
letter and nothing else.
"""

import pytest
from django.urls import reverse

from applicants.enums import ApplicationStatus
from placements.catalogue.models import DocumentType
from tests.applicants.staff_builders import make_application, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(client, rotation, alice):
    application = make_application(rotation, alice, status=ApplicationStatus.INFO_REQUESTED)
    make_document(application, DocumentType.objects.get(code="motivation-letter"), name="letter.pdf")
    client.force_login(alice)
    return application


def help_texts(response) -> dict[str, str]:
    return {field.label: field.help_text for field in response.context["form"].file_fields()}


def test_a_document_sent_before_is_replaced_by_a_new_file(client, asked):
    response = client.get(reverse("applicants:application_answer", kwargs={"uuid": asked.uuid}))

    assert help_texts(response)["Motivation letter"].startswith("Optional: a new file replaces the one you sent.")


def test_a_document_never_sent_is_not_said_to_replace_anything(client, asked):
    response = client.get(reverse("applicants:application_answer", kwargs={"uuid": asked.uuid}))

    texts = help_texts(response)
    assert texts["Curriculum vitae"].startswith("Optional: you have not sent one yet; add it here if you like.")
    assert "replaces" not in texts["Curriculum vitae"]
    assert response.content.decode().count("replaces the one you sent") == 1
