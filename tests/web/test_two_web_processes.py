"""One shared cache (decision 0019): two web processes on one database and one cache (Redis, or the
database's own cache table), where a change made through one is seen through the other on the next
request, although the other had the old results kept a moment before.

The database is PostgreSQL in the PostgreSQL run (make test-postgres), a SQLite file otherwise; the
cache is Redis (when it runs on 127.0.0.1:6379) and the database cache."""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from commonground.web.demo.facilities import PASSWORD
from tests.web.ports import free_port, listening

ROOT = Path(__file__).resolve().parents[2]
CODE = (ROOT / "docs" / "examples" / "my-brand" / "code.yaml").read_text(encoding="utf-8")
LENIENT = CODE.replace('op: "<=", value: 36}', 'op: "<=", value: 400}', 1)
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
SEED = """
from django.contrib.auth.models import User
from commonground.accounts.models import Membership, Organisation
from commonground.web.demo.facilities import PASSWORD, seed_demo
from commonground.facilities.models import Facility
from tests.web.conftest import share_results
seed_demo(facilities=8)
buyer = Organisation.objects.get(name="Lotus Apparel")
boss = User.objects.create_user("lotus.admin", "boss@example.test", PASSWORD)
Membership.objects.create(user=boss, organisation=buyer, role="admin")
share_results(buyer, list(Facility.objects.filter(supply_links__buyer=buyer)))
print("buyer", buyer.pk)
"""


def _database() -> str:
    """A fresh PostgreSQL database beside the test run's in the PostgreSQL run; else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return ""
    import psycopg

    name = "cg_two_web_processes"
    server = urllib.parse.urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urllib.parse.urlparse(url)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], str]:
    """One database, migrated and seeded once for both caches."""
    left_out = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(
        COMMONGROUND_DATA_DIR=str(tmp_path_factory.mktemp("two") / "data"),
        DJANGO_SETTINGS_MODULE="commonground.config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        HUEY_IMMEDIATE="1",
    )
    database = _database()
    if database:
        env["DATABASE_URL"] = database
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 600}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], check=False, **run)
    assert migrated.returncode == 0, migrated.stderr
    seeded = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", SEED], check=False, **run)
    assert seeded.returncode == 0, seeded.stderr
    return env, seeded.stdout.split("buyer", 1)[1].strip()


@pytest.fixture(params=["database", "redis"])
def servers(
    request: pytest.FixtureRequest, seeded: tuple[dict[str, str], str]
) -> Iterator[tuple[str, str, str]]:
    if request.param == "redis" and not listening(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    ports = (free_port(), free_port())
    env, buyer = dict(seeded[0]), seeded[1]
    if request.param == "redis":
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        env["REDIS_URL"] = REDIS
    web = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for _ in range(240):
            if all(listening(p) for p in ports):
                break
            time.sleep(0.25)
        yield f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}", buyer
    finally:
        for process in web:
            process.terminate()
            process.wait(timeout=30)


class Browser:
    """One person's cookies, used against either server (the session is in the shared database)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=60) as response:
            return str(response.read().decode("utf-8"))

    def post(self, url: str, fields: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(urllib.request.Request(url, data=data), timeout=60) as response:
            return str(response.read().decode("utf-8"))


def test_a_change_through_one_web_process_is_seen_through_the_other(servers: tuple[str, str, str]) -> None:
    one, other, buyer = servers
    browser = Browser()
    browser.get(f"{one}/accounts/login/")
    browser.post(f"{one}/accounts/login/", {"username": "lotus.admin", "password": PASSWORD})
    browser.get(f"{one}/organisations/{buyer}/")
    browser.post(f"{one}/organisations/{buyer}/", {"action": "code", "text": CODE})
    strict = browser.get(f"{other}/portfolio.csv?framework=my-brand-code")
    assert browser.get(f"{other}/portfolio.csv?framework=my-brand-code") == strict  # kept, and read again
    assert "my-brand-code" in strict or "My Brand" in strict, strict[:500]
    browser.post(f"{one}/organisations/{buyer}/", {"action": "code", "text": LENIENT})  # through the first
    lenient = browser.get(f"{other}/portfolio.csv?framework=my-brand-code")  # the second's next request
    assert lenient != strict
    assert browser.get(f"{one}/portfolio.csv?framework=my-brand-code") == lenient
