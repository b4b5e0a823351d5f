"""Private documents: served only through the checked views, never from a public URL.

Personas:
- alice: applicant who uploaded a CV to her rotation application; may download it.
- bob: another applicant; gets 404.
- carol: coordinator of the rotation programme; may download it.
- dave: coordinator of the cohort programme only; gets 404.
- root: superuser; may download it.
- an anonymous visitor is sent to sign in.
"""

import uuid
from datetime import date

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.views.static import serve
from pytest_django.asserts import assertRedirects

from applicants.enums import ApplicationStatus, DocumentState
from applicants.models import Application, Document
from placements.catalogue.models import DocumentType
from tests.applicants.corpus import pdf_with_text, png
from tests.web import body_of

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def download_url(document) -> str:
    return reverse("applicants:document_download", kwargs={"uuid": document.uuid})


def preview_url(document) -> str:
    return reverse("applicants:document_preview", kwargs={"uuid": document.uuid})


@pytest.fixture
def cv_bytes() -> bytes:
    return pdf_with_text("Alice Example, curriculum vitae")


@pytest.fixture
def cv(catalogue, alice, cv_bytes) -> Document:
    application = Application.objects.create(
        applicant=alice,
        programme=catalogue["rotation"],
        status=ApplicationStatus.SUBMITTED,
        reference="UMCG-2027-0001",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 28),
    )
    document = Document(
        application=application,
        document_type=DocumentType.objects.get(code="cv"),
        original_name="Alice CV (final).pdf",
        size=len(cv_bytes),
        sha256="0" * 64,
        content_kind="pdf",
        state=DocumentState.READY,
    )
    document.file.save("Alice CV (final).pdf", ContentFile(cv_bytes), save=False)
    document.save()
    return document


# --- downloading ---------------------------------------------------------------------------------


def test_owner_downloads_the_exact_bytes_as_an_attachment(client, cv, cv_bytes):
    client.force_login(cv.application.applicant)

    response = client.get(download_url(cv))

    assert response.status_code == 200
    assert body_of(response) == cv_bytes
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Alice CV (final).pdf"'
    assert response["Content-Length"] == str(len(cv_bytes))
    assert {name: response[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_stored_file_name_reveals_nothing_of_the_original(cv):
    assert "Alice" not in cv.file.name
    assert cv.file.name.startswith("documents/")


@pytest.mark.parametrize(("persona", "status"), [("bob", 404), ("carol", 200), ("dave", 404), ("root", 200)])
def test_download_is_for_the_owner_the_programme_coordinators_and_superusers(
    request, client, cv, bob, carol, dave, root, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(download_url(cv))

    assert response.status_code == status
    if status == 200:
        response.close()


def test_anonymous_download_is_sent_to_sign_in(client, cv):
    url = download_url(cv)

    response = client.get(url)

    assertRedirects(response, f"{reverse('account_login')}?next={url}", fetch_redirect_response=False)


def test_download_of_unknown_document_is_404(client, alice):
    client.force_login(alice)

    response = client.get(reverse("applicants:document_download", kwargs={"uuid": uuid.uuid4()}))

    assert response.status_code == 404


def test_download_of_file_missing_on_disk_is_404(client, cv):
    cv.file.storage.delete(cv.file.name)
    client.force_login(cv.application.applicant)

    response = client.get(download_url(cv))

    assert response.status_code == 404


def test_download_refuses_other_methods(client, cv):
    client.force_login(cv.application.applicant)

    response = client.post(download_url(cv))

    assert response.status_code == 405


# --- the preview image ---------------------------------------------------------------------------


def test_preview_is_404_when_there_is_none(client, cv):
    client.force_login(cv.application.applicant)

    response = client.get(preview_url(cv))

    assert response.status_code == 404


def test_preview_is_served_inline_as_png_with_the_same_headers(client, cv):
    image = png(8, 10)
    cv.preview.save("preview.png", ContentFile(image))
    client.force_login(cv.application.applicant)

    response = client.get(preview_url(cv))

    assert response.status_code == 200
    assert body_of(response) == image
    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert {name: response[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_preview_is_404_for_another_applicant(client, cv, bob):
    cv.preview.save("preview.png", ContentFile(png(8, 10)))
    client.force_login(bob)

    response = client.get(preview_url(cv))

    assert response.status_code == 404


def test_preview_missing_on_disk_is_404(client, cv):
    cv.preview.save("preview.png", ContentFile(png(8, 10)))
    cv.preview.storage.delete(cv.preview.name)
    client.force_login(cv.application.applicant)

    response = client.get(preview_url(cv))

    assert response.status_code == 404


# --- no public way in ----------------------------------------------------------------------------


def _all_patterns(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_no_url_serves_the_private_folder(client, cv):
    private = settings.PRIVATE_MEDIA_ROOT.resolve()
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        public = public.resolve()
        assert not (private == public or public in private.parents or private in public.parents)
    assert all(pattern.callback is not serve for pattern in _all_patterns(get_resolver()))
    client.force_login(cv.application.applicant)
    for path in (f"/{cv.file.name}", f"/media/{cv.file.name}", f"/static/{cv.file.name}"):
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404
    with pytest.raises(NotImplementedError):
        cv.file.url  # noqa: B018
