"""The privacy notice: versioned, public at /privacy/, and the version consented to is recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import PrivacyNotice
from applicants.services import applications as services
from applicants.services.notices import privacy_notice_current
from tests.applicants.builders import make_applicant

pytestmark = pytest.mark.django_db


def publish(version: str, *, ago: timedelta | None = timedelta(minutes=1)) -> PrivacyNotice:
    published_at = None if ago is None else timezone.now() - ago
    return PrivacyNotice.objects.create(version=version, text=f"Notice {version}.", published_at=published_at)


def test_first_notice_is_published_by_the_migration():
    notice = privacy_notice_current()

    assert notice.version == "2026-11"
    assert notice.pk is not None
    assert "Your rights." in notice.text


def test_notice_page_is_public_and_shows_the_current_version(client):
    response = client.get(reverse("privacy_notice"))

    assert response.status_code == 200
    assert "Version 2026-11" in response.content.decode()
    assert "<p>Who we are." in response.content.decode()


def test_every_page_links_to_the_notice(client):
    page = client.get(reverse("placements:programme_list")).content.decode()

    assert f'href="{reverse("privacy_notice")}"' in page


def test_latest_published_notice_is_current_drafts_and_future_ones_are_not():
    publish("2027-03")
    publish("2027-09-draft", ago=None)
    publish("2099-01", ago=-timedelta(days=1))

    assert privacy_notice_current().version == "2027-03"
    assert services.PRIVACY_NOTICE_VERSION == "2027-03"


def test_consent_records_the_current_version(catalogue):
    application = services.application_start(
        applicant=make_applicant("ana@example.org"), programme=catalogue["rotation"]
    )
    publish("2027-03")

    services.application_give_consent(application=application, consent=True)

    application.refresh_from_db()
    assert application.privacy_notice_version == "2027-03"
    assert application.consent_given_at is not None


def test_withdrawn_consent_clears_the_version(catalogue):
    application = services.application_start(
        applicant=make_applicant("ana@example.org"), programme=catalogue["rotation"]
    )
    services.application_give_consent(application=application, consent=True)

    services.application_give_consent(application=application, consent=False)

    application.refresh_from_db()
    assert (application.privacy_notice_version, application.consent_given_at) == ("", None)


def test_without_any_notice_the_built_in_text_stands_in():
    PrivacyNotice.objects.all().delete()

    assert privacy_notice_current().version == "2026-11"
