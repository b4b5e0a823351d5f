"""Phase 2: throughput under load, as a ratio to a trivial view served by the same server in the same run.

gunicorn serves the portal with the production settings: 2 sync workers, 1 thread each
(`--workers 2 --threads 1`), on a free loopback port. wrk, a separate process written in C (so that
the load generator takes little of the CPU it measures), keeps `connections` connections busy for
`duration` seconds per page; a Lua script counts every answer that is not a 200 (a redirect to the
sign-in page would be one). The pages take turns in each round, so that a change of machine load
hits all of them alike, and each ratio is the median over the rounds of (page req/s) / (trivial req/s)
in the same round.

The catalogue and programme targets ask for one URL again and again, so after the first request
they measure the page served from the public page cache (placements.catalogue.public_cache). The
review queue and the staff application page are rendered for every request: the queue with the mix
of URLs coordinators use (`queue_mix_paths`: 55% the whole queue at a random page, 30% one status at
a random page of it, 15% a search by name, each in a random order) and the application page for a
random application of the coordinator's programmes; wrk adds a parameter of its own to each request
(`_=<number>`), so that no cache of any kind could serve one request for another. The queue's page 1
asked again and again stays as a row of its own, without a target.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.urls import reverse

from applicants.access import staff_programme_ids
from applicants.selectors_queue import in_scope, status_counts
from applicants.views.staff.queue import PAGE_SIZE
from benchmarks.seed import ROTATION, Seeded
from benchmarks.seed_history import FIRST_NAMES, LAST_NAMES
from benchmarks.urls import TRIVIAL_PATH
from portal.models import User

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 1


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int, log_path: Path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> Gunicorn:
        command = [
            sys.executable, "-m", "gunicorn", "portal.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(GUNICORN_WORKERS),
            "--threads", str(GUNICORN_THREADS), "--timeout", "120", "--log-level", "warning",
        ]  # fmt: skip
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)  # noqa: S603
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            try:
                if get(self.port, TRIVIAL_PATH)[0] == 200 and len(self.worker_pids()) == GUNICORN_WORKERS:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    path: str
    cookie: str
    min_ratio: float | None
    paths: tuple[str, ...] = ()  # when given, each request asks for one of these at random (not `path`)


def session_cookie(user_id: int) -> str:
    """The cookies of a signed-in browser of `user_id`: its session in the database, as the sign-in
    would leave it (the sign-in itself, with its password hashing and two-factor step, is not what is
    measured), and the CSRF cookie that the first page with a form gives it."""
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    client.get(reverse("staff:home"), follow=True)
    session, csrf = settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME
    return f"{session}={client.cookies[session].value}; {csrf}={client.cookies[csrf].value}"


def targets(seeded: Seeded) -> list[Target]:
    coordinator = session_cookie(seeded.coordinator_id)
    queue = reverse("staff:queue")
    rng = random.Random(2027)  # the same URLs in every run
    return [
        Target("trivial", "Trivial view (no database)", TRIVIAL_PATH, "", None),
        Target("catalogue", "Catalogue", reverse("placements:programme_list"), "", 0.5),
        Target("programme", "Programme detail", reverse("placements:programme_detail", args=[ROTATION]), "", 0.5),
        Target(
            "queue_mix",
            "Review queue, coordinators' mix of URLs (rendered)",
            queue,
            coordinator,
            0.05,
            paths=queue_mix_paths(seeded, rng),
        ),
        Target(
            "application",
            "Staff application page, random applications",
            queue,
            coordinator,
            0.05,
            paths=application_paths(seeded, rng),
        ),
        Target("queue", "Review queue, page 1 again and again (rendered)", queue, coordinator, None),
    ]


MIX_SIZE = 5000
SORT_KEYS = ("-submitted", "submitted", "-start", "start", "-score", "score")


def queue_mix_paths(seeded: Seeded, rng: random.Random, size: int = MIX_SIZE) -> tuple[str, ...]:
    """The queue's URLs as coordinators browse it: 55% the whole queue at a random page, 30% one
    status at a random page of it, 15% a search by a name (first, last, or both); a random order each."""
    scope = staff_programme_ids(User.objects.get(pk=seeded.coordinator_id))
    counts = {status: n for status, n in status_counts(scope).items() if n}
    pages_of = {status: max(1, math.ceil(n / PAGE_SIZE)) for status, n in counts.items()}
    all_pages = max(1, math.ceil(sum(counts.values()) / PAGE_SIZE))
    queue = reverse("staff:queue")
    paths = []
    for _ in range(size):
        draw, sort = rng.random(), rng.choice(SORT_KEYS)
        if draw < 0.55:
            query = {"sort": sort, "page": rng.randint(1, all_pages)}
        elif draw < 0.85:
            status = rng.choice(sorted(counts))
            query = {"status": status, "sort": sort, "page": rng.randint(1, pages_of[status])}
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            query = {"q": rng.choice((first, last, f"{first} {last}")).lower(), "sort": sort}
        paths.append(f"{queue}?{urlencode(query)}")
    return tuple(paths)


def application_paths(seeded: Seeded, rng: random.Random, size: int = 2000) -> tuple[str, ...]:
    """The staff pages of random applications of the coordinator's programmes."""
    scope = staff_programme_ids(User.objects.get(pk=seeded.coordinator_id))
    uuids = sorted(str(uuid) for uuid in in_scope(scope).values_list("uuid", flat=True))
    return tuple(reverse("staff:application", args=[uuid]) for uuid in rng.sample(uuids, min(size, len(uuids))))


