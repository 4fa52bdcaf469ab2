"""Load benchmark: concurrent clients against a real WSGI server on loopback, on PostgreSQL.

`make bench-load` runs it: it creates the database when missing, migrates, seeds the demo sector
scaled to 2,000 facilities (once), gives the demo buyer 500 sharing suppliers, starts gunicorn on
127.0.0.1, then runs locust headless twice (a facility's results through the API and the page; the
buyer's portfolio), each with 20 concurrent users for a bounded time, and checks the targets
(docs/performance.md): p95 < 150 ms for results, < 500 ms for the portfolio, no errors.

Server settings live here, not in the project's defaults: DEBUG off, persistent database
connections, gunicorn with threaded workers.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # traffic goes to loopback only
SPAWN_RATE = 4  # users started per second
# name: (locust user classes, {request name: p95 target in ms}, think time in s between requests)
SCENARIOS = {
    "results": (("ResultsApiUser", "ResultsPageUser"), {"API results": 150, "results page": 150}, (1, 2)),
    "portfolio": (("PortfolioUser",), {"portfolio": 500}, (1, 2)),
    "portfolio-reading": (("PortfolioUser",), {"portfolio": 500}, (5, 10)),
}


def main() -> None:
    args = _arguments()
    _ensure_database(args.database)
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        env = _environment(args.database, Path(tmp))
        facts = Path(tmp) / "facts.json"
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                HERE / "load_data.py",
                *map(str, (args.facilities, args.suppliers, args.users)),
                facts,
            ],
            env=env,
            check=True,
        )
        print(f"data ready in {time.perf_counter() - started:.1f} s")
        server = _start_server(args, env)
        try:
            env["BENCH_FACTS"] = str(facts)
            failed = [name for name in args.scenarios if not _run(name, args, env)]
        finally:
            _stop(server)
    if failed:
        sys.exit(f"targets missed: {', '.join(failed)}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/commonground_bench"),
        help="a PostgreSQL database (created when missing; the demo is seeded into it once)",
    )
    parser.add_argument("--facilities", type=int, default=2000)
    parser.add_argument("--suppliers", type=int, default=500, help="suppliers sharing with the demo buyer")
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users per scenario")
    parser.add_argument("--run-time", type=int, default=60, help="measured seconds per scenario")
    parser.add_argument("--warm-up", type=int, default=20, help="seconds of traffic before measuring")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes (2 x cores + 1)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument(
        "scenarios", nargs="*", help=f"some of: {', '.join(SCENARIOS)} (default: results portfolio)"
    )
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario: {', '.join(sorted(unknown))}")
    args.scenarios = args.scenarios or ["results", "portfolio"]
    return args


def _ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone() is None:
            conn.execute(f'create database "{name}"')


def _environment(database: str, data_dir: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database,
        "COMMONGROUND_DATA_DIR": str(data_dir),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": HOST,
    }


def _start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        BIN / "gunicorn",
        "commonground.config.wsgi:application",
        f"--config={HERE / 'gunicorn_conf.py'}",
        f"--bind={HOST}:{args.port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--worker-class=gthread",
        "--keep-alive=75",  # longer than any think time: no idle connection closed under a client
        "--log-level=warning",
    ]
    print(f"server: gunicorn, {args.workers} workers x {args.threads} threads, on {HOST}:{args.port}")
    with socket.socket() as probe:
        if probe.connect_ex((HOST, args.port)) == 0:
            sys.exit(f"port {args.port} is in use by another program: choose another with --port")
    server = subprocess.Popen(command, env=env, start_new_session=True)
    for _ in range(100):
        if server.poll() is not None:
            sys.exit("the server stopped")
        try:
            urllib.request.urlopen(f"http://{HOST}:{args.port}/accounts/login/", timeout=5).close()
            return server
        except OSError:
            time.sleep(0.3)
    _stop(server)
    sys.exit("the server did not start")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its workers (its own process group), also those stuck in a long request."""
    os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def _run(name: str, args: argparse.Namespace, env: dict[str, str]) -> bool:
    classes, targets, (low, high) = SCENARIOS[name]
    env = env | {"BENCH_THINK": f"{low},{high}"}
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n== {name}: {args.users} users, think time {low}-{high} s (load average {load}) ==", flush=True)
    if args.warm_up:
        rows, _ = _locust(name, classes, args, env, args.warm_up)
        slowest = max((float(r["Max Response Time"]) for r in rows if r["Name"] != "Aggregated"), default=0)
        print(
            f"warm-up {args.warm_up} s (not counted): {rows[-1]['Request Count']} requests, "
            f"slowest {slowest:.0f} ms"
        )
    rows, failures = _locust(name, classes, args, env, args.run_time)
    print(f"measured {args.run_time} s:")
    for failure in failures:
        print(f"errors: {failure['Occurrences']} x {failure['Name']}: {failure['Error']}")
    return _report(rows, targets)


def _locust(
    name: str, classes: tuple[str, ...], args: argparse.Namespace, env: dict[str, str], seconds: int
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    with tempfile.TemporaryDirectory(prefix="cg-locust-") as tmp:
        prefix = Path(tmp) / name
        command = [
            BIN / "locust",
            f"--locustfile={HERE / 'locustfile.py'}",
            "--headless",
            "--only-summary",
            "--loglevel=ERROR",
            f"--users={args.users}",
            f"--spawn-rate={SPAWN_RATE}",  # users arrive over a few seconds, not in one burst
            "--reset-stats",  # figures count from the moment every user is there
            f"--run-time={seconds + math.ceil(args.users / SPAWN_RATE)}s",
            f"--host=http://{HOST}:{args.port}",
            f"--csv={prefix}",
            *classes,
        ]
        subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = list(csv.DictReader(prefix.with_name(f"{name}_stats.csv").open(encoding="utf-8")))
        failures = list(csv.DictReader(prefix.with_name(f"{name}_failures.csv").open(encoding="utf-8")))
    return rows, failures


def _report(rows: list[dict[str, str]], targets: dict[str, int]) -> bool:
    heads = ("count", "errors", "p50", "p95", "p99", "max", "req/s")
    print(f"{'request (ms)':<20} " + " ".join(f"{h:>6}" for h in heads))
    ok = set(targets) <= {row["Name"] for row in rows}  # a request that never completed misses
    for row in rows:
        name = row["Name"]
        print(
            f"{name:<20} {row['Request Count']:>6} {row['Failure Count']:>6} {row['50%']:>6} "
            f"{row['95%']:>6} {row['99%']:>6} {float(row['Max Response Time']):>6.0f} "
            f"{float(row['Requests/s']):>6.1f}"
        )
        if name in targets:
            met = int(row["Failure Count"]) == 0 and float(row["95%"]) < targets[name]
            ok = ok and met
            print(f"  target p95 < {targets[name]} ms, no errors: {'met' if met else 'MISSED'}")
    return ok


if __name__ == "__main__":
    main()
