"""Locust users for `make bench-load` (started by bench/bench_load.py, never on its own host).

- ResultsApiUser: a factory's results through the API with a personal token.
- ResultsPageUser: the same results as the page, with a logged-in session.
- PortfolioUser: the demo buyer's portfolio page (500 sharing suppliers).

Each user thinks 1–2 s between requests, as a person clicking through pages would; the facts (logins,
token, assessment ids) come from the JSON file named by BENCH_FACTS.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

FACTS: dict[str, Any] = json.loads(Path(os.environ["BENCH_FACTS"]).read_text(encoding="utf-8"))


def _session(user: HttpUser, login: str) -> None:
    """A logged-in session made by bench/load_data.py, one per user (no password hashing here)."""
    sessions: list[str] = FACTS["sessions"][login]
    user.client.cookies.set("sessionid", sessions[len(_TAKEN.setdefault(login, [])) % len(sessions)])
    _TAKEN[login].append(user)


_TAKEN: dict[str, list[HttpUser]] = {}


class ResultsApiUser(HttpUser):
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {FACTS['token']}"
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))

    @task
    def results(self) -> None:
        assessment = random.choice(FACTS["assessments"])
        self.client.get(f"/api/assessments/{assessment}/results", name="API results")


class ResultsPageUser(HttpUser):
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))
        _session(self, "factory.admin")

    @task
    def results(self) -> None:
        assessment = random.choice(FACTS["assessments"])
        self.client.get(f"/assessments/{assessment}/results/", name="results page")


class PortfolioUser(HttpUser):
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = random.choice(("vi", "en"))
        _session(self, "buyer")

    @task
    def portfolio(self) -> None:
        self.client.get("/portfolio/", name="portfolio")
