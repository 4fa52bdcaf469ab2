"""Locust users for `make bench-load` (started by bench/bench_load.py, never on its own host).

- ResultsApiUser: a factory's results through the API with a personal token.
- ResultsPageUser: the same results as the page, with a logged-in session.
- PortfolioUser: the demo buyer's portfolio page (500 sharing suppliers; 2,000 in `make bench-country`).
- AggregatesUser, FacilityPageUser (`make bench-country`): the public aggregates page; a facility's page
  opened by its own login.

Each user thinks between requests for the range in BENCH_THINK (seconds, default "1,2"); the facts
(sessions, token, assessment ids) come from the JSON file named by BENCH_FACTS.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

FACTS: dict[str, Any] = json.loads(Path(os.environ["BENCH_FACTS"]).read_text(encoding="utf-8"))
THINK = between(*(float(s) for s in os.environ.get("BENCH_THINK", "1,2").split(",")))


def _session(user: HttpUser, login: str) -> None:
    """A logged-in session made by bench/load_data.py, one per user (no password hashing here)."""
    sessions: list[str] = FACTS["sessions"][login]
    user.client.cookies.set("sessionid", sessions[len(_TAKEN.setdefault(login, [])) % len(sessions)])
    _TAKEN[login].append(user)


_TAKEN: dict[str, list[HttpUser]] = {}


def _get(user: HttpUser, path: str, name: str) -> None:
    """Only a 200 counts: a redirect to the log-in page or a 404 is an error here."""
    with user.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"status {response.status_code}")


class ResultsApiUser(HttpUser):
    wait_time = THINK

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {FACTS['token']}"
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))

    @task
    def results(self) -> None:
        assessment = random.choice(FACTS["assessments"])
        _get(self, f"/api/assessments/{assessment}/results", "API results")


class ResultsPageUser(HttpUser):
    wait_time = THINK

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))
        _session(self, "factory.admin")

    @task
    def results(self) -> None:
        assessment = random.choice(FACTS["assessments"])
        _get(self, f"/assessments/{assessment}/results/", "results page")


class PortfolioUser(HttpUser):
    wait_time = THINK

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))
        _session(self, "buyer")

    @task
    def portfolio(self) -> None:
        _get(self, "/portfolio/", "portfolio")


class AggregatesUser(HttpUser):
    """Anyone: the public aggregates page (read from the newest snapshot), no session."""

    wait_time = THINK

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))

    @task
    def aggregates(self) -> None:
        _get(self, "/aggregates/", "aggregates page")


class FacilityPageUser(HttpUser):
    """The factory login opening one of its facilities' pages (profile, assessments, sector panel)."""

    wait_time = THINK

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))
        _session(self, "factory.admin")

    @task
    def facility(self) -> None:
        _get(self, f"/facilities/{random.choice(FACTS['own_facilities'])}/", "facility page")
