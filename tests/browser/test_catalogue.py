"""The public catalogue in a real browser (Debian's Chromium, driven by Playwright)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_opens_the_observership_and_reads_its_rules(catalogue, live_server, page):
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="Clinical observership in Radiology and Nuclear Medicine").click()

    page.wait_for_url("**/programmes/clinical-observership-radiology-nuclear-medicine/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Clinical observership in Radiology and Nuclear Medicine"
    aside = page.get_by_role("complementary")
    assert "Apply at least 3 months before your start date." in aside.inner_text()
    assert "Proof of English" in aside.inner_text()
    row = page.get_by_role("row").filter(has_text="Nuclear medicine and molecular imaging")
    assert "Only together with another part" in row.inner_text()
    assert page.get_by_role("table").first.get_by_role("row").count() == 9  # header + 8 radiology sections
    # Each pattern's weeks, not one merged range that no pattern allows for one or two sections.
    thoracic = page.get_by_role("row").filter(has_text="Thoracic radiology")
    assert thoracic.get_by_role("cell").all_inner_texts() == ["Thoracic radiology", "UMCG Recognized", "1", "2–8", ""]
    assert "A longer stay in one or two sections: choose 1–2, 2–8 weeks each." in page.locator("main").inner_text()
    assert "Requirements" not in aside.inner_text()  # nobody is refused on its one question


def test_catalogue_fits_a_phone_screen(catalogue, live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/programmes/")

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")

    assert overflow == 0
    assert page.get_by_role("button", name="Toggle navigation").is_visible()
    context.close()
