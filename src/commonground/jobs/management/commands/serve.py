"""`manage.py serve [addr:port]`: the web server and a job worker beside it, as `make run` needs them
(one command, no other service: the queue is the SQLite file in the data directory unless REDIS_URL
is set). Ctrl+C stops both; when either stops, the other is stopped too. In production, run the web
server (gunicorn) and `manage.py run_huey` as two services instead (README, decision 0018)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the site (runserver) with a job worker (run_huey) beside it; Ctrl+C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="the web server alone")

    def handle(self, *args: Any, **options: Any) -> None:
        django = [sys.executable, "-m", "django"]
        env = dict(os.environ)  # manage.py has set DJANGO_SETTINGS_MODULE
        if not options["no_worker"]:  # the worker keeps the sector's snapshots: pages only read them
            env.setdefault("SNAPSHOTS_REFRESH", "job")
        children = []
        if not options["no_worker"]:
            worker = [*django, "run_huey", "--quiet", "--max-delay", "2", "--graceful-signal", "TERM"]
            children.append(subprocess.Popen([*worker, "--shutdown-timeout", "30"], env=env))
        children.append(
            subprocess.Popen([*django, "runserver", "--insecure", "--noreload", options["addrport"]], env=env)
        )
        code = 0
        for number in (signal.SIGINT, signal.SIGTERM):  # also when started with SIGINT ignored
            signal.signal(number, _interrupt)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            code = next(child.returncode for child in children if child.returncode is not None)
        except KeyboardInterrupt:
            pass
        finally:
            _stop(children)
        if code:
            sys.exit(code)


def _interrupt(number: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM, which each child obeys even when SIGINT was ignored where it started (the worker
    then finishes the jobs it is running, up to its shutdown timeout)."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
