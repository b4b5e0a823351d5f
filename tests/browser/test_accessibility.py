"""WCAG 2.1 AA on every page of the portal and the admin pages the catalogue editors use, kept by three
tools in a real browser: axe-core (no serious or critical violation), the Nu HTML checker (no error)
and a phone's width (no page scrolls sideways at 375 px). A failed form also says so first: its
page title starts with "Error:", focus is on the error summary and each problem links to its field.

The page states are listed in tests/browser/a11y/states.py, per persona (tests/browser/a11y/world.py
says who they are and what they hold); one browser session per persona visits all of its states
(tests/browser/a11y/tour.py), and every failure names the state. A new URL pattern that serves a page
fails test_every_page_of_the_portal_and_every_kind_of_admin_page_is_audited until a state shows it.
A11Y_REPORT=<file> writes what was found at each state, with its time, as JSON.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from portal.celery import app as celery_app
from tests.browser.a11y import audit
from tests.browser.a11y.hosting import hosting_personas
from tests.browser.a11y.states import personas
from tests.browser.a11y.tour import visit_all, write_report
from tests.browser.a11y.training import training_personas
from tests.browser.a11y.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def visits(django_db_setup, django_db_blocker, live_server, browser, tmp_path_factory) -> list[audit.Visit]:
    """Every page state of every persona, visited once for all the tests of this module."""
    folder = tmp_path_factory.mktemp("pages")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # e-mails of the world's transitions are sent in this process
    found: list[audit.Visit] = []
    with django_db_blocker.unblock():
        try:
            world = build_world()
            for persona in [*personas(world), *training_personas(world), *hosting_personas(world)]:
                visit_all(browser, live_server.url, persona, folder, found)
        finally:
            celery_app.conf.task_always_eager = eager
            call_command("flush", interactive=False, verbosity=0)
    if os.environ.get("A11Y_REPORT"):
        write_report(Path(os.environ["A11Y_REPORT"]), found)
    return found


def _listing(problems: dict[str, list]) -> str:
    return "\n".join(f"{state}:\n  " + "\n  ".join(map(str, items)) for state, items in problems.items())


def test_no_serious_or_critical_axe_violation(visits):
    problems = {
        v.state: [f"{x['rule']} ({x['impact']}, {len(x['nodes'])}×): {x['nodes'][0]['target']}" for x in v.blocking]
        for v in visits
        if v.blocking
    }

    assert problems == {}, _listing(problems)


def test_no_nu_html_checker_error(visits):
    errors = audit.nu_errors([v.html for v in visits])
    problems = {v.state: errors[v.html] for v in visits if v.html in errors}

    assert problems == {}, _listing(problems)


def test_no_page_scrolls_sideways_on_a_phone(visits):
    wider = {v.state: [f"{v.overflow} px too wide", *v.sticking_out] for v in visits if v.overflow > 0}

    assert wider == {}, _listing(wider)


def test_a_failed_form_says_so_first(visits):
    wrong = {}
    for visit in (v for v in visits if v.error_page is not None):
        found = visit.error_page
        problems = []
        if not found["title"].startswith("Error:"):
            problems.append(f"title: {found['title']}")
        if not found["focused_in_summary"]:
            problems.append("focus is not on the error summary")
        in_page = [link for link in found["links"] if link["href"].startswith("#")]
        problems += [f"link to nothing: {link}" for link in in_page if link["target"] is None]
        problems += [f"not described by its error: {name}" for name in found["invalid_unexplained"]]
        if problems:
            wrong[visit.state] = problems

    assert wrong == {}, _listing(wrong)


# URL patterns that serve no page of their own: files, fragments polled by a page, POST-only actions.
NOT_PAGES = {
    "healthz", "staff_placements:insights_csv", "staff_placements:report_start", "staff_placements:report_status",
    "staff_placements:report_download", "staff:proposal_approve", "staff:proposal_refuse",
    "applicants:document_download", "applicants:document_preview", "applicants:placement_confirmation",
    "applicants:data_export_download", "applicants:data_export_status", "applicants:data_export_start",
    "applicants:wizard_documents_status", "applicants:application_apply", "applicants:offer_accept",
    "staff:queue_export", "staff:queue_bulk", "staff:application_start_review", "staff:application_request_info",
    "staff:application_review", "staff:application_note", "staff:dossier_start", "staff:dossier_status",
    "staff:dossier_download", "staff_placements:publish_proposal", "staff_placements:dismiss_seat_proposal",
    "staff_placements:plan_run_progress", "staff_placements:plan_publish", "staff_placements:plan_publish_one",
    "training:certificate_status", "training:certificate_download", "training:entry_review",
    "hosting:answer", "hosting:absence", "hosting:complete", "hosting:interrupt", "hosting:document",
    "staff_hosting:request_confirmation", "staff_hosting:interrupt",
    "feeds:feed", "feeds:renew",
    "set_language",
}  # fmt: skip
ADMIN_PAGE_KINDS = {"index", "app_list", "changelist", "add", "change", "history", "delete", "password_change"}


def _portal_patterns(patterns=None, namespace=""):
    """The names of the portal's own URL patterns (the admin's and allauth's are audited by kind)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in ("admin/", "accounts/"):
                continue
            inner = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace)
            yield from _portal_patterns(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _admin_kind(view: str) -> str:
    """ "admin:placements_programme_history" -> "history"; "admin:index" -> "index"."""
    name = view.removeprefix("admin:")
    if name in ("index", "app_list") or name.endswith("password_change"):
        return "password_change" if name.endswith("password_change") else name
    return name.rsplit("_", 1)[-1]


def test_every_page_of_the_portal_and_every_kind_of_admin_page_is_audited(visits):
    seen = {v.view for v in visits}
    pages = set(_portal_patterns()) - NOT_PAGES
    admin_kinds = {_admin_kind(v.view) for v in visits if v.view.startswith("admin:")}

    assert sorted(pages - seen) == []
    assert sorted(ADMIN_PAGE_KINDS - admin_kinds) == []


# --- keyboard: what a sighted keyboard user sees -------------------------------------------------

FOCUS_RING = """(element) => {
  const style = getComputedStyle(element);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
}"""
ON_TOP = """(element) => {
  const box = element.getBoundingClientRect();
  const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return box.width > 1 && box.height > 1 && (top === element || element.contains(top));
}"""


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours given as CSS rgb()/rgba() strings (alpha ignored)."""

    def luminance(css: str) -> float:
        channels = [float(part) / 255 for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_skip_link_shows_above_the_navbar_and_focus_rings_stand_out(live_server, browser):
    context = audit.open_context(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert skip.evaluate(ON_TOP)

    # On the page's white and on the navbar's blue, the ring differs from the unfocused state by 3:1 or more.
    controls = {
        "a navbar link": (page.locator(".navbar .nav-link").first, "rgb(10, 88, 202)"),
        "the language switcher": (page.locator(".language-switcher button").first, "rgb(10, 88, 202)"),
        "a text field": (page.locator("input[name=login]"), "rgb(255, 255, 255)"),
        "a button": (page.get_by_role("button", name="Sign in"), "rgb(255, 255, 255)"),
        "a link": (page.get_by_role("link", name="Create an account"), "rgb(255, 255, 255)"),
    }
    weak = {}
    for name, (control, background) in controls.items():
        control.focus()
        ring = control.evaluate(FOCUS_RING)
        if ring["style"] == "none" or ring["width"] < 2 or _contrast(ring["color"], background) < 3:
            weak[name] = ring
    context.close()

    assert weak == {}
