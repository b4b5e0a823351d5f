"""One browser session per persona goes through all of its page states; at each, the checks of
audit.py run and what they found is kept as a Visit (with the page's HTML saved for the Nu checker)."""

import json
import time
from pathlib import Path

from tests.browser.a11y import audit
from tests.browser.a11y.states import Persona


def visit_all(browser, base_url: str, persona: Persona, folder: Path, visits: list[audit.Visit]) -> None:
    context = audit.open_context(browser)
    page = context.new_page()
    recorder = audit.Recorder(page)
    for state in persona.states:
        started = time.monotonic()
        try:
            state.reach(page, base_url)
            page.wait_for_load_state()
        except Exception as error:
            raise AssertionError(f"{persona.name} · {state.name}: could not be reached ({page.url})") from error
        path = folder / f"{len(visits):03d}.html"
        path.write_text(recorder.html(), encoding="utf-8")
        where = page.url.removeprefix(base_url)
        visit = audit.Visit(
            state=f"{persona.name} · {state.name}",
            url=where,
            view=audit.view_name((state.go if isinstance(state.go, str) else where).split("?")[0]),
            html=path,
        )
        visit.violations = audit.axe_violations(page)
        visit.overflow, visit.sticking_out = audit.overflow_on_a_phone(page)
        if state.failed:
            visit.error_page = audit.error_page(page)
        visit.seconds = round(time.monotonic() - started, 2)
        visits.append(visit)
    context.close()


def write_report(path: Path, visits: list[audit.Visit]) -> None:
    """Every state with what was found there and how long it took (A11Y_REPORT=<file> asks for it)."""
    report = [
        {
            "state": v.state, "url": v.url, "view": v.view, "seconds": v.seconds, "html": str(v.html),
            "overflow": v.overflow, "sticking_out": v.sticking_out, "error_page": v.error_page,
            "violations": {x["rule"]: [n["target"] for n in x["nodes"]] for x in v.violations},
        }
        for v in visits
    ]  # fmt: skip
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
