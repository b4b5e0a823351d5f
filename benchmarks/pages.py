"""Phase 1: server time and queries of each page, through Django's test client in this process.

Server time is the wall time of `Client.get` (request to rendered response, no network), taken
over `runs` requests after two warm-up requests; the queries are counted on one further request
and split into the page's own and those of the session and sign-in checks (session row, user row,
staff check), which every signed-in page pays alike.

The public catalogue and programme pages are kept whole in the cache until something they show
changes. Each of them is measured twice: rendered (its cache version bumped before every request, as
after a change; the figures are these) and served from the cache. Every other page is rendered for
every request. The targets: the queue's own queries, and the p95 server time of the queue, the
application page and the calendar.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from applicants.selectors_staff import _in_scope
from applicants.views.staff.queue import PAGE_SIZE
from benchmarks.seed import ROTATION, Seeded
from placements.catalogue.public_cache import catalogue_changed
from portal.models import User

# Queries every signed-in request makes before the view's own work.
SIGN_IN_QUERIES = {
    "session": re.compile(r'"django_session"'),
    "user": re.compile(r'FROM "portal_user" WHERE "portal_user"\."id" = '),
    # `SELECT 1` where only the answer counts; the programmes' ids where the page needs its scope.
    "staff check": re.compile(
        r'^SELECT 1 AS "a" FROM "placements_programme" INNER JOIN "placements_programme_coordinators"'
        r'|^SELECT "placements_programme_coordinators"\."programme_id" (AS "programme_id" )?FROM'
    ),
    "authenticator": re.compile(r'"mfa_authenticator"'),
}


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    url: str
    who: str | None  # "coordinator", "applicant" or None (anonymous)
    max_queries: int | None = None  # the target on the page's own queries
    max_p95_ms: float | None = None  # the target on the server time, p95
    invalidate: Callable[[], None] | None = None  # for a cached page: what a change to it does


@dataclass
class PageFigures:
    key: str
    label: str
    url: str
    runs: int
    queries: int
    page_queries: int
    sign_in_queries: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    errors: int
    max_queries: int | None
    max_p95_ms: float | None
    bytes: int
    sql: list[str]
    cached: dict | None = None  # a cached page served from the cache: queries, p50_ms, p95_ms

    @property
    def met(self) -> bool | None:
        checks = []
        if self.max_queries is not None:
            checks.append(self.page_queries <= self.max_queries)
        if self.max_p95_ms is not None:
            checks.append(self.p95_ms <= self.max_p95_ms)
        return all(checks) if checks else None


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 50 runs is the 48th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def pages(seeded: Seeded) -> list[Page]:
    coordinator = User.objects.get(pk=seeded.coordinator_id)
    in_queue = _in_scope(coordinator).count()
    last = max(1, math.ceil(in_queue / PAGE_SIZE))
    queue = reverse("staff:queue")

    def queue_page(key: str, label: str, url: str) -> Page:
        return Page(key, label, url, "coordinator", max_queries=5, max_p95_ms=60)

    result = [
        Page("catalogue", "Catalogue", reverse("placements:programme_list"), None, invalidate=catalogue_changed),
        Page(
            "programme",
            "Programme detail",
            reverse("placements:programme_detail", args=[ROTATION]),
            None,
            invalidate=catalogue_changed,
        ),
        Page("dashboard", "Applicant dashboard (10 applications)", reverse("applicants:dashboard"), "applicant"),
        queue_page("queue", "Review queue, page 1", queue),
        queue_page("queue_status", "Queue filtered by status", f"{queue}?status=in_review"),
        queue_page(
            "queue_filters",
            "Queue filtered by programme, status and warnings",
            f"{queue}?programme={_programme_id(ROTATION)}&status=submitted&status=in_review&warnings=on",
        ),
        queue_page("queue_search", "Queue searched by name", f"{queue}?{urlencode({'q': seeded.search_term})}"),
        queue_page("queue_score", "Queue sorted by score", f"{queue}?sort=-score"),
        queue_page("queue_deep", f"Queue, last page ({last})", f"{queue}?page={last}"),
        queue_page("queue_deep_score", "Queue sorted by score, last page", f"{queue}?sort=-score&page={last}"),
        Page(
            "application",
            "Staff application page",
            reverse("staff:application", args=[seeded.staff_application_uuid]),
            "coordinator",
            max_p95_ms=60,
        ),
        # Its other two tabs (no target of their own).
        Page(
            "application_reviews",
            "Staff application page: reviews and notes",
            reverse("staff:application_reviews", args=[seeded.staff_application_uuid]),
            "coordinator",
        ),
        Page(
            "application_history",
            "Staff application page: timeline and e-mails",
            reverse("staff:application_history", args=[seeded.staff_application_uuid]),
            "coordinator",
        ),
    ]
    try:
        calendar = reverse("staff_placements:calendar")
    except NoReverseMatch:
        calendar = None
    if calendar:
        result.append(
            Page(
                "calendar",
                "Capacity calendar, 52 weeks",
                f"{calendar}?programme={ROTATION}",
                "coordinator",
                max_p95_ms=100,
            )
        )
        result.append(
            Page("calendar_all", "Capacity calendar, both programmes", calendar, "coordinator", max_p95_ms=150)
        )
        result.append(
            Page(
                "insights",
                "Dashboard, both demo programmes",
                reverse("staff_placements:insights"),
                "coordinator",
                max_p95_ms=150,
            )
        )
    return result


def _programme_id(slug: str) -> int:
    from placements.catalogue.models import Programme

    return Programme.objects.values_list("pk", flat=True).get(slug=slug)


def _clients(seeded: Seeded) -> dict[str | None, Client]:
    # A server error is counted (and logged), not raised: one broken page does not stop the others.
    clients: dict[str | None, Client] = {None: Client(raise_request_exception=False)}
    for who, pk in (("coordinator", seeded.coordinator_id), ("applicant", seeded.applicant_id)):
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(pk=pk))
        clients[who] = client
    return clients


def _is_sign_in(sql: str) -> bool:
    return any(pattern.search(sql) for pattern in SIGN_IN_QUERIES.values())


def _timed(page: Page, client: Client, runs: int, *, invalidate: bool) -> tuple[list[float], list[str], int, int]:
    """Times of `runs` requests, the queries of one more and its size, and the errors; with
    `invalidate`, the page's cache versions are bumped before each request (outside the timing)."""
    errors = 0
    for _ in range(2):  # warm-up: the security middleware stores the role and authenticator in the session
        errors += client.get(page.url).status_code != 200
    if invalidate:
        page.invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    errors += response.status_code != 200
    queries = [query["sql"] for query in captured.captured_queries]  # the log is emptied by the next request
    times = []
    for _ in range(runs):
        if invalidate:
            page.invalidate()
        started = time.perf_counter()
        response = client.get(page.url)
        times.append((time.perf_counter() - started) * 1000)
        errors += response.status_code != 200
    return times, queries, len(response.content), errors


