"""Benchmark: the buyer's portfolio as XLSX for 2,000 suppliers, end to end (issue 15, point 6:
under 10 s; decisions 0029, 0036).

The demo sector is seeded at 2,000 facilities (as `bench/load_data.py` seeds the load benchmark) and
the demo buyer (`buyer`, Lotus Apparel) gets all of them as suppliers with an active grant. Then,
as a logged-in buyer through Django's test client: `GET /portfolio.xlsx` (which starts the
`portfolio_export` job; the job runs at once, Huey's immediate mode, inside the request's process,
as a worker would run it), then `GET /jobs/<id>/download` (the file from the storage). The first
run is cold (the portfolio's summary not yet in the shared cache), the next ones warm; wall clock
and the process's CPU time, beside the machine's load.

    .venv/bin/python bench/bench_portfolio_export.py                       # SQLite, temporary
    make bench-export                                                      # PostgreSQL, BENCH_EXPORT_PG_URL

A PostgreSQL database is created when missing and seeded once (kept for the next run). The
figures are in docs/performance.md ("Exports as jobs").
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SUPPLIERS = 2000
TARGET = 10.0


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone() is None:
            conn.execute(f'create database "{name}"')


def _seed() -> None:
    from django.core.management import call_command
    from django.db import connection

    from commonground.facilities.models import Facility

    sys.path.insert(0, str(ROOT / "bench"))
    from load_data import _share_with_buyer

    call_command("migrate", verbosity=0)
    if Facility.objects.count() < SUPPLIERS:
        from commonground.web.demo.facilities import seed_demo

        started = time.perf_counter()
        seed_demo(facilities=SUPPLIERS)
        print(f"(seeded {SUPPLIERS} facilities in {time.perf_counter() - started:.0f} s)")
    print(f"{_share_with_buyer(SUPPLIERS)} suppliers share with the buyer")
    if connection.vendor == "postgresql":  # the planner's statistics, as autovacuum keeps them
        with connection.cursor() as c:
            c.execute("analyze")


def _export() -> tuple[int, int]:
    """One export as the buyer sees it: the click, the job, the download. (rows, bytes)"""
    from django.contrib.auth.models import User
    from django.test import Client

    from commonground.jobs.models import Job

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(User.objects.get(username="buyer"))
    Job.objects.filter(kind="portfolio_export").delete()  # a new key each run (no reuse of a file)
    started = client.get("/portfolio.xlsx?sort=name")
    assert started.status_code == 302, started.status_code
    job = Job.objects.get(kind="portfolio_export")
    assert job.state == Job.State.DONE, (job.state, job.error)
    download = client.get(f"/jobs/{job.pk}/download")
    assert download.status_code == 200, download.status_code
    return job.total or 0, len(b"".join(download.streaming_content))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="", help="a PostgreSQL URL (default: SQLite, temporary)")
    parser.add_argument("--runs", type=int, default=5, help="warm runs after the cold one")
    parser.add_argument("--profile", action="store_true", help="print where a warm run's time goes")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="bench-export-")
    os.environ["COMMONGROUND_DATA_DIR"] = data
    os.environ.pop("REDIS_URL", None)
    if args.database:
        _ensure_database(args.database)
        os.environ["DATABASE_URL"] = args.database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
    os.environ["HUEY_IMMEDIATE"] = "1"
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["testserver"]
    _seed()
    cache.clear()

    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores")
    walls, cpus = [], []
    for run in range(args.runs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        rows, size = _export()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        what = "cold (summary not cached)" if run == 0 else "warm"
        print(
            f"  run {run}, {what}: {rows} suppliers, {size // 1024} KB, "
            f"{walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU"
        )
    warm = walls[1:] or walls
    median = statistics.median(warm)
    print(
        f"portfolio XLSX, {rows} suppliers, click to file: cold {walls[0]:.2f} s; warm median {median:.2f} s "
        f"(best {min(warm):.2f} s), CPU median {statistics.median(cpus[1:] or cpus):.2f} s — "
        f"{'OK' if max(walls) < TARGET else 'OVER'} (target < {TARGET:.0f} s)"
    )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    if args.profile:
        cache.clear()
        profiler = cProfile.Profile()
        profiler.runcall(_export)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue())


if __name__ == "__main__":
    main()
