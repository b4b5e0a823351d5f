"""The portal in Dutch, in a real browser that asks for Dutch (Accept-Language: nl-BE): the public
catalogue (with the programmes' own Dutch texts), a programme's page, signing up, every step of the
application wizard, the applicant's dashboard, the coordinator's review queue and application page.
On each page, phrases of its English text must be gone (in the visible text, the page title and the
texts that only screen readers get: aria-label, title, placeholder, alt), and their Dutch
translations, taken from the compiled catalogue, must be there. Then the switcher brings one page
back in English.

It needs the Dutch catalogue compiled (`make messages`, which `make test` runs). When it fails, its
message lists every English phrase found and every phrase without Dutch, page by page. A phrase
listed as English must not also be good Dutch ("Upload", "Planner"): such words are checked in a
longer English phrase or not at all.

Personas:
- a visitor whose browser asks for Dutch: reads the catalogue and signs up.
- noor: an applicant whose account says Dutch, with a complete draft for the observership.
- sanne: an applicant whose account says Dutch, with a submitted application for the observership.
- kees: coordinator of the observership, whose account says Dutch; sees sanne's application.
"""

import re

import pytest
from django.utils import translation

from applicants.services.applications import application_submit
from tests.applicants.builders import complete_draft, make_applicant
from tests.factories import PASSWORD, make_staff
from tests.totp import totp_code, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DUTCH_BROWSER = {"locale": "nl-BE", "viewport": {"width": 1280, "height": 900}}

# English phrases of every page's frame, for a visitor and for someone signed in.
VISITOR_FRAME = ["Programmes", "Sign in", "Register", "Privacy notice", "Skip to main content"]
SIGNED_IN_FRAME = ["Programmes", "Sign out", "Privacy notice", "Skip to main content"]
WIZARD = [
    "Save and continue",
    "Save and leave",
    "Profile",
    "Eligibility",
    "Dates",
    "Documents",
    "Review and submit",
    "My profile",
]

# The text a reader gets: visible or not (the folded menu, visually hidden texts), the page's title
# and the names given to controls; the language switcher names English in English on purpose.
PAGE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('.language-switcher, script, style, template').forEach(e => e.remove());
  const names = [...body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')].flatMap(
    e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || ''));
  return [document.title, body.textContent, ...names].join('\\n').replace(/\\s+/g, ' ');
}"""


def dutch(phrase: str) -> str:
    with translation.override("nl"):
        return translation.gettext(phrase)


class Reading:
    """What a Dutch reader met, page by page: English phrases found, and phrases without Dutch."""

    def __init__(self):
        self.problems: list[str] = []

    def check(self, page, name: str, english: list[str], in_dutch: list[str], texts: tuple[str, ...] = ()) -> None:
        """`english`: phrases that must be gone; `in_dutch`: phrases whose Dutch must be there, as must `texts`."""
        page.wait_for_load_state()
        text = page.evaluate(PAGE_TEXT)
        lang = page.evaluate("document.documentElement.lang")
        if lang != "nl":
            self.problems.append(f"{name}: <html lang={lang!r}>")
        found = [p for p in english if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)]
        if found:
            self.problems.append(f"{name}: English {found}")
        untranslated = [p for p in in_dutch if dutch(p) == p]
        missing = [t for t in [dutch(p) for p in in_dutch if dutch(p) != p] + list(texts) if t not in text]
        if untranslated:
            self.problems.append(f"{name}: no Dutch in the catalogue for {untranslated}")
        if missing:
            self.problems.append(f"{name}: Dutch not on the page {missing}")

    def assert_none(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").first.click()
    page.wait_for_load_state()


def sign_in(page, base_url: str, email: str, *, secret: str | None = None) -> None:
    """Signing in without reading a word: the form's fields and its first button."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, "main form[action='/accounts/login/']")
    if secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        for _attempt in range(2):  # a code typed at the turn of its 30-second window may be refused
            page.locator("input[name=code]").fill(totp_code(secret))
            page.locator("main form[action$='/2fa/authenticate/'] button.btn-primary").click()
            page.wait_for_load_state()
            if "/2fa/authenticate/" not in page.url:
                break


