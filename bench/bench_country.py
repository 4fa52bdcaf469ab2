"""Country-scale benchmark (issue 13): 20,000 facilities x 5 years on PostgreSQL.

`make bench-country` runs it (never `make test`, never CI). It creates the database when missing,
migrates, seeds the sector through COPY once (`country_data.py`; a run that stops resumes), gives the
demo buyer 2,000 suppliers with grants, then:

1. times a full refresh of the sector snapshots (`manage.py refresh_snapshots`, a new process: its
   start and the library's loading are counted too) -- target < 60 s;
2. starts gunicorn on 127.0.0.1 with pages that only read snapshots (SNAPSHOTS_REFRESH=job, as in
   production) and runs locust headless, 20 users per scenario: the public aggregates page
   (target p95 < 50 ms), a facility's page opened by its own login (< 150 ms) and the buyer's
   portfolio of 2,000 suppliers (< 500 ms), no errors;
3. repeats the scenarios with two gunicorn servers bound to the same address (SO_REUSEPORT: the
   kernel spreads connections over both) sharing Redis as their cache.

The load average is printed beside every figure: on a shared machine, rerun on a quiet one before
trusting a single figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_load import BIN, HOST, _ensure_database, _environment, _locust, _report, _stop  # noqa: E402

SCENARIOS = {  # name: (locust user classes, {request name: p95 target in ms})
    "aggregates": (("AggregatesUser",), {"aggregates page": 50}),
    "facility": (("FacilityPageUser",), {"facility page": 150}),
    "portfolio": (("PortfolioUser",), {"portfolio": 500}),
}
SETUPS = ("one", "two")  # one gunicorn server; two behind one address with Redis as the cache


def main() -> None:
    args = _arguments()
    _ensure_database(args.database)
    with tempfile.TemporaryDirectory(prefix="cg-country-") as tmp:
        env = _environment(args.database, Path(tmp)) | {"SNAPSHOTS_REFRESH": "job"}
        facts = Path(tmp) / "facts.json"
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        counts = map(str, (args.facilities, args.suppliers, args.users))
        subprocess.run([sys.executable, HERE / "country_data.py", *counts, facts], env=env, check=True)
        missed = []
        for _ in range(args.refreshes):
            if not _refresh(manage, env):
                missed.append("refresh")
        env["BENCH_FACTS"] = str(facts)
        env["BENCH_THINK"] = args.think
        for setup in args.setups:
            missed += [f"{setup}: {name}" for name in _setup(setup, args, env) if name]
    if missed:
        sys.exit(f"targets missed: {', '.join(missed)}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_COUNTRY_PG_URL", "postgres://postgres@127.0.0.1:5432/cg_country"),
    )
    parser.add_argument("--facilities", type=int, default=20_000)
    parser.add_argument("--suppliers", type=int, default=2_000, help="suppliers sharing with the buyer")
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users per scenario")
    parser.add_argument("--run-time", type=int, default=60, help="measured seconds per scenario")
    parser.add_argument("--warm-up", type=int, default=15, help="seconds of traffic before measuring")
    parser.add_argument("--think", default="1,2", help="seconds between a user's requests (low,high)")
    parser.add_argument("--refreshes", type=int, default=1, help="full snapshot refreshes to time")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in all (split over two)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="the shared cache of `two`")
    parser.add_argument("--setups", nargs="*", default=list(SETUPS), choices=SETUPS)
    parser.add_argument("scenarios", nargs="*", help=f"some of: {', '.join(SCENARIOS)} (default: all)")
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario: {', '.join(sorted(unknown))}")
    args.scenarios = args.scenarios or list(SCENARIOS)
    return args


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _refresh(manage: list[str], env: dict[str, str]) -> bool:
    """A full refresh in a new process, timed from outside; True when under 60 s."""
    print(f"\n== full snapshot refresh (load average {_load()}) ==", flush=True)
    started = time.perf_counter()
    subprocess.run([*manage, "refresh_snapshots"], env=env, check=True)
    seconds = time.perf_counter() - started
    met = seconds < 60
    print(f"full refresh: {seconds:.1f} s (target < 60 s: {'met' if met else 'MISSED'}; load {_load()})")
    return met


def _setup(setup: str, args: argparse.Namespace, env: dict[str, str]) -> list[str]:
    servers = 1 if setup == "one" else 2
    if setup == "two":
        env = env | {"REDIS_URL": args.redis}
        subprocess.run([sys.executable, "-c", _FLUSH], env=env, check=True)
    workers = max(1, args.workers // servers)
    print(
        f"\n#### {setup}: {servers} gunicorn server(s) x {workers} workers x {args.threads} threads "
        f"on {HOST}:{args.port}{' (SO_REUSEPORT), Redis cache' if servers == 2 else ''}",
        flush=True,
    )
    started = [_serve(args, env, workers, reuse=servers == 2) for _ in range(servers)]
    try:
        _wait(args.port, started)
        return [name for name in args.scenarios if not _scenario(name, args, env)]
    finally:
        for server in started:
            _stop(server)


_FLUSH = (  # the bench's own Redis database starts empty (its cache and queue, nobody else's)
    "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"
)


def _serve(
    args: argparse.Namespace, env: dict[str, str], workers: int, *, reuse: bool
) -> subprocess.Popen[bytes]:
    command = [
        BIN / "gunicorn",
        "commonground.config.wsgi:application",
        f"--config={HERE / 'gunicorn_conf.py'}",
        f"--bind={HOST}:{args.port}",
        f"--workers={workers}",
        f"--threads={args.threads}",
        "--worker-class=gthread",
        "--keep-alive=75",
        "--log-level=warning",
        *(["--reuse-port"] if reuse else []),
    ]
    return subprocess.Popen(command, env=env, start_new_session=True)


def _wait(port: int, servers: list[subprocess.Popen[bytes]]) -> None:
    for _ in range(200):
        if any(s.poll() is not None for s in servers):
            sys.exit("a server stopped (is the port in use? choose another with --port)")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5).close()
            time.sleep(2)  # the second server's workers too
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("the server did not start")


def _scenario(name: str, args: argparse.Namespace, env: dict[str, str]) -> bool:
    classes, targets = SCENARIOS[name]
    print(f"\n== {name}: {args.users} users, think {args.think} s (load average {_load()}) ==", flush=True)
    if args.warm_up:
        rows, _ = _locust(name, classes, args, env, args.warm_up)
        print(f"warm-up {args.warm_up} s (not counted): {rows[-1]['Request Count']} requests")
    rows, failures = _locust(name, classes, args, env, args.run_time)
    print(f"measured {args.run_time} s, load average at the end {_load()}:")
    for failure in failures:
        print(f"errors: {failure['Occurrences']} x {failure['Name']}: {failure['Error']}")
    return _report(rows, targets)


if __name__ == "__main__":
    main()