def wrk(port: int, target: Target, *, duration: float, connections: int, threads: int, paths_file: Path) -> dict:
    command = [
        shutil.which("wrk") or "wrk", "--threads", str(threads), "--connections", str(connections),
        "--duration", f"{max(1, round(duration))}s", "--timeout", "10s", "--script", str(WRK_SCRIPT),
    ]  # fmt: skip
    if target.cookie:
        command += ["--header", f"Cookie: {target.cookie}"]
    command.append(f"http://127.0.0.1:{port}{target.path}")
    if target.paths:
        paths_file.write_text("\n".join(target.paths) + "\n", encoding="utf-8")
        command += ["--", str(paths_file)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60)  # noqa: S603
    line = next(line for line in output.stdout.splitlines() if line.startswith("BENCH-JSON "))
    figures = json.loads(line.removeprefix("BENCH-JSON "))
    errors = figures["not_200"] + sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "requests": figures["requests"],
        "rps": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "p50_ms": round(figures["latency_p50_us"] / 1000, 1),
        "p95_ms": round(figures["latency_p95_us"] / 1000, 1),
        "errors": errors,
        "not_200": figures["not_200"],
    }


def run(seeded: Seeded, server: Gunicorn, *, duration: float, rounds: int, connections: int) -> dict:
    chosen = targets(seeded)
    paths_file = server.log_path.with_name("wrk-paths.txt")
    for target in chosen:  # every worker renders each page once and the answer is the page itself
        warm_up = target.paths[: 2 * GUNICORN_WORKERS] or (target.path,) * (2 * GUNICORN_WORKERS)
        for path in warm_up:
            status, _body = get(server.port, path, target.cookie)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} before the load; see {server.log_path}")
    per_round: list[dict[str, dict]] = []
    for number in range(1, rounds + 1):
        figures = {}
        for target in chosen:
            figures[target.key] = wrk(
                server.port, target, duration=duration, connections=connections, threads=2, paths_file=paths_file
            )
            got = figures[target.key]
            print(
                f"  round {number}: {target.label:<30} {got['rps']:>8.1f} req/s  p95 {got['p95_ms']:>7.1f} ms  "
                f"errors {got['errors']}",
                flush=True,
            )
        per_round.append(figures)
    results = []
    for target in chosen:
        rounds_of = [r[target.key] for r in per_round]
        ratios = [r[target.key]["rps"] / r["trivial"]["rps"] for r in per_round if r["trivial"]["rps"]]
        ratio = statistics.median(ratios) if ratios else None
        results.append(
            {
                "key": target.key,
                "label": target.label,
                "path": target.path,
                "distinct_paths": len(set(target.paths)) or 1,
                "rps": round(statistics.median(r["rps"] for r in rounds_of), 1),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in rounds_of), 1),
                "p95_ms": round(statistics.median(r["p95_ms"] for r in rounds_of), 1),
                "requests": sum(r["requests"] for r in rounds_of),
                "errors": sum(r["errors"] for r in rounds_of),
                "ratio": round(ratio, 3) if ratio is not None else None,
                "ratios_each_round": [round(x, 3) for x in ratios],
                "min_ratio": target.min_ratio,
                "met": None if target.min_ratio is None or ratio is None else ratio >= target.min_ratio,
            }
        )
    return {
        "server": f"gunicorn --workers {GUNICORN_WORKERS} --threads {GUNICORN_THREADS} (sync), production settings",
        "client": f"wrk, {connections} connections, 2 threads, {duration:g} s per page and round, {rounds} round(s)",
        "pages": results,
    }