def test_a_visitor_reads_the_catalogue_and_signs_up_in_dutch(catalogue, live_server, browser):
    rotation = catalogue["rotation"]
    reading = Reading()
    context = browser.new_context(**DUTCH_BROWSER)
    page = context.new_page()

    page.goto(f"{live_server.url}/programmes/")
    reading.check(
        page,
        "catalogue",
        [
            *VISITOR_FRAME,
            "Internships and observerships",
            "Choose a programme to read its requirements and apply online.",
            rotation.title_en,
            rotation.summary_en,
        ],
        ["Internships and observerships", "Sign in", "Register"],
        (rotation.title_nl, rotation.summary_nl),
    )
    page.goto(f"{live_server.url}{rotation.get_absolute_url()}")
    reading.check(
        page,
        "programme page",
        [*VISITOR_FRAME, "How to apply", "Apply", "Lead time", "Create an account to apply", rotation.title_en],
        ["How to apply"],
        (rotation.title_nl,),
    )
    page.locator("main a[href^='/accounts/signup/']").first.click()
    reading.check(page, "sign-up", [*VISITOR_FRAME[2:], "Create account", "Password"], ["Create account"])
    page.locator("#id_email").fill("lotte.janssens@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page, "main form[action='/accounts/signup/']")
    reading.check(
        page,
        "address to confirm",
        ["Check your e-mail", "Open your e-mail settings", "Sign out"],
        ["Check your e-mail"],
    )
    context.close()

    reading.assert_none()


def test_an_applicant_walks_every_step_of_the_wizard_and_the_dashboard_in_dutch(catalogue, live_server, browser):
    rotation = catalogue["rotation"]
    noor = make_applicant("noor@example.org", first_name="Noor", last_name="Haddad", language="nl")
    draft = complete_draft(rotation, noor)
    reading = Reading()
    context = browser.new_context(**DUTCH_BROWSER)
    page = context.new_page()
    sign_in(page, live_server.url, noor.email)

    steps = {
        "profile": ["About you", "Nationality", "Home institution"],
        "eligibility": ["The programme asks these questions of every applicant.", "Yes", "No"],
        "components": ["Your choice", "Only together with another part"],
        "dates": ["When you want to come", "Start and end on a working day (Monday to Friday)."],
        "documents": ["Your documents", "Replace the file", "Upload your"],
        "review": ["Submit application", "Consent", "What you apply for"],
    }
    for step, english in steps.items():
        page.goto(f"{live_server.url}/me/applications/{draft.uuid}/step/{step}/")
        buttons = ["Submit application"] if step == "review" else ["Save and continue"]
        wizard = [p for p in WIZARD if not (step == "review" and p.startswith("Save"))]
        reading.check(page, f"wizard: {step}", [*SIGNED_IN_FRAME, *wizard, *english], buttons)
    page.goto(f"{live_server.url}/me/")
    reading.check(
        page,
        "dashboard",
        [*SIGNED_IN_FRAME, "My profile", "My applications", "Browse programmes", "Your applications", "Draft"],
        ["My applications", "Browse programmes"],
    )
    context.close()

    reading.assert_none()


def test_a_coordinator_reviews_in_dutch_and_switches_to_english(catalogue, live_server, browser):
    rotation = catalogue["rotation"]
    kees = make_staff("kees", rotation, first_name="Kees", last_name="Visser", language="nl")
    sanne = make_applicant("sanne@example.org", first_name="Sanne", last_name="de Vries", language="nl")
    application = application_submit(application=complete_draft(rotation, sanne), by=sanne)
    staff_frame = [*SIGNED_IN_FRAME, "Staff area", "Review queue", "Capacity calendar", "Planner", "Insights"]
    reading = Reading()
    context = browser.new_context(**DUTCH_BROWSER)
    page = context.new_page()
    sign_in(page, live_server.url, kees.email, secret=totp_secret(kees))

    page.goto(f"{live_server.url}/staff/queue/")
    reading.check(
        page,
        "review queue",
        [*staff_frame, "Filter the queue", "Clear filters", "Sort by", "Submitted", "Requested start month"],
        ["Review queue", "Filter the queue", "Submitted"],
    )
    page.goto(f"{live_server.url}/staff/applications/{application.uuid}/reviews/")
    reading.check(page, "reviews and notes", [*staff_frame, "Reviews and notes", "Internal notes"], ["Internal notes"])
    page.goto(f"{live_server.url}/staff/applications/{application.uuid}/history/")
    reading.check(page, "timeline and e-mails", [*staff_frame, "Timeline", "Timeline and e-mails"], ["Timeline"])
    page.goto(f"{live_server.url}/staff/applications/{application.uuid}/")
    reading.check(
        page,
        "application page",
        [*staff_frame, "Submitted", "Documents", "Start review", "Request information", "Reviews and notes"],
        ["Start review", "Reviews and notes", "Timeline and e-mails"],
    )

    page.locator(".language-switcher button[lang=en]").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/staff/applications/{application.uuid}/"
    assert page.evaluate("document.documentElement.lang") == "en"
    main = page.locator("main").inner_text()
    assert (
        "Timeline and e-mails" in main,
        "Start review" in main,
        page.get_by_role("link", name="Review queue").count(),
    ) == (
        True,
        True,
        1,
    )
    kees.refresh_from_db()
    assert kees.language == "en"
    context.close()

    reading.assert_none()
