"""The checks run on each page state: axe-core in the page, its HTML saved for the Nu HTML checker,
its width at 375 px; both tools come from npm (package.json), Java from Debian."""

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.0 and 2.1, levels A and AA. The name-mismatch rule (WCAG 2.5.3) is still marked experimental
# in axe-core, so it is switched on by name.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
    # Not fetching every style sheet again for each page makes a run several times faster; the one rule
    # that needs them (css-orientation-lock, WCAG 1.3.4) finds nothing to lock in Bootstrap or the admin.
    "preload": False,
}
BLOCKING_IMPACTS = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The elements that stick out on the right, innermost first: what makes a page too wide.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].map(c => '.' + c).join('');
  return [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 3).map(e => `${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)`);
}"""
# What a person who relies on a screen reader meets first on a page after a failed form.
ERROR_PAGE = """() => {
  const summary = document.querySelector('[data-error-summary=list]')
    || document.querySelector('[data-error-summary]');
  const active = document.activeElement;
  return {
    title: document.title,
    focused_in_summary: !!summary && (summary === active || summary.contains(active)),
    links: summary ? [...summary.querySelectorAll('a')].map(a => {
      const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      const tag = target ? target.tagName.toLowerCase() : null;
      return {text: a.innerText.trim(), href: a.getAttribute('href'), target: tag};
    }) : [],
    invalid_unexplained: [...document.querySelectorAll('[aria-invalid=true]')]
      .filter(c => !(
        (c.closest('fieldset') || c).getAttribute('aria-describedby') || c.getAttribute('aria-describedby') || ''
      ).split(' ').some(id => {
        const e = id && document.getElementById(id);
        return e && e.innerText.trim();
      }))
      .map(c => c.name || c.id),
  };
}"""


@dataclass
class Visit:
    """What one page state showed: its view, axe's findings, how much wider than a phone it was."""

    state: str
    url: str
    view: str
    html: Path
    violations: list[dict] = field(default_factory=list)
    overflow: int = 0
    sticking_out: list[str] = field(default_factory=list)
    error_page: dict | None = None
    seconds: float = 0.0

    @property
    def blocking(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in BLOCKING_IMPACTS]


def view_name(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


class Recorder:
    """Keeps the last document the page loaded (its HTML as the server sent it, for the Nu checker)."""

    def __init__(self, page):
        self.page = page
        self.response = None
        page.on("response", self._on_response)

    def _on_response(self, response):
        if response.request.resource_type == "document" and response.frame == self.page.main_frame:
            self.response = response

    def html(self) -> str:
        return self.page.content() if self.response is None else self.response.text()


def open_context(browser):
    """A browser context that brings axe-core into every page it loads, as a script injected before the
    page's own (the Content Security Policy of the page is bypassed for it)."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    context.add_init_script(path=str(AXE))
    context.set_default_timeout(15_000)
    return context


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # a page not loaded by navigating
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, AXE_OPTIONS)


def overflow_on_a_phone(page) -> tuple[int, list[str]]:
    """How many CSS pixels the page is wider than a 375-pixel phone screen (0: it fits), and what sticks out."""
    page.set_viewport_size(PHONE)
    try:
        overflow = page.evaluate(OVERFLOW)
        return overflow, (page.evaluate(STICKING_OUT) if overflow > 0 else [])
    finally:
        page.set_viewport_size(DESKTOP)


def error_page(page) -> dict:
    return page.evaluate(ERROR_PAGE)


def nu_errors(files: list[Path]) -> dict[Path, list[str]]:
    """The Nu HTML checker's errors, per file, in one run of the checker over all of them."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    by_name = {f.resolve().as_uri(): f for f in files}
    found: dict[Path, list[str]] = {}
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        where = by_name.get(re.sub(r"^file:/+", "file:///", message.get("url", "")))
        extract = (message.get("extract") or "").strip().replace("\n", " ")[:120]
        found.setdefault(where, []).append(f"line {message.get('lastLine')}: {message['message']} [{extract}]")
    return found
