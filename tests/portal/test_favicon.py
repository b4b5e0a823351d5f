"""/favicon.ico, which browsers ask for on their own, answers with the portal's icon, and the pages
point at it."""

from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image

from tests.web import body_of


def test_favicon_is_a_small_icon_served_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    icon = Image.open(BytesIO(body_of(response)))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]


@pytest.mark.django_db
def test_pages_point_at_the_icon(client):
    response = client.get(reverse("placements:programme_list"))

    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in response.content.decode()
