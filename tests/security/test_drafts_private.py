"""Drafts are the applicant's own until they submit: the admin's lists of applications, documents and
events leave them out, as the staff pages do (tests/security/test_authorization_matrix.py).

Personas: root, a superuser; the applicants Ottoline (a draft) and Sam (a submitted application).
"""

import pytest
from django.urls import reverse

from applicants.services.applications import application_submit
from tests.applicants.builders import complete_draft, make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(rotation):
    return complete_draft(rotation, make_applicant("ottoline@example.org", first_name="Ottoline"))


@pytest.fixture
def submitted(rotation):
    applicant = make_applicant("sam@example.org", first_name="Sam")
    application = complete_draft(rotation, applicant)
    application_submit(application=application, by=applicant)
    return application


@pytest.mark.parametrize("model", ["application", "document", "event"])
def test_admin_lists_leave_drafts_out(client, root, draft, submitted, model):
    client.force_login(root)

    body = client.get(reverse(f"admin:applicants_{model}_changelist")).content.decode()

    assert (submitted.reference in body, "ottoline@example.org" in body, f"Draft for {draft.programme}" in body) == (
        True,
        False,
        False,
    )


def test_admin_page_of_a_draft_is_no_such_record(client, root, draft):
    client.force_login(root)

    response = client.get(reverse("admin:applicants_application_change", args=[draft.pk]))

    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


def test_admin_page_of_a_draft_document_is_no_such_record(client, root, draft):
    client.force_login(root)

    response = client.get(reverse("admin:applicants_document_change", args=[draft.documents.first().pk]))

    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
