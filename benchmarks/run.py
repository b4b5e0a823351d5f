"""`make bench`: speed and scale of the portal, measured against a trivial view, in one table.

    .venv/bin/python benchmarks/run.py            # the full bench (20,000 applications; about 10 minutes)
    .venv/bin/python benchmarks/run.py --tiny     # seconds: tiny volumes, 1 s of load (run by make test)
    .venv/bin/python benchmarks/run.py --phases pages,load --runs 20

Works on its own copy of a seeded PostgreSQL database (seeded once, see environment.py), then
measures: (1) server time and queries of each page; (2) throughput of gunicorn under wrk load as a
ratio to a trivial view; (3) uploads and document processing with a real worker; (4) the planner
(benchmarks/planner.py). Prints a Markdown table with the issue's targets and writes results.json
and results.png to --out (var/bench/ by default). See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import platform
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import (  # noqa: E402
    DEFAULT_REDIS_URL,
    DEFAULT_SERVER_URL,
    BenchEnvironment,
    drop_database,
    free_port,
    prepare_database,
)

PHASES = ("pages", "load", "documents", "planner")


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="tiny volumes and 1 s of load: a run of seconds")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, of: {', '.join(PHASES)}")
    parser.add_argument(
        "--server-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER_URL),
        help="a PostgreSQL URL on the server to use; its database name is replaced (env BENCH_DATABASE_URL)",
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench", help="where results.json/.png go")
    parser.add_argument("--fresh", action="store_true", help="seed the template database again")
    parser.add_argument("--keep-database", action="store_true", help="keep this run's copy of the database")
    parser.add_argument("--applications", type=int, help="applications to seed (default 20,000; tiny 150)")
    parser.add_argument("--runs", type=int, help="timed requests per page (default 50; tiny 3)")
    parser.add_argument("--duration", type=float, help="seconds of load per page and round (default 10; tiny 1)")
    parser.add_argument("--rounds", type=int, help="rounds of load over all pages (default 3; tiny 1)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections of the load")
    args = parser.parse_args(argv)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    tiny = args.tiny
    args.applications = args.applications or (150 if tiny else 20_000)
    args.runs = args.runs or (3 if tiny else 50)
    args.duration = args.duration or (1.0 if tiny else 10.0)
    args.rounds = args.rounds or (1 if tiny else 3)
    return args


def _machine() -> dict:
    return {
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _build(volume) -> None:
    """Migrate and seed the (empty) database Django points at, then vacuum it as autovacuum would
    have by the time a real database holds this much (index-only scans need the visibility map)."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import seed

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    counts = seed.seed(volume).counts
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Seeded the template database in {time.perf_counter() - started:.0f} s: {counts}", flush=True)


def _collect_static() -> None:
    from django.core.management import call_command

    lock = ROOT / "var" / "bench" / "static.lock"
    with lock.open("w") as handle:  # two runs at once must not write the manifest together
        fcntl.flock(handle, fcntl.LOCK_EX)
        call_command("collectstatic", interactive=False, verbosity=0)


def _phase(results: dict, name: str, function, *args, **kwargs):
    print(f"\n== {name} (load average {os.getloadavg()[0]:.1f})", flush=True)
    started = time.perf_counter()
    try:
        results[name] = function(*args, **kwargs)
    except Exception as error:
        traceback.print_exc()
        results.setdefault("failures", []).append(f"{name}: {type(error).__name__}: {error}")
    results.setdefault("phase_seconds", {})[name] = round(time.perf_counter() - started, 1)
    results.setdefault("load_average", {})[name] = round(os.getloadavg()[0], 2)


def _stop_on_sigterm(*_):
    raise KeyboardInterrupt  # so that the servers are stopped and the run's database dropped


def main(argv=None) -> dict:
    args = parse(argv)
    environment = BenchEnvironment(
        tiny=args.tiny, server_url=args.server_url, redis_url=args.redis_url, out_dir=args.out
    )
    child_env = environment.apply()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)

    import django

    django.setup()
    # Signing in the bench's users is logged at INFO by the security log; it is not news here.
    logging.getLogger("portal.security").setLevel(logging.WARNING)

    from benchmarks import documents, load, pages, planner_phase, report, seed

    results: dict = {"machine": _machine(), "tiny": args.tiny, "run_id": environment.run_id}
    volume = seed.Volume(applications=args.applications)
    server = worker = None
    started = time.perf_counter()
    try:
        _collect_static()
        built = prepare_database(environment, volume.key, lambda: _build(volume), fresh=args.fresh)
        seeded = seed.seeded(volume)
        if seeded is None:
            raise RuntimeError(f"The template of {environment.database} has no seed of {volume.key}; try --fresh.")
        results["volume"] = seeded.counts
        results["setup_seconds"] = round(time.perf_counter() - started, 1)
        print(f"Working on {environment.database}, a copy of the {'new' if built else 'existing'} seed.", flush=True)
        if "pages" in args.phases:
            _phase(results, "pages", pages.run, seeded, runs=args.runs)
        if "load" in args.phases or "documents" in args.phases:
            server = load.Gunicorn(child_env, free_port(), args.out / "gunicorn.log").start()
        if "load" in args.phases:
            _phase(
                results,
                "load",
                load.run,
                seeded,
                server,
                duration=args.duration,
                rounds=args.rounds,
                connections=args.connections,
            )
        if "documents" in args.phases:
            sizes = documents.TINY if args.tiny else documents.FULL
            programme = documents.rotation_programme()
            _phase(results, "submission", documents.submission, programme, sizes.submissions)
            _phase(
                results,
                "upload_memory",
                documents.upload_memory,
                programme,
                port=server.port,
                worker_pids=server.worker_pids(),
                sizes=sizes,
            )
            server.stop()
            server = None
            documents.purge_queue()  # the uploads above queued their checks; nobody ran them
            worker = documents.Worker(child_env, args.out / "worker.log").start()
            _phase(results, "upload_to_ready", documents.upload_to_ready, programme, sizes)
            _phase(results, "documents_per_second", documents.throughput, programme, sizes.batch)
        if "planner" in args.phases:
            _phase(results, "planner", planner_phase.run, tiny=args.tiny)
    finally:
        for process in (server, worker):
            if process:
                process.stop()
        _clean_up(environment, keep=args.keep_database)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = report.targets(results)
    report.write(results, args.out)
    print("\n" + report.markdown(results))
    print(f"\nWritten: {args.out / 'results.json'} and {args.out / 'results.png'}")
    return results


def _clean_up(environment: BenchEnvironment, *, keep: bool) -> None:
    """Nothing of the run stays behind: its queue, its cache keys, its documents, its database."""
    import shutil

    import redis
    from django.conf import settings
    from django.db import connections

    from benchmarks import documents

    try:
        documents.purge_queue()
        client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        for key in client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
            client.delete(key)
    except Exception:
        traceback.print_exc()
    connections.close_all()
    shutil.rmtree(environment.var_dir, ignore_errors=True)
    if keep:
        print(f"Kept the database {environment.database}.")
    else:
        drop_database(environment)


if __name__ == "__main__":
    outcome = main()
    sys.exit(1 if outcome.get("failures") else 0)
