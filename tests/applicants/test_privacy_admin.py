"""Admins publish new versions of the privacy notice; published versions stay as they were."""

import pytest
from django.urls import reverse

from applicants.models import PrivacyNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def test_admin_adds_a_new_version(admin_client):
    response = admin_client.post(
        reverse("admin:applicants_privacynotice_add"),
        {"version": "2027-01", "text": "What we keep and why.", "published_at_0": "", "published_at_1": ""},
    )

    assert response.status_code == 302
    assert PrivacyNotice.objects.get(version="2027-01").published_at is None


def test_a_published_version_cannot_be_changed_or_deleted(admin_client):
    notice = PrivacyNotice.objects.exclude(published_at=None).first()

    page = admin_client.get(reverse("admin:applicants_privacynotice_change", args=[notice.pk])).content.decode()
    delete = admin_client.get(reverse("admin:applicants_privacynotice_delete", args=[notice.pk]))

    assert 'name="text"' not in page
    assert 'name="text_nl"' not in page
    assert delete.status_code == 403
