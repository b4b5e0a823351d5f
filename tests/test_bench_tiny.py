"""The bench (`make bench`) in its tiny version, so that it cannot rot: every figure is produced,
nothing fails. Not a timed test: the speeds are whatever the machine gives; only their presence,
the error count and the report are checked."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "catalogue", "programme", "dashboard", "queue", "queue_status", "queue_filters", "queue_search", "queue_score",
    "queue_deep", "queue_deep_score", "application", "application_reviews", "application_history", "insights",
}  # fmt: skip
LOAD = {"trivial", "catalogue", "programme", "queue_mix", "application", "queue"}
CACHED = {"catalogue", "programme"}  # the public pages; staff pages are rendered for every request


def _has_calendar() -> bool:
    try:
        reverse("staff_placements:calendar")
    except NoReverseMatch:
        return False
    return True


def _bench_redis_url() -> str:
    """The test run's Redis server, database 2 (the bench's)."""
    return urlunparse(urlparse(settings.REDIS_URL)._replace(path="/2"))


@pytest.fixture(scope="module")
def tiny_bench(tmp_path_factory) -> tuple[dict, Path, str]:
    out = tmp_path_factory.mktemp("bench")
    env = {**os.environ, "BENCH_DATABASE_URL": os.environ["DATABASE_URL"], "BENCH_REDIS_URL": _bench_redis_url()}
    completed = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--tiny", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return json.loads((out / "results.json").read_text(encoding="utf-8")), out, completed.stdout


@pytest.mark.worker
def test_tiny_bench_measures_every_page_without_errors(tiny_bench):
    results, _out, _stdout = tiny_bench

    pages = {page["key"]: page for page in results["pages"]}

    assert set(pages) == PAGES | ({"calendar", "calendar_all"} if _has_calendar() else set())
    for page in pages.values():
        assert page["errors"] == 0, page
        assert page["runs"] == 3
        assert 0 < page["p50_ms"] <= page["p95_ms"]
        assert page["queries"] == page["page_queries"] + page["sign_in_queries"]
    # Pages kept in the cache are measured rendered (with their queries) and from the cache (fewer).
    for key in CACHED:
        assert 0 < pages[key]["cached"]["p50_ms"] <= pages[key]["cached"]["p95_ms"]
        assert pages[key]["cached"]["queries"] < pages[key]["queries"]
    assert {key for key, page in pages.items() if page["cached"]} == CACHED
    # rows, components (the status counts, which count the rows too, are kept since the warm-up requests)
    assert pages["queue"]["page_queries"] == 2
    assert {page["max_p95_ms"] for key, page in pages.items() if key.startswith("queue")} == {60}
    assert results["errors"] == 0
    assert "failures" not in results


@pytest.mark.worker
def test_tiny_bench_compares_throughput_with_the_trivial_view(tiny_bench):
    results, _out, _stdout = tiny_bench

    load = {page["key"]: page for page in results["load"]["pages"]}

    assert set(load) == LOAD
    assert load["trivial"]["ratio"] == 1.0
    for page in load.values():
        assert page["errors"] == 0, page
        assert page["rps"] > 0
        assert page["ratio"] > 0
    assert "--workers 2 --threads 1" in results["load"]["server"]
    # The rendered staff pages are asked for at many URLs, none of them twice in a row from a cache.
    assert load["queue_mix"]["min_ratio"] == load["application"]["min_ratio"] == 0.05
    assert load["queue_mix"]["distinct_paths"] > 100
    assert load["application"]["distinct_paths"] > 10


@pytest.mark.worker
def test_tiny_bench_measures_uploads_documents_and_the_planner(tiny_bench):
    results, _out, _stdout = tiny_bench

    assert results["submission"]["errors"] == 0
    assert results["submission"]["upload_request"]["runs"] == 2
    assert results["upload_memory"]["errors"] == 0
    assert results["upload_memory"]["peak_growth_mb"] is not None
    assert set(results["upload_to_ready"]) == {"pdf_1_page", "pdf_20_pages", "photo"}
    assert all(kind["errors"] == 0 for kind in results["upload_to_ready"].values())
    assert results["documents_per_second"]["errors"] == 0
    assert results["documents_per_second"]["per_second"] > 0
    assert results["planner"]["cohort"]["applicant_scores"]["blocking_pairs"] == 0
    assert results["planner"]["rotation"]["placed"] > 0
    assert 0 <= results["planner"]["rotation"]["gap"] <= 1
    assert results["planner"]["medium"]["instances"] == 2
    assert results["planner"]["medium"]["invalid_plans"] == 0


@pytest.mark.worker
def test_tiny_bench_prints_and_writes_its_report(tiny_bench):
    results, out, stdout = tiny_bench

    assert len(results["targets"]) == 17
    # server time p95 of the queue, the application page, both calendars and the insights dashboard
    assert [t["target"].split(":")[0] for t in results["targets"] if "p95 ≤" in t["target"].split(":")[0]] == [
        "Server time p95 ≤ 60 ms",
        "Server time p95 ≤ 60 ms",
        "Server time p95 ≤ 100 ms",
        "Server time p95 ≤ 150 ms",
        "Server time p95 ≤ 150 ms",
    ]
    assert all(target["met"] in (True, False) for target in results["targets"])
    assert "### Targets" in stdout
    assert "Errors: 0." in stdout
    assert (out / "results.png").read_bytes().startswith(b"\x89PNG")
