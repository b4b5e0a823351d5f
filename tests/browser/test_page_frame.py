"""What frames every page, in a real browser: the tab's icon, and the navigation bar, where the
signed-in person's e-mail address sits on the same line as the links around it, on a wide screen and
in the phone's folded menu.

Persona (tests/conftest.py): alice, a signed-in applicant.
"""

import pytest

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOXES = """[...document.querySelectorAll('#main-nav > ul.navbar-nav:nth-of-type(2) > li > *')].map(e => {
  const box = e.getBoundingClientRect();
  return {text: e.innerText.trim(), x: Math.round(box.x), top: Math.round(box.top), height: Math.round(box.height)};
})"""


def nav_boxes(page) -> dict[str, dict]:
    return {box.pop("text"): box for box in page.evaluate(BOXES)}


def test_the_email_address_lines_up_with_the_links_on_a_wide_screen(alice, live_server, page):
    sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/programmes/")

    boxes = nav_boxes(page)

    assert {(b["top"], b["height"]) for b in boxes.values()} == {(boxes["My profile"]["top"], 40)}
    assert list(boxes) == ["My profile", alice.email, "Sign out"]


def test_the_email_address_lines_up_with_the_links_in_the_phone_menu(alice, live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.wait_for_timeout(500)  # the menu's unfolding animation

    boxes = nav_boxes(page)

    assert {b["x"] for b in boxes.values()} == {boxes["My profile"]["x"]}
    assert {b["height"] for b in boxes.values()} == {40}
    context.close()


def test_the_tab_shows_the_portals_icon(catalogue, live_server, page):
    page.goto(f"{live_server.url}/programmes/")
    href = page.locator("link[rel=icon]").get_attribute("href")

    icon = page.request.get(f"{live_server.url}{href}")

    assert (href, icon.status, icon.headers["content-type"]) == ("/favicon.ico", 200, "image/x-icon")