def measure(page: Page, client: Client, runs: int) -> PageFigures:
    times, queries, size, errors = _timed(page, client, runs, invalidate=page.invalidate is not None)
    sign_in = sum(1 for sql in queries if _is_sign_in(sql))
    cached = None
    if page.invalidate is not None:
        cached_times, cached_queries, _size, cached_errors = _timed(page, client, runs, invalidate=False)
        errors += cached_errors
        cached = {
            "queries": len(cached_queries),
            "p50_ms": round(statistics.median(cached_times), 1),
            "p95_ms": round(percentile(cached_times, 0.95), 1),
        }
    return PageFigures(
        key=page.key,
        label=page.label,
        url=page.url,
        runs=runs,
        queries=len(queries),
        page_queries=len(queries) - sign_in,
        sign_in_queries=sign_in,
        p50_ms=round(statistics.median(times), 1),
        p95_ms=round(percentile(times, 0.95), 1),
        mean_ms=round(statistics.fmean(times), 1),
        errors=errors,
        max_queries=page.max_queries,
        max_p95_ms=page.max_p95_ms,
        bytes=size,
        sql=[sql[:400] for sql in queries],
        cached=cached,
    )


def run(seeded: Seeded, *, runs: int, only: set[str] | None = None) -> list[dict]:
    clients = _clients(seeded)
    figures = []
    for page in pages(seeded):
        if only and page.key not in only:
            continue
        result = measure(page, clients[page.who], runs)
        figures.append({**asdict(result), "met": result.met})
        cached = result.cached
        from_cache = (
            f"  cached: {cached['queries']} queries p50 {cached['p50_ms']:.1f} ms p95 {cached['p95_ms']:.1f} ms"
            if cached
            else ""
        )
        print(
            f"  {result.label:<50} {result.page_queries:>3} (+{result.sign_in_queries}) queries  "
            f"p50 {result.p50_ms:>7.1f} ms  p95 {result.p95_ms:>7.1f} ms  errors {result.errors}{from_cache}",
            flush=True,
        )
    return figures
